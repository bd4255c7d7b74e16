import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIo } from '../io.ts';
import { runPinCheckCommand } from './pin-check.ts';

describe('runPinCheckCommand: scanner threads', () => {
  // 300 files: the size from which --jobs > 1 starts workers. The entry cannot serve as a worker,
  // so a run that starts one fails.
  const dir = mkdtempSync(join(tmpdir(), 'pin-check-jobs-'));
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  for (let i = 0; i < 300; i++)
    writeFileSync(
      join(dir, '.github', 'workflows', `w${i}.yml`),
      'jobs:\n  a:\n    steps:\n      - run: x\n',
    );
  const io = () => Object.assign(recorder(dir), { entry: pathToFileURL(join(dir, 'no-such-entry.js')) });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scans on this thread unless --jobs asks for more', async () => {
    const one = io();
    expect(await runPinCheckCommand(['--no-cache'], one)).toBe(0);
    expect(one.out).toBe('No findings in 300 files.\n');
    await expect(runPinCheckCommand(['--no-cache', '--jobs', '2'], io())).rejects.toThrow(/no-such-entry/);
  });
});

function recorder(cwd: string): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    cwd,
    env: {},
    isTty: false,
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
  };
  return io;
}

describe('runPinCheckCommand: paths that hold nothing to check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pin-check-empty-'));
  mkdirSync(join(dir, 'docs'));
  writeFileSync(join(dir, 'docs', 'notes.md'), 'nothing to check\n');

  it('is a usage error naming the paths searched', async () => {
    await expect(runPinCheckCommand(['--no-cache', 'docs'], recorder(dir))).rejects.toThrow(
      new UsageError(
        "no workflow (.github/workflows/*.yml) or action (action.yml) file found under 'docs'; give the repository root or a path that holds them, or pass --allow-empty to accept this",
      ),
    );
  });

  it('passes with --allow-empty, saying so on stderr', async () => {
    const io = recorder(dir);
    expect(await runPinCheckCommand(['--no-cache', '--allow-empty'], io)).toBe(0);
    expect(io.out).toBe('No findings in 0 files.\n');
    expect(io.err).toBe(
      "slipway pin-check: no workflow (.github/workflows/*.yml) or action (action.yml) file found under '.' (--allow-empty)\n",
    );
  });

  it('help documents --allow-empty and the exit codes', async () => {
    const io = recorder(dir);
    expect(await runPinCheckCommand(['--help'], io)).toBe(0);
    expect(io.out).toContain('  --allow-empty ');
    expect(io.out).toContain('Exit codes:\n  0  no findings at error severity');
  });
});

describe('runPinCheckCommand on a repository outside the cwd (issue 17)', () => {
  /** base/repo with ci.yml and a policy allowing actions/*; base/cwd with a policy allowing everything. */
  function layout() {
    const base = mkdtempSync(join(tmpdir(), 'cli-pin-check-root-'));
    const repo = join(base, 'repo');
    mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(repo, '.github', 'workflows', 'ci.yml'),
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: other/tool@v1\n',
    );
    writeFileSync(join(repo, '.github', 'slipway-pin.yml'), 'allow:\n  - actions/*\n');
    const cwd = join(base, 'cwd');
    mkdirSync(join(cwd, '.github'), { recursive: true });
    writeFileSync(join(cwd, '.github', 'slipway-pin.yml'), 'allow:\n  - "**"\n');
    return { repo, cwd };
  }
  async function run(argv: string[], cwd: string) {
    let stdout = '';
    const io: CliIo = { stdout: (t) => (stdout += t), stderr: () => {}, cwd, env: {}, isTty: false };
    const code = await runPinCheckCommand([...argv, '--no-cache', '--jobs', '1'], io);
    return { code, stdout };
  }

  it("uses the target's policy and keeps JSON paths relative to the cwd", async () => {
    const { cwd } = layout();
    const { code, stdout } = await run(['--format', 'json', '../repo'], cwd);
    expect(code).toBe(1);
    expect(
      JSON.parse(stdout).findings.map((f: { file: string; reference: string }) => `${f.file} ${f.reference}`),
    ).toEqual(['../repo/.github/workflows/ci.yml other/tool@v1']);
  });

  it('writes SARIF relative to the checked root', async () => {
    const { repo, cwd } = layout();
    const { stdout } = await run(['--format', 'sarif', '../repo'], cwd);
    const sarifRun = JSON.parse(stdout).runs[0];
    expect(sarifRun.originalUriBaseIds['%SRCROOT%'].uri).toBe(`${pathToFileURL(repo).href}/`);
    expect(sarifRun.results[0].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: '.github/workflows/ci.yml',
      uriBaseId: '%SRCROOT%',
    });
  });
});

describe('runPinCheckCommand: --min-release-age', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pin-check-age-'));
  it.each([
    [['--min-release-age', '7d'], '--min-release-age only applies with --update'],
    [
      ['--update', '--min-release-age', 'a week'],
      "--min-release-age 'a week' is not a duration such as 7d or 72h",
    ],
    [['--update', '--min-release-age', '7'], "--min-release-age '7' is not a duration such as 7d or 72h"],
  ])('%j is a usage error', async (argv, message) => {
    await expect(runPinCheckCommand(['--no-cache', ...argv], recorder(dir))).rejects.toThrow(
      new UsageError(message),
    );
  });
});
