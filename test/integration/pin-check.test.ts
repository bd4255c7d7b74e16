/**
 * The pin-check action through the runner harness, on its committed bundle:
 * annotations on exact file/line/column, job summary, outputs, the SARIF file,
 * fix mode editing the workspace, and online mode against the GitHub API double.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { node24Path } from '../harness/node-versions.ts';
import { findLeaks, runAction } from '../harness/run-action.ts';
import { startGitHubDouble, type GitHubDouble } from '../doubles/github/index.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const actionDir = join(repoRoot, 'actions', 'pin-check');
const fixtures = join(repoRoot, 'test', 'fixtures', 'pin-check');

/** Temporary workspaces, removed after the file's tests. */
const workspaces: string[] = [];
afterAll(() => {
  for (const workspace of workspaces) rmSync(workspace, { recursive: true, force: true });
});

function workspaceFrom(fixture: string): string {
  const workspace = mkdtempSync(join(tmpdir(), 'pin-check-ws-'));
  workspaces.push(workspace);
  cpSync(join(fixtures, fixture), workspace, { recursive: true });
  return workspace;
}

describe('pin-check action (offline)', () => {
  it('annotates every finding, writes the summary, outputs and SARIF, and fails on errors', async () => {
    const workspace = workspaceFrom('dirty');
    const result = await runAction({ actionDir, workspace });
    expect(result.exitCode).toBe(1);
    expect(result.annotations).toEqual([
      {
        level: 'error',
        message:
          "uses 'actions/cache@main' is not pinned to a commit SHA: 'main' is a tag or branch, which can be moved",
        file: '.github/actions/setup/action.yml',
        line: 6,
        col: 13,
        title: 'pin-check: unpinned-action',
      },
      {
        level: 'error',
        message:
          "reusable workflow 'octo-org/pipelines/.github/workflows/build.yml@v2' is not pinned to a commit SHA: 'v2' is a tag or branch, which can be moved",
        file: '.github/workflows/ci.yml',
        line: 5,
        col: 11,
        title: 'pin-check: unpinned-action',
      },
      {
        level: 'error',
        message:
          "service container image 'postgres:16' is not pinned to a digest: it uses the tag '16' without a digest",
        file: '.github/workflows/ci.yml',
        line: 10,
        col: 16,
        title: 'pin-check: unpinned-image',
      },
      {
        level: 'error',
        message:
          "uses 'actions/checkout@v4' is not pinned to a commit SHA: 'v4' is a tag or branch, which can be moved",
        file: '.github/workflows/ci.yml',
        line: 12,
        col: 15,
        title: 'pin-check: unpinned-action',
      },
      {
        level: 'warning',
        message: "uses '${{ matrix.action }}' is computed by an expression, so its pin cannot be checked",
        file: '.github/workflows/ci.yml',
        line: 14,
        col: 15,
        title: 'pin-check: unresolvable-reference',
      },
      {
        level: 'error',
        message:
          'pin-check found 4 reference(s) at error severity (see the annotations)\nPin them to a full commit SHA or digest: run `npx slipway pin-check --fix` locally, or set `fix: true`.',
      },
    ]);
    const sarifPath = join(result.runnerTemp, 'pin-check.sarif');
    expect(result.outputs).toEqual({ findings: '5', errors: '4', fixed: '0', report: sarifPath });
    const sarif = JSON.parse(readFileSync(sarifPath, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toHaveLength(5);
    expect(result.summary).toContain('| Location | Severity | Rule | Reference | Message |');
    expect(result.summary).toContain(
      "| .github/workflows/ci.yml:12:15 | error | unpinned-action | `actions/checkout@v4` | uses 'actions/checkout@v4' is not pinned to a commit SHA: 'v4' is a tag or branch, which can be moved |",
    );
  });

  it('reports without failing when fail-on-findings is false, and honours path and sarif-file', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'pin-check-ws-'));
    cpSync(join(fixtures, 'policy'), join(workspace, 'source'), { recursive: true });
    const inputs = { path: 'source', 'fail-on-findings': 'false', 'sarif-file': 'out/pins.sarif' };
    const located = async () => {
      const result = await runAction({ actionDir, workspace, inputs });
      expect(result.exitCode).toBe(0);
      expect(result.outputs.report).toBe(join(workspace, 'out', 'pins.sarif'));
      const sarif = JSON.parse(readFileSync(join(workspace, 'out', 'pins.sarif'), 'utf8'));
      return {
        annotations: result.annotations.map((a) => `${a.level} ${a.file}:${a.line}:${a.col}`),
        sarif: sarif.runs[0].results.map(
          (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
            r.locations[0]!.physicalLocation.artifactLocation.uri,
        ),
      };
    };
    // no repository in the workspace: paths relative to the workspace
    expect(await located()).toEqual({
      annotations: [
        'warning source/.github/workflows/ci.yml:5:16',
        'error source/.github/workflows/ci.yml:8:15',
      ],
      sarif: ['source/.github/workflows/ci.yml', 'source/.github/workflows/ci.yml'],
    });
    // the repository is checked out in source/: paths relative to it, as code scanning expects
    mkdirSync(join(workspace, 'source', '.git'));
    expect(await located()).toEqual({
      annotations: ['warning .github/workflows/ci.yml:5:16', 'error .github/workflows/ci.yml:8:15'],
      sarif: ['.github/workflows/ci.yml', '.github/workflows/ci.yml'],
    });
  });

  it('runs the same on node 24, as GitHub runs it', async () => {
    const workspace = workspaceFrom('dirty');
    const result = await runAction({ actionDir, workspace, node: node24Path() });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toEqual({
      findings: '5',
      errors: '4',
      fixed: '0',
      report: join(result.runnerTemp, 'pin-check.sarif'),
    });
    expect(result.annotations.filter((a) => a.file).map((a) => `${a.file}:${a.line}:${a.col}`)).toEqual([
      '.github/actions/setup/action.yml:6:13',
      '.github/workflows/ci.yml:5:11',
      '.github/workflows/ci.yml:10:16',
      '.github/workflows/ci.yml:12:15',
      '.github/workflows/ci.yml:14:15',
    ]);
  });

  it('passes a clean tree', async () => {
    const result = await runAction({ actionDir, workspace: workspaceFrom('clean') });
    expect(result.exitCode).toBe(0);
    expect(result.annotations).toEqual([]);
    expect(result.outputs.findings).toBe('0');
    expect(result.summary).toContain('Every action and image reference is pinned.');
  });

  it.each([
    [
      'a severity item',
      { severity: 'stale-pin=loud' },
      "Input 'severity' has the item 'stale-pin=loud': unknown severity 'loud'. Expected one of: error, warning, note, off. Expected `rule=level` lines.",
    ],
    [
      'a path that is not a folder',
      { path: 'missing' },
      "Input 'path' is 'missing', which is not a folder in the workspace. Expected a folder relative to the workspace (default: .).",
    ],
    [
      'min-release-age without update',
      { 'min-release-age': '7d' },
      "Input 'min-release-age' is set but update is not. Expected `min-release-age` only with `update: true`.",
    ],
    [
      'a min-release-age without a unit',
      { update: 'true', 'min-release-age': '7' },
      "Input 'min-release-age' has the value '7'. Expected a duration with a unit such as `7d` or `72h`.",
    ],
    [
      'a policy file that does not exist',
      { policy: 'nope.yml' },
      "Input 'policy' is 'nope.yml', which does not exist in '.'. Expected a policy file relative to `path`, or no value for the default .github/slipway-pin.yml.",
    ],
  ])('rejects %s before doing anything, naming the input', async (_name, inputs, message) => {
    const result = await runAction({ actionDir, workspace: workspaceFrom('clean'), inputs });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.map((a) => a.message)).toEqual([message]);
    expect(existsSync(join(result.runnerTemp, 'pin-check.sarif'))).toBe(false);
  });

  it('names the policy file and line of a bad min-release-age', async () => {
    const workspace = workspaceFrom('clean');
    writeFileSync(join(workspace, '.github', 'slipway-pin.yml'), 'allow: []\nmin-release-age: soon\n');
    const result = await runAction({ actionDir, workspace });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.map((a) => a.message)).toEqual([
      ".github/slipway-pin.yml:2:18: 'min-release-age' must be a duration such as 7d or 72h (how old a tag must be before --update moves a pin to it)",
    ]);
  });

  it('names the policy file and line of a bad policy entry', async () => {
    const workspace = workspaceFrom('clean');
    writeFileSync(join(workspace, '.github', 'slipway-pin.yml'), 'allow:\n  - actions/*\n  - 5\n');
    const result = await runAction({ actionDir, workspace });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.map((a) => a.message)).toEqual([
      ".github/slipway-pin.yml:3:5: each item of 'allow' must be a non-empty string or a mapping with match, reason and optionally expires",
    ]);
  });
});

describe('pin-check action (GitHub API double)', () => {
  let gh: GitHubDouble;
  let v4: string;
  let pinned: string;
  let cool100: string; // octo/cool v1.0.0 (2024, an immutable release)
  let cool110: string; // octo/cool v1.1.0, made two days ago
  const token = 'ghs_action_token_0123456789';
  beforeAll(async () => {
    gh = await startGitHubDouble();
    const checkout = await gh.repos.create('actions/checkout');
    v4 = await checkout.commit({ files: { 'action.yml': 'name: c\n' }, date: '2024-01-01T00:00:00Z' });
    await checkout.annotatedTag('v4', v4, { message: 'v4' });
    pinned = await checkout.commit({ files: { 'action.yml': 'name: d\n' }, date: '2024-02-01T00:00:00Z' });
    await checkout.tag('v4.1.0', pinned);
    const cache = await gh.repos.create('actions/cache');
    await cache.commit({ files: { 'action.yml': 'name: cache\n' }, date: '2024-01-01T00:00:00Z' });
    const cool = await gh.repos.create('octo/cool');
    cool100 = await cool.commit({ files: { 'action.yml': 'name: a\n' }, date: '2024-01-01T00:00:00Z' });
    await cool.tag('v1.0.0', cool100);
    await cool.release('v1.0.0', { immutable: true });
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    cool110 = await cool.commit({ files: { 'action.yml': 'name: b\n' }, date: twoDaysAgo });
    await cool.tag('v1.1.0', cool110);
    const pipelines = await gh.repos.create('octo-org/pipelines');
    await pipelines.tag(
      'v2',
      await pipelines.commit({ files: { 'x.yml': 'x\n' }, date: '2024-01-01T00:00:00Z' }),
    );
  }, 60_000);
  afterAll(async () => {
    await gh?.close();
  });

  it('fixes the workspace in place and masks the token', async () => {
    const workspace = workspaceFrom('dirty');
    const result = await runAction({
      actionDir,
      workspace,
      inputs: { fix: 'true', token, 'fail-on-findings': 'false' },
      env: { ...gh.env },
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ findings: '2', errors: '1', fixed: '3' });
    expect(readFileSync(join(workspace, '.github/workflows/ci.yml'), 'utf8')).toContain(
      `      - uses: actions/checkout@${v4} # v4\n`,
    );
    expect(findLeaks(result, [token])).toEqual([]);
  });

  function coolWorkspace(): string {
    const workspace = mkdtempSync(join(tmpdir(), 'pin-check-ws-'));
    workspaces.push(workspace);
    mkdirSync(join(workspace, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(workspace, '.github', 'workflows', 'ci.yml'),
      `on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: octo/cool@${cool100} # v1.0.0\n`,
    );
    return workspace;
  }
  const coolCi = (sha: string, tag: string) => `      - uses: octo/cool@${sha} # ${tag}\n`;

  it('with update, moves a pin only to a tag older than min-release-age (the policy, overridden by the input)', async () => {
    const workspace = coolWorkspace();
    const ci = join(workspace, '.github', 'workflows', 'ci.yml');
    const run = (inputs: Record<string, string>) =>
      runAction({ actionDir, workspace, inputs: { update: 'true', token, ...inputs }, env: { ...gh.env } });
    writeFileSync(join(workspace, '.github', 'slipway-pin.yml'), 'min-release-age: 7d\n');
    const byPolicy = await run({});
    expect(byPolicy.exitCode, byPolicy.log).toBe(0);
    expect(byPolicy.outputs.fixed).toBe('0');
    expect(readFileSync(ci, 'utf8')).toContain(coolCi(cool100, 'v1.0.0'));
    const byInput = await run({ 'min-release-age': '1d' });
    expect(byInput.exitCode, byInput.log).toBe(0);
    expect(byInput.outputs.fixed).toBe('1');
    expect(readFileSync(ci, 'utf8')).toContain(coolCi(cool110, 'v1.1.0'));
  });

  it('online, lists whether each pinned tag is an immutable release, as information', async () => {
    const result = await runAction({
      actionDir,
      workspace: coolWorkspace(),
      inputs: { online: 'true', token, severity: 'stale-pin=off' },
      env: { ...gh.env },
    });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.findings).toBe('0');
    expect(result.summary).toContain(
      [
        '### Releases',
        '',
        'Information only: an immutable release does not pin a reference.',
        '',
        '| Location | Repository | Tag | Release |',
        '| --- | --- | --- | --- |',
        '| .github/workflows/ci.yml:6:15 | `octo/cool` | `v1.0.0` | immutable release |',
      ].join('\n'),
    );
    expect(result.log).toContain('  .github/workflows/ci.yml:6:15  octo/cool v1.0.0: immutable release');
    expect(gh.requests.count('GET /repos/{owner}/{repo}/releases/tags/{tag}')).toBeGreaterThan(0);
  });

  it('reports version-comment drift and missing commits in online mode', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'pin-check-ws-'));
    mkdirSync(join(workspace, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(workspace, '.github', 'workflows', 'ci.yml'),
      [
        'on: push',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-24.04',
        '    steps:',
        `      - uses: actions/checkout@${pinned} # v4`,
        `      - uses: actions/checkout@${v4} # v4`,
        '      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
        '',
      ].join('\n'),
    );
    const result = await runAction({
      actionDir,
      workspace,
      inputs: { online: 'true', token },
      env: { ...gh.env },
    });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.slice(0, -1)).toEqual([
      {
        level: 'error',
        file: '.github/workflows/ci.yml',
        line: 6,
        col: 15,
        title: 'pin-check: version-comment-drift',
        message: `the comment says v4, but v4 of actions/checkout points at ${v4.slice(0, 12)}, not at the pinned ${pinned.slice(0, 12)}: the comment is wrong, the pinned commit is v4.1.0. Correct the comment (the pin is not changed)`,
      },
      {
        level: 'notice',
        file: '.github/workflows/ci.yml',
        line: 7,
        col: 15,
        title: 'pin-check: stale-pin',
        message: 'actions/checkout v4.1.0 is available; the pin is at v4',
      },
      {
        level: 'error',
        file: '.github/workflows/ci.yml',
        line: 8,
        col: 15,
        title: 'pin-check: ref-not-found',
        message: 'commit 3d3c42e5aac5ba805825da76410c181273ba90b1 does not exist in actions/checkout',
      },
    ]);
    expect(result.outputs).toMatchObject({ findings: '3', errors: '2' });
    expect(findLeaks(result, [token])).toEqual([]);
  });
});

describe('pin-check action on hostile repository content', () => {
  it('reports files it does not read and scans nested merge keys and huge maps within the step timeout', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'pin-check-ws-'));
    const outside = mkdtempSync(join(tmpdir(), 'pin-check-outside-'));
    const workflows = join(workspace, '.github', 'workflows');
    mkdirSync(workflows, { recursive: true });
    // 9 levels of `<<: [*a, *a, *a, *a, *a, *a]`: the old walk took 443 s on 424 bytes
    const fan = (alias: string) => `[${Array(6).fill(alias).join(',')}]`;
    const merges = ['x:', '  a0: &a0 {steps: [{uses: a/b@v1}]}'];
    for (let i = 1; i <= 8; i++) merges.push(`  a${i}: &a${i} {<<: ${fan(`*a${i - 1}`)}}`);
    writeFileSync(
      join(workflows, 'merge.yml'),
      [...merges, 'jobs:', `  j: {<<: ${fan('*a8')}}`, ''].join('\n'),
    );
    // 40,000 keys and one repeated: the parser's own check is quadratic
    const keys = Array.from({ length: 40_000 }, (_, i) => `  k${i}: 1`);
    writeFileSync(join(workflows, 'dup.yml'), ['jobs:', ...keys, '  k7: 2', ''].join('\n'));
    execFileSync('mkfifo', [join(outside, 'fifo')]);
    mkdirSync(join(workspace, 'pipe'));
    symlinkSync(join(outside, 'fifo'), join(workspace, 'pipe', 'action.yml'));
    mkdirSync(join(workspace, 'zero'));
    symlinkSync('/dev/zero', join(workspace, 'zero', 'action.yml'));

    const result = await runAction({ actionDir, workspace, timeoutMs: 60_000 });
    expect(result.exitCode, result.log).toBe(1);
    expect(
      result.annotations.slice(0, -1).map((a) => `${a.file}:${a.line}:${a.col} ${a.title}: ${a.message}`),
    ).toEqual([
      '.github/workflows/dup.yml:40002:3 pin-check: parse-error: .github/workflows/dup.yml is not valid YAML: Map keys must be unique',
      ".github/workflows/merge.yml:2:27 pin-check: unpinned-action: uses 'a/b@v1' is not pinned to a commit SHA: 'v1' is a tag or branch, which can be moved",
      'pipe/action.yml:1:1 pin-check: unchecked-file: pipe/action.yml was not checked: it is not a regular file but a named pipe',
      'zero/action.yml:1:1 pin-check: unchecked-file: zero/action.yml was not checked: it is not a regular file but a character device',
    ]);
    expect(result.outputs).toMatchObject({ findings: '4', errors: '4' });
  }, 90_000);
});
