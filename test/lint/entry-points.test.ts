import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deepWorkspaceImports, workspaceEntryPoints } from './entry-points.ts';

const root = join(import.meta.dirname, '..', '..');
const packagesDir = join(root, 'packages');
const entryPoints = workspaceEntryPoints(packagesDir);

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(dir, name));
}
const sourcesOf = (folder: string) =>
  readdirSync(join(root, folder), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, folder, d.name, 'src')))
    .flatMap((d) => typeScriptFiles(join(root, folder, d.name, 'src')));

const check = (file: string, text: string) => deepWorkspaceImports({ file, text, packagesDir, entryPoints });
const actionFile = join(root, 'actions', 'sign', 'src', 'main.ts');

describe('workspace entry points', () => {
  it('reads the entry points each package declares', () => {
    expect([...entryPoints.get('@slipway/supply-chain')!].sort()).toEqual([
      '/registry',
      '/signing',
      '/syft',
      '/tools',
      '/trivy',
    ]);
    expect([...entryPoints.get('@slipway/core')!]).toEqual(['', '/artifacts']);
  });

  it('flags a file of a package, a src/ path and a relative path into packages/, with file and line', () => {
    const text = [
      "import { run } from '@slipway/core';",
      "import { cosignSign } from '@slipway/supply-chain/signing/cosign-engine';",
      "export { retry } from '@slipway/core/src/retry.ts';",
      "const lazy = () => import('../../../packages/oidc/src/aws-login.ts');",
      "import { openImage } from '@slipway/supply-chain/registry';",
      "import { getInputs } from './inputs.ts';",
      "import * as core from '@actions/core';",
      "import { x } from '@slipway/nothing';",
    ].join('\n');
    const problems = check(actionFile, text).map((p) => p.replace(`${root}/`, ''));
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(
      /^actions\/sign\/src\/main\.ts:2: '@slipway\/supply-chain\/signing\/cosign-engine' is a file of @slipway\/supply-chain.*@slipway\/supply-chain\/signing/,
    );
    expect(problems[1]).toMatch(/:3: '@slipway\/core\/src\/retry\.ts' is a file of @slipway\/core/);
    expect(problems[2]).toMatch(
      /:4: '\.\.\/\.\.\/\.\.\/packages\/oidc\/src\/aws-login\.ts' reaches into packages\/oidc/,
    );
    expect(problems[3]).toMatch(/:8: '@slipway\/nothing' names no workspace package/);
  });

  it('lets a package import its own files by relative path, but not another package’s', () => {
    const file = join(packagesDir, 'terraform', 'src', 'install', 'install-tf.ts');
    expect(check(file, "import { a } from '../plan/run-plan.ts';")).toEqual([]);
    expect(check(file, "import { a } from '../../../supply-chain/src/tools/checksums.ts';")).toHaveLength(1);
  });

  it('no action imports past an entry point of a workspace package', () => {
    const files = sourcesOf('actions');
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap((file) => check(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('no package imports past an entry point of another workspace package', () => {
    const files = sourcesOf('packages');
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((file) => check(file, readFileSync(file, 'utf8')))).toEqual([]);
  });
});
