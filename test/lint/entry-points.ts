/**
 * Actions and packages import a workspace package through its entry points (the keys of its
 * package.json `exports`), never through its files: `@slipway/supply-chain/signing`, not
 * `@slipway/supply-chain/signing/cosign-engine` or `@slipway/core/src/run`, and no relative path
 * that climbs into another package's folder.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** Entry-point specifiers per workspace package name, read from each packages/<dir>/package.json. */
export function workspaceEntryPoints(packagesDir: string): Map<string, Set<string>> {
  const entries = new Map<string, Set<string>>();
  for (const dir of readdirSync(packagesDir, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const manifest = JSON.parse(readFileSync(join(packagesDir, dir.name, 'package.json'), 'utf8')) as {
      name: string;
      exports?: string | Record<string, unknown>;
    };
    const keys = typeof manifest.exports === 'object' ? Object.keys(manifest.exports) : ['.'];
    entries.set(manifest.name, new Set(keys.map((key) => (key === '.' ? '' : key.slice(1)))));
  }
  return entries;
}

export interface ImportCheck {
  /** Absolute path of the importing file. */
  file: string;
  text: string;
  /** Absolute path of packages/. */
  packagesDir: string;
  entryPoints: Map<string, Set<string>>;
}

/** `file:line: '<specifier>' ...` for each import (static, dynamic, re-export) that reaches past an entry point. */
export function deepWorkspaceImports({ file, text, packagesDir, entryPoints }: ImportCheck): string[] {
  const problems: string[] = [];
  const ownPackage = relative(packagesDir, file).split(sep)[0];
  const insidePackages = !relative(packagesDir, file).startsWith('..');
  for (const imported of ts.preProcessFile(text, true, true).importedFiles) {
    const spec = imported.fileName;
    const line = text.slice(0, imported.pos).split('\n').length;
    const where = `${file}:${line}: '${spec}'`;
    const scoped = /^(@slipway\/[^/]+)(\/.*)?$/.exec(spec);
    if (scoped) {
      const [, name, subpath = ''] = scoped;
      const allowed = entryPoints.get(name!);
      if (!allowed) problems.push(`${where} names no workspace package`);
      else if (!allowed.has(subpath))
        problems.push(
          `${where} is a file of ${name}, not an entry point (use ${[...allowed].map((s) => name + s).join(', ')})`,
        );
      continue;
    }
    if (!spec.startsWith('.')) continue;
    const target = relative(packagesDir, resolve(dirname(file), spec));
    if (target.startsWith('..')) continue; // outside packages/
    if (insidePackages && target.split(sep)[0] === ownPackage) continue;
    problems.push(
      `${where} reaches into packages/${target.split(sep).slice(0, 1).join('')}: import its entry point`,
    );
  }
  return problems;
}
