/**
 * What every source file imports, and what its package.json declares: the root package for
 * actions/, test/, scripts/, bench/ and the config files; each workspace (packages/*) for its own
 * folder. Import specifiers are read from the TypeScript syntax tree, so type-only imports,
 * `import('x').T` types, dynamic import(), require(), require.resolve(), createRequire(...)(...)
 * and relative paths into node_modules/ are all seen.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, posix } from 'node:path';
import ts from 'typescript';

export interface ImportRef {
  specifier: string;
  /** Erased by the compiler (`import type`, `import('x').T`, `/// <reference types>`). */
  typeOnly: boolean;
  line: number;
}

const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
] as const;
type DependencyField = (typeof DEPENDENCY_FIELDS)[number];

export interface Manifest {
  /** Folder relative to the repository root, '' for the root package. */
  dir: string;
  name: string;
  fields: Partial<Record<DependencyField, Record<string, string>>>;
}

export interface FileRefs {
  /** Path relative to the repository root, '/' separators. */
  file: string;
  /** Ships in a bundle (not a test, bench, fixture, script or config file). */
  runtime: boolean;
  refs: ImportRef[];
}

const SOURCE = /\.(?:[cm]?[jt]s|tsx)$/;
/** A relative path into a node_modules folder names the package right after it. */
const INTO_NODE_MODULES = /^\.\.?\/(?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)/;

function stringArgument(call: ts.CallExpression): string | undefined {
  const first = call.arguments[0];
  return first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))
    ? first.text
    : undefined;
}

/** `require`, `require.resolve`, `require.resolve.paths`, `import.meta.resolve`, `createRequire(...)`. */
function isRuntimeLookup(callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return callee.text === 'require';
  if (ts.isCallExpression(callee))
    return ts.isIdentifier(callee.expression) && callee.expression.text === 'createRequire';
  if (ts.isPropertyAccessExpression(callee)) {
    const path = callee.getText();
    return /^(?:require\.resolve(?:\.paths)?|import\.meta\.resolve)$/.test(path);
  }
  return false;
}

/**
 * Every module specifier a source file names, with whether only the type checker needs it, and every
 * string that is a relative path from the file (`fileName`, relative to the repository root) into the
 * root's node_modules/.
 */
export function importRefs(fileName: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const refs: ImportRef[] = [];
  const add = (specifier: string, typeOnly: boolean, node: ts.Node) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    // the string of an import declaration or call is seen again as a literal: keep the first
    if (!refs.some((r) => r.specifier === specifier && r.line === line))
      refs.push({ specifier, typeOnly, line });
  };
  for (const reference of source.typeReferenceDirectives)
    refs.push({
      specifier: reference.fileName,
      typeOnly: true,
      line: source.getLineAndCharacterOfPosition(reference.pos).line + 1,
    });
  const visit = (node: ts.Node): void => {
    // Under verbatimModuleSyntax (tsconfig.json) only `import type`/`export type` is erased:
    // `import { type A } from 'a'` is emitted as `import {} from 'a'`, which loads 'a'.
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.importClause?.isTypeOnly ?? false, node);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, node.isTypeOnly, node);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      add(node.moduleReference.expression.text, node.isTypeOnly, node);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node.argument.literal.text, true, node);
    } else if (ts.isCallExpression(node)) {
      const specifier = stringArgument(node);
      if (
        specifier !== undefined &&
        (node.expression.kind === ts.SyntaxKind.ImportKeyword || isRuntimeLookup(node.expression))
      )
        add(specifier, false, node);
    } else if (
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
      node.text.startsWith('../') &&
      posix.join(posix.dirname(fileName), node.text).startsWith('node_modules/')
    ) {
      // a path from this file into the repository's node_modules, handed to fs, spawn or import
      add(node.text, false, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

/**
 * The npm package a specifier loads: 'a/b' -> 'a', '@s/a/b' -> '@s/a', '../node_modules/@s/a/x' ->
 * '@s/a'; undefined for builtins, relative and absolute paths, and package.json `imports` (#x).
 */
export function packageOf(specifier: string): string | undefined {
  const intoNodeModules = INTO_NODE_MODULES.exec(specifier);
  if (intoNodeModules) return intoNodeModules[1];
  if (/^[./#]/.test(specifier) || specifier.startsWith('node:') || isBuiltin(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The DefinitelyTyped package that types `name`: 'a' -> '@types/a', '@s/a' -> '@types/s__a'. */
export function typesPackageOf(name: string): string {
  return `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
}

const TEST_FILE = /\.(?:test|spec|bench|fixture)\.[cm]?[jt]sx?$/;

/**
 * Whether a file ships: a workspace's src/ and bin/, and the root's actions/<name>/src/, less tests,
 * benches and fixtures. Everything else (test/, bench/, scripts/, configs) is development only.
 */
export function isRuntimeFile(manifestDir: string, file: string): boolean {
  if (TEST_FILE.test(file)) return false;
  const inside = manifestDir === '' ? file : file.slice(manifestDir.length + 1);
  return manifestDir === '' ? /^actions\/[^/]+\/src\//.test(inside) : /^(?:src|bin)\//.test(inside);
}

function readManifest(root: string, dir: string): Manifest {
  const json = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const fields: Manifest['fields'] = {};
  for (const field of DEPENDENCY_FIELDS)
    if (json[field]) fields[field] = json[field] as Record<string, string>;
  return { dir, name: json.name as string, fields };
}

/** The root manifest and one per workspace folder (the root's `workspaces`, `dir/*` patterns). */
export function readManifests(root: string): Manifest[] {
  const rootJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces?: string[] };
  const dirs = (rootJson.workspaces ?? []).flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(root, parent, entry.name, 'package.json')))
      .map((entry) => `${parent}/${entry.name}`);
  });
  return [readManifest(root, ''), ...dirs.sort().map((dir) => readManifest(root, dir))];
}

const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'coverage', '.git']);

/** Source files (relative, '/' separators) under `dir`, skipping node_modules, dist, coverage and .git. */
export function sourceFiles(root: string, dir = ''): string[] {
  const out: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(path);
      } else if (SOURCE.test(entry.name)) out.push(path);
    }
  };
  walk(dir);
  return out.sort();
}

/** The manifest a file belongs to: its workspace, else the root. */
export function ownerOf(manifests: Manifest[], file: string): Manifest {
  const workspace = manifests.find((m) => m.dir !== '' && file.startsWith(`${m.dir}/`));
  return workspace ?? manifests.find((m) => m.dir === '')!;
}

/** Every source file of the repository with its owner's folder and its import references. */
export function scanRepository(root: string, manifests: Manifest[]): Map<string, FileRefs[]> {
  const byOwner = new Map<string, FileRefs[]>(manifests.map((m) => [m.dir, []]));
  for (const file of sourceFiles(root)) {
    const owner = ownerOf(manifests, file);
    const text = readFileSync(join(root, ...file.split('/')), 'utf8');
    byOwner
      .get(owner.dir)!
      .push({ file, runtime: isRuntimeFile(owner.dir, file), refs: importRefs(file, text) });
  }
  return byOwner;
}

export interface Policy {
  /** Declared but never imported: used as a program, by a config, or by another package at run time. */
  unusedAllowed: Record<string, Record<string, string>>;
  /** Workspaces published as one bundle: what the bundle holds is a devDependency, not a dependency. */
  bundledRuntime: Record<string, string>;
}

/**
 * The problems of one manifest against its files: an import of an undeclared package (a value import
 * in shipped code must be a dependency), a declared package nothing imports, a dependency only tests
 * or types use, and a package declared twice.
 */
export function dependencyProblems(manifest: Manifest, files: FileRefs[], policy: Policy): string[] {
  const where = manifest.dir === '' ? 'package.json' : `${manifest.dir}/package.json`;
  const fieldsOf = (name: string) => DEPENDENCY_FIELDS.filter((field) => manifest.fields[field]?.[name]);
  const declared = (name: string) => fieldsOf(name).length > 0;
  const bundled = policy.bundledRuntime[manifest.dir] !== undefined;
  const used = new Set<string>();
  const usedAtRuntime = new Set<string>();
  /** problem -> the places (file:line) that show it, in scan order */
  const found = new Map<string, string[]>();
  const report = (problem: string, at: string) => found.set(problem, [...(found.get(problem) ?? []), at]);
  for (const { file, runtime, refs } of files) {
    for (const ref of refs) {
      if (ref.specifier.startsWith('node:') || isBuiltin(ref.specifier)) used.add('@types/node');
      const name = packageOf(ref.specifier);
      if (name === undefined || name === manifest.name) continue;
      const types = typesPackageOf(name);
      used.add(name).add(types);
      const at = `${file}:${ref.line}`;
      if (ref.typeOnly) {
        if (!declared(name) && !declared(types)) report(`declare ${name} in ${where}`, at);
        continue;
      }
      if (runtime) usedAtRuntime.add(name);
      if (!declared(name)) report(`declare ${name} in ${where}`, at);
      else if (runtime && !bundled && fieldsOf(name).every((field) => field === 'devDependencies'))
        report(`move ${name} to dependencies in ${where}: shipped code imports it`, at);
    }
  }
  const problems = [...found].map(
    ([problem, places]) =>
      `${problem} (imported at ${places[0]}${places.length > 1 ? ` and ${places.length - 1} more` : ''})`,
  );
  const allowed = policy.unusedAllowed[manifest.dir] ?? {};
  for (const field of DEPENDENCY_FIELDS) {
    for (const name of Object.keys(manifest.fields[field] ?? {})) {
      if (allowed[name] !== undefined) continue;
      if (!used.has(name))
        problems.push(
          `remove ${name} from ${field} in ${where}: no file of ${manifest.dir || 'the root'} imports it`,
        );
      else if (field === 'dependencies' && !usedAtRuntime.has(name))
        problems.push(`move ${name} to devDependencies in ${where}: only tests, scripts or types import it`);
    }
  }
  for (const name of new Set(DEPENDENCY_FIELDS.flatMap((field) => Object.keys(manifest.fields[field] ?? {}))))
    if (fieldsOf(name).length > 1)
      problems.push(`${where} declares ${name} in ${fieldsOf(name).join(' and ')}`);
  return problems;
}

/** Packages declared with different ranges in different manifests (npm would keep two copies). */
export function rangeConflicts(manifests: Manifest[]): string[] {
  const ranges = new Map<string, Map<string, string[]>>();
  for (const manifest of manifests)
    for (const field of DEPENDENCY_FIELDS)
      for (const [name, range] of Object.entries(manifest.fields[field] ?? {})) {
        const byRange = ranges.get(name) ?? new Map<string, string[]>();
        byRange.set(range, [...(byRange.get(range) ?? []), manifest.dir || '(root)']);
        ranges.set(name, byRange);
      }
  return [...ranges]
    .filter(([, byRange]) => byRange.size > 1)
    .map(
      ([name, byRange]) =>
        `${name}: ${[...byRange].map(([range, dirs]) => `${range} in ${dirs.join(', ')}`).join('; ')}`,
    );
}

/** Manifest fields that package-lock.json does not record as they are (run `npm install`). */
export function lockDrift(root: string, manifests: Manifest[]): string[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, Partial<Record<DependencyField, Record<string, string>>>>;
  };
  const drift: string[] = [];
  for (const manifest of manifests) {
    const entry = lock.packages[manifest.dir];
    if (!entry) {
      drift.push(`package-lock.json has no entry for ${manifest.dir}`);
      continue;
    }
    for (const field of DEPENDENCY_FIELDS) {
      const want = JSON.stringify(Object.entries(manifest.fields[field] ?? {}).sort());
      const have = JSON.stringify(Object.entries(entry[field] ?? {}).sort());
      if (want !== have)
        drift.push(
          `package-lock.json "${manifest.dir}" ${field} differs from ${manifest.dir || '.'}/package.json`,
        );
    }
  }
  return drift;
}
