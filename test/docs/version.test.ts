/**
 * One version source (issue 14): the root package.json. The CLI package, the library constant, the
 * committed CLI and pin-check bundles (`--version`, SARIF tool.driver.semanticVersion) must all
 * say the same, and no source file may carry its own copy.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLIPWAY_VERSION } from '@slipway/core';
import { runAction } from '../harness/run-action.ts';

const root = resolve(import.meta.dirname, '../..');
const readJson = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as { version: string };
const version = readJson('package.json').version;

/** Non-test TypeScript under packages/<name>/src and actions/<name>/src. */
function sourceFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
      d.isDirectory()
        ? walk(join(dir, d.name))
        : d.name.endsWith('.ts') && !d.name.endsWith('.test.ts')
          ? [join(dir, d.name)]
          : [],
    );
  return ['packages', 'actions'].flatMap((top) =>
    readdirSync(join(root, top), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => {
        const src = join(root, top, d.name, 'src');
        try {
          return walk(src);
        } catch {
          return [];
        }
      }),
  );
}

describe('the version', () => {
  it('is a release version in the root package.json, and the library constant is that value', () => {
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(SLIPWAY_VERSION).toBe(version);
  });

  it('of the CLI package equals the root package.json (bump both in the release commit)', () => {
    expect(readJson('packages/cli/package.json').version).toBe(version);
  });

  it('is written in no source file as a literal', () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(50);
    const literal = new RegExp(`['"\`]${version.replace(/\./g, '\\.')}['"\`]`);
    expect(
      files.filter((f) => literal.test(readFileSync(f, 'utf8'))).map((f) => f.slice(root.length + 1)),
    ).toEqual([]);
  });
});

describe('the committed bundles report the root version', () => {
  let workspace = '';
  beforeAll(() => {
    workspace = mkdtempSync(join(tmpdir(), 'slipway-version-'));
    mkdirSync(join(workspace, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(workspace, '.github', 'workflows', 'ci.yml'),
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n',
    );
  });
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('dist/cli: --version and the SARIF driver', () => {
    const cli = join(root, 'dist', 'cli', 'index.js');
    expect(execFileSync(process.execPath, [cli, '--version'], { encoding: 'utf8' })).toBe(
      `slipway ${version}\n`,
    );
    const out = join(workspace, 'cli.sarif');
    try {
      execFileSync(process.execPath, [cli, 'pin-check', '--format', 'sarif', '--output', out, workspace], {
        cwd: workspace,
        stdio: 'pipe',
      });
    } catch {
      // exit 1: the workflow has a finding, which is what puts a run in the SARIF
    }
    const sarif = JSON.parse(readFileSync(out, 'utf8'));
    expect(sarif.runs[0].tool.driver.semanticVersion).toBe(version);
  });

  it('dist/pin-check: the SARIF driver of the action', async () => {
    const result = await runAction({
      actionDir: join(root, 'actions', 'pin-check'),
      workspace,
      inputs: { 'fail-on-findings': 'false', 'sarif-file': 'action.sarif' },
    });
    expect(result.exitCode).toBe(0);
    const sarif = JSON.parse(readFileSync(join(workspace, 'action.sarif'), 'utf8'));
    expect(sarif.runs[0].results).toHaveLength(1);
    expect(sarif.runs[0].tool.driver.semanticVersion).toBe(version);
  });
});
