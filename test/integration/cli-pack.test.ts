/**
 * The CLI as a user installs it: `npm pack` of packages/cli (prepack builds a standalone bundle of
 * the CLI, since the committed dist/cli only starts it from the shared bundle of the actions), the
 * tarball installed offline into an empty project, and `slipway pin-check` run there on that
 * project's own workflow. Proves the package is self-contained (no dependencies, no clone needed).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cliDir = resolve(import.meta.dirname, '../../packages/cli');
const work = mkdtempSync(join(tmpdir(), 'slipway-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function exec(command: string, args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, env: { ...process.env, CI: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the @slipway/cli package', () => {
  it('packs a bundle of its own and runs pin-check from an empty project', { timeout: 300_000 }, async () => {
    const packed = await exec('npm', ['pack', '--json', '--pack-destination', work], cliDir);
    expect(packed.code).toBe(0);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    expect(info!.files.map((f) => f.path).sort()).toEqual([
      'README.md',
      'bin/slipway.js',
      'dist/index.js',
      'dist/licenses.txt',
      'dist/package.json',
      'package.json',
    ]);
    // postpack removed the copy: nothing is left in the workspace
    expect(existsSync(join(cliDir, 'dist'))).toBe(false);

    const project = join(work, 'project');
    mkdirSync(join(project, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(project, 'package.json'),
      '{"name":"user-project","version":"1.0.0","private":true}\n',
    );
    writeFileSync(
      join(project, '.github', 'workflows', 'ci.yml'),
      'on: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n',
    );
    const installed = await exec(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', join(work, info!.filename)],
      project,
    );
    expect(installed.code).toBe(0);
    const packedDist = join(project, 'node_modules', '@slipway', 'cli', 'dist');
    // the full notices, licence texts included, not the committed launcher's pointers into dist/shared
    const notices = readFileSync(join(packedDist, 'licenses.txt'), 'utf8');
    expect(notices).toMatch(/^yaml@\d/m);
    expect(notices).toContain('Permission is hereby granted'); // an MIT text, verbatim
    expect(notices).not.toContain('../shared/');
    expect(readFileSync(join(packedDist, 'index.js'), 'utf8')).not.toContain('../shared/');
    const manifest = JSON.parse(
      readFileSync(join(project, 'node_modules', '@slipway', 'cli', 'package.json'), 'utf8'),
    ) as { dependencies?: unknown };
    expect(manifest.dependencies).toBeUndefined();

    const slipway = join(project, 'node_modules', '.bin', 'slipway');
    const version = await exec(slipway, ['--version'], project);
    expect(version).toEqual({
      code: 0,
      stdout: `slipway ${(JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')) as { version: string }).version}\n`,
      stderr: '',
    });
    const check = await exec(slipway, ['pin-check'], project);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(
      ".github/workflows/ci.yml\n  6:15  error    uses 'actions/checkout@v4' is not pinned to a commit SHA",
    );
  });
});
