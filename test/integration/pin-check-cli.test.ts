/**
 * The `slipway` CLI as users run it in a clone: the committed dist/cli/index.js,
 * which starts it from the shared bundle dist/shared (and the packages/cli/bin
 * launcher), spawned on fixture folders; exit codes 0/1/2,
 * text, JSON and SARIF output, the policy file, and --fix against the GitHub
 * API double.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubDouble, type GitHubDouble } from '../doubles/github/index.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const bundle = join(repoRoot, 'dist', 'cli', 'index.js');
const fixtures = join(repoRoot, 'test', 'fixtures', 'pin-check');
/** Caches go to a temp dir, never into the fixtures. */
const cacheHome = mkdtempSync(join(tmpdir(), 'pin-check-cli-cache-'));

function slipway(args: string[], cwd: string, env: Record<string, string> = {}, entry = bundle) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [entry, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cacheHome, XDG_CACHE_HOME: cacheHome, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

describe('slipway pin-check (offline)', () => {
  it('exits 0 on a clean tree', async () => {
    expect(await slipway(['pin-check'], join(fixtures, 'clean'))).toEqual({
      code: 0,
      stdout: 'No findings in 1 file.\n',
      stderr: '',
    });
  });

  it('exits 1 and groups findings by file with line and column', async () => {
    const result = await slipway(['pin-check'], join(fixtures, 'dirty'));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      [
        '.github/actions/setup/action.yml',
        "  6:13  error    uses 'actions/cache@main' is not pinned to a commit SHA: 'main' is a tag or branch, which can be moved  [unpinned-action]",
        '',
        '.github/workflows/ci.yml',
        "  5:11   error    reusable workflow 'octo-org/pipelines/.github/workflows/build.yml@v2' is not pinned to a commit SHA: 'v2' is a tag or branch, which can be moved  [unpinned-action]",
        "  10:16  error    service container image 'postgres:16' is not pinned to a digest: it uses the tag '16' without a digest  [unpinned-image]",
        "  12:15  error    uses 'actions/checkout@v4' is not pinned to a commit SHA: 'v4' is a tag or branch, which can be moved  [unpinned-action]",
        "  14:15  warning  uses '${{ matrix.action }}' is computed by an expression, so its pin cannot be checked  [unresolvable-reference]",
        '',
        '5 findings (4 errors, 1 warning, 0 notes) in 2 files; 2 checked.',
        '',
      ].join('\n'),
    );
  });

  it('checks only the paths given', async () => {
    const result = await slipway(
      ['pin-check', '--format', 'json', '.github/actions'],
      join(fixtures, 'dirty'),
    );
    expect(result.code).toBe(1);
    expect(
      JSON.parse(result.stdout).findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`),
    ).toEqual(['.github/actions/setup/action.yml:6']);
  });

  it('writes JSON and SARIF reports', async () => {
    const json = await slipway(['pin-check', '--format', 'json'], join(fixtures, 'dirty'));
    expect(JSON.parse(json.stdout).totals).toEqual({ files: 2, error: 4, warning: 1, note: 0 });
    const sarif = await slipway(['pin-check', '--format', 'sarif'], join(fixtures, 'dirty'));
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout);
    expect(log.version).toBe('2.1.0');
    expect(
      log.runs[0].results.map(
        (r: {
          ruleId: string;
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }[];
        }) =>
          `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine} ${r.ruleId}`,
      ),
    ).toEqual([
      '.github/actions/setup/action.yml:6 unpinned-action',
      '.github/workflows/ci.yml:5 unpinned-action',
      '.github/workflows/ci.yml:10 unpinned-image',
      '.github/workflows/ci.yml:12 unpinned-action',
      '.github/workflows/ci.yml:14 unresolvable-reference',
    ]);
  });

  it('applies the policy file and flags on top of it', async () => {
    const withFile = await slipway(['pin-check', '--format', 'json'], join(fixtures, 'policy'));
    expect(withFile.code).toBe(1);
    expect(
      JSON.parse(withFile.stdout).findings.map(
        (f: { line: number; severity: string; ruleId: string }) => `${f.line} ${f.severity} ${f.ruleId}`,
      ),
    ).toEqual(['5 warning unpinned-image', '8 error unpinned-action']);
    const flags = await slipway(
      ['pin-check', '--allow', 'other', '--severity', 'unpinned-image=off'],
      join(fixtures, 'policy'),
    );
    expect(flags).toEqual({ code: 0, stdout: 'No findings in 1 file.\n', stderr: '' });
  });

  it('reports one YAML syntax error as exactly one parse-error finding, at its line', async () => {
    const result = await slipway(['pin-check', '--format', 'json'], join(fixtures, 'broken'));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings).toEqual([
      {
        file: '.github/workflows/ci.yml',
        line: 6,
        column: 1,
        ruleId: 'parse-error',
        severity: 'error',
        reference: '',
        message:
          '.github/workflows/ci.yml is not valid YAML: All mapping items must start at the same column',
      },
    ]);
    const sarif = JSON.parse(
      (await slipway(['pin-check', '--format', 'sarif'], join(fixtures, 'broken'))).stdout,
    );
    expect(sarif.runs[0].results).toHaveLength(1);
  });

  it('exits 2 naming the paths searched when they hold no workflow or action file', async () => {
    const work = mkdtempSync(join(tmpdir(), 'pin-check-cli-empty-'));
    mkdirSync(join(work, 'docs'));
    writeFileSync(join(work, 'docs', 'README.md'), 'no workflows here\n');
    const hint =
      '; give the repository root or a path that holds them, or pass --allow-empty to accept this\n';
    expect(await slipway(['pin-check'], work)).toEqual({
      code: 2,
      stdout: '',
      stderr: `slipway pin-check: no workflow (.github/workflows/*.yml) or action (action.yml) file found under '.'${hint}`,
    });
    expect(await slipway(['pin-check', 'docs', '.github/../docs'], work)).toEqual({
      code: 2,
      stdout: '',
      stderr: `slipway pin-check: no workflow (.github/workflows/*.yml) or action (action.yml) file found under 'docs', '.github/../docs'${hint}`,
    });
  });

  it('--allow-empty accepts paths without workflow or action files: exit 0 with the message', async () => {
    const work = mkdtempSync(join(tmpdir(), 'pin-check-cli-empty-'));
    expect(await slipway(['pin-check', '--allow-empty'], work)).toEqual({
      code: 0,
      stdout: 'No findings in 0 files.\n',
      stderr:
        "slipway pin-check: no workflow (.github/workflows/*.yml) or action (action.yml) file found under '.' (--allow-empty)\n",
    });
  });

  it('names --api-url, not GITHUB_API_URL, when the URL from that flag does not answer: exit 3, could not verify', async () => {
    const result = await slipway(
      ['pin-check', '--online', '--no-cache', '--format', 'json', '--api-url', 'http://127.0.0.1:9'],
      join(fixtures, 'clean'),
      { GITHUB_TOKEN: 'ghs_cli_exits_test' },
    );
    expect(result.code).toBe(3);
    expect(
      JSON.parse(result.stdout).findings.map(
        (f: Record<string, unknown>) =>
          `${f.file}:${f.line}:${f.column} ${f.severity} ${f.ruleId}: ${f.message}`,
      ),
    ).toEqual([
      ".github/workflows/ci.yml:10:15 error could-not-verify: could not verify 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1' (resolving its ref): GitHub GraphQL request to http://127.0.0.1:9/graphql got no response: bad port. Check --api-url and the network; behind a proxy, HTTPS_PROXY/HTTP_PROXY and NO_PROXY.",
    ]);
    expect(result.stdout + result.stderr).not.toContain('GITHUB_API_URL');
  }, 60_000);

  it('a failed lookup with findings at error severity exits 1 (the findings come first)', async () => {
    const result = await slipway(
      ['pin-check', '--online', '--no-cache', '--api-url', 'http://127.0.0.1:9'],
      join(fixtures, 'dirty'),
      { GITHUB_TOKEN: 'ghs_cli_exits_test' },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('could-not-verify');
  }, 60_000);

  it('--help of slipway and of pin-check state the exit codes', async () => {
    const top = await slipway(['--help'], join(fixtures, 'clean'));
    expect(top.code).toBe(0);
    expect(top.stdout).toContain(
      [
        'Exit codes:',
        '  0  success: no findings at error severity',
        '  1  findings at error severity',
        '  2  usage or input error (unknown command or flag, missing path, bad file), or the',
        '     command could not finish (a service not reachable, a token rejected)',
        '  3  could not verify (pin-check online or fix: a GitHub lookup failed), and no other',
        '     findings at error severity',
        '',
      ].join('\n'),
    );
    const pin = await slipway(['pin-check', '--help'], join(fixtures, 'clean'));
    expect(pin.code).toBe(0);
    expect(pin.stdout).toContain(
      '  --allow-empty               exit 0 when the paths hold no workflow or action file (default: exit 2)\n',
    );
    expect(pin.stdout).toContain(
      [
        'Exit codes:',
        '  0  no findings at error severity (with --fix or --update: the files were rewritten too)',
        '  1  findings at error severity',
        '  2  usage or input error (a bad flag, a path that does not exist, no workflow or action file',
        '     found without --allow-empty, a bad policy file)',
        '  3  could not verify: a GitHub lookup failed (not reachable, token rejected, rate limited,',
      ].join('\n'),
    );
  });

  it.each([
    [
      ['pin-check', '--format', 'xml'],
      'clean',
      "slipway pin-check: --format must be one of text, json, sarif, not 'xml'\n",
    ],
    [['pin-check', 'missing-dir'], 'clean', 'slipway pin-check: missing-dir: no such file or directory\n'],
    [
      ['pin-check'],
      'badpolicy',
      "slipway pin-check: .github/slipway-pin.yml:2:20: unknown severity 'fatal'. Expected one of: error, warning, note, off\n",
    ],
    [
      ['pin-check', '--policy', 'nope.yml'],
      'clean',
      'slipway pin-check: policy file nope.yml does not exist\n',
    ],
    [
      ['pin-check', '--fix'],
      'dirty',
      'slipway pin-check: fix mode needs a GitHub token. Set GITHUB_TOKEN (or GH_TOKEN) to a token that can read the repositories your workflows use.\n',
    ],
    [['frobnicate'], 'clean', "slipway: unknown command 'frobnicate'. Commands: pin-check, bump\n"],
  ])('exits 2 with one line for usage and I/O errors: %j', async (args, fixture, stderr) => {
    expect(await slipway(args, join(fixtures, fixture))).toEqual({ code: 2, stdout: '', stderr });
  });

  it('scans a large tree on worker threads with the same result as on one thread', async () => {
    const work = mkdtempSync(join(tmpdir(), 'pin-check-cli-many-'));
    mkdirSync(join(work, '.github', 'workflows'), { recursive: true });
    for (let i = 0; i < 320; i++) {
      const broken = i % 97 === 0 ? '  bad: [\n' : '';
      writeFileSync(
        join(work, '.github', 'workflows', `w${i}.yml`),
        `jobs:\n  a:\n    steps:\n      - uses: o/r${i % 7}@v${i}\n      - uses: o/p@${'a'.repeat(40)}\n${broken}`,
      );
    }
    const one = await slipway(['pin-check', '--format', 'json', '--jobs', '1', '--no-cache'], work);
    const four = await slipway(['pin-check', '--format', 'json', '--jobs', '4', '--no-cache'], work);
    expect(one.code).toBe(1);
    expect(four).toEqual(one);
    const report = JSON.parse(four.stdout);
    expect(report.totals).toEqual({ files: 320, error: 320, warning: 0, note: 0 });
    expect(report.findings.filter((f: { ruleId: string }) => f.ruleId === 'parse-error')).toHaveLength(4);
  });

  it('serves unchanged files from the scan cache and rescans changed ones', async () => {
    const work = mkdtempSync(join(tmpdir(), 'pin-check-cli-cache-'));
    cpSync(join(fixtures, 'dirty'), work, { recursive: true });
    const cacheDir = join(work, 'cache');
    const run = () => slipway(['pin-check', '--format', 'json', '--cache-dir', cacheDir, '.github'], work);
    const first = await run();
    expect(first.code).toBe(1);
    expect(readdirSync(cacheDir).filter((f) => f.startsWith('pin-check-scan-'))).toHaveLength(1);
    expect(await run()).toEqual(first);
    const file = join(work, '.github', 'actions', 'setup', 'action.yml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('actions/cache@main', `actions/cache@${'a'.repeat(40)}`),
    );
    const third = await run();
    expect(JSON.parse(third.stdout).totals).toEqual({ files: 2, error: 3, warning: 1, note: 0 });
  });

  it('runs through the packages/cli launcher that npx slipway uses', async () => {
    const result = await slipway(
      ['pin-check'],
      join(fixtures, 'clean'),
      {},
      join(repoRoot, 'packages', 'cli', 'bin', 'slipway.js'),
    );
    expect(result).toEqual({ code: 0, stdout: 'No findings in 1 file.\n', stderr: '' });
  });
});

/**
 * Issue 17: run from an unrelated folder against another repository, the policy and the
 * SARIF %SRCROOT% belong to the checked repository, not to the current directory.
 */
describe('slipway pin-check on a repository outside the current directory', () => {
  const workflow = [
    'on: push',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-24.04',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: other/tool@v1',
    '',
  ].join('\n');
  /** A temp repo with ci.yml and its own policy; a sibling cwd with a policy of its own. */
  function layout(repoPolicy: string | undefined, cwdPolicy: string) {
    const base = mkdtempSync(join(tmpdir(), 'pin-check-target-'));
    const repo = join(base, 'repo');
    mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(repo, '.github', 'workflows', 'ci.yml'), workflow);
    if (repoPolicy !== undefined) writeFileSync(join(repo, '.github', 'slipway-pin.yml'), repoPolicy);
    const cwd = join(base, 'elsewhere', 'work');
    mkdirSync(join(cwd, '.github'), { recursive: true });
    writeFileSync(join(cwd, '.github', 'slipway-pin.yml'), cwdPolicy);
    return { repo, cwd };
  }
  const refs = (stdout: string) =>
    JSON.parse(stdout).findings.map((f: { file: string; reference: string }) => `${f.file} ${f.reference}`);

  it("applies the target's policy, not the current directory's permissive one", async () => {
    const { cwd } = layout('allow:\n  - actions/*\n', 'allow:\n  - "**"\n');
    const result = await slipway(['pin-check', '--format', 'json', '../../repo'], cwd);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(refs(result.stdout)).toEqual(['../../repo/.github/workflows/ci.yml other/tool@v1']);
  });

  it("applies the target's policy when it allows what the current directory's forbids", async () => {
    const { repo, cwd } = layout('allow:\n  - "**"\n', 'allow: []\n');
    const result = await slipway(['pin-check', '--format', 'json', repo], cwd);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(refs(result.stdout)).toEqual([]);
    // a path inside the repository finds the same root and policy
    const inner = await slipway(['pin-check', '--format', 'json', join(repo, '.github', 'workflows')], cwd);
    expect(inner).toMatchObject({ code: 0, stderr: '' });
  });

  it('a relative --policy still resolves against the current directory', async () => {
    const { cwd } = layout('allow:\n  - "**"\n', 'allow: []\n');
    const result = await slipway(
      ['pin-check', '--format', 'json', '--policy', '.github/slipway-pin.yml', '../../repo'],
      cwd,
    );
    expect(result.code).toBe(1);
    expect(refs(result.stdout)).toEqual([
      '../../repo/.github/workflows/ci.yml actions/checkout@v4',
      '../../repo/.github/workflows/ci.yml other/tool@v1',
    ]);
  });

  it('writes SARIF paths relative to the checked root, with %SRCROOT% pointing at it', async () => {
    const { repo, cwd } = layout(undefined, 'allow:\n  - "**"\n');
    for (const target of ['../../repo', join(repo, '.github')]) {
      const result = await slipway(['pin-check', '--format', 'sarif', target], cwd);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(1);
      const run = JSON.parse(result.stdout).runs[0];
      expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: `${pathToFileURL(repo).href}/` } });
      const locations = run.results.map(
        (r: { locations: { physicalLocation: { artifactLocation: unknown } }[] }) =>
          r.locations[0]!.physicalLocation.artifactLocation,
      );
      expect(locations).toEqual([
        { uri: '.github/workflows/ci.yml', uriBaseId: '%SRCROOT%' },
        { uri: '.github/workflows/ci.yml', uriBaseId: '%SRCROOT%' },
      ]);
    }
  });

  it('refuses SARIF for a second path outside the checked root, naming it', async () => {
    const { cwd } = layout(undefined, 'allow: []\n');
    const result = await slipway(['pin-check', '--format', 'sarif', '../../repo', '.'], cwd);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--format sarif: . lies outside the checked root');
  });
});

describe('slipway pin-check --fix (GitHub API double)', () => {
  let gh: GitHubDouble;
  let v4: string;
  let v7: string;
  beforeAll(async () => {
    gh = await startGitHubDouble();
    const checkout = await gh.repos.create('actions/checkout');
    const c = await checkout.commit({ files: { 'action.yml': 'name: c\n' }, date: '2024-01-01T00:00:00Z' });
    v4 = c;
    await checkout.annotatedTag('v4', c, { message: 'v4' });
    const cache = await gh.repos.create('actions/cache');
    v7 = await cache.commit({ files: { 'action.yml': 'name: cache\n' }, date: '2024-01-01T00:00:00Z' });
    const pipelines = await gh.repos.create('octo-org/pipelines');
    const p = await pipelines.commit({
      files: { 'x.yml': 'on: workflow_call\n' },
      date: '2024-01-01T00:00:00Z',
    });
    await pipelines.tag('v2', p);
  }, 60_000);
  afterAll(async () => {
    await gh?.close();
  });

  it('rewrites unpinned refs in place and reports what is left', async () => {
    const work = mkdtempSync(join(tmpdir(), 'pin-check-cli-'));
    cpSync(join(fixtures, 'dirty'), work, { recursive: true });
    const before = readFileSync(join(work, '.github/workflows/ci.yml'), 'utf8');
    const result = await slipway(['pin-check', '--fix', '--format', 'json'], work, {
      GITHUB_TOKEN: 'ghs_cli_token',
      ...gh.env,
    });
    expect(result.code).toBe(1);
    const after = readFileSync(join(work, '.github/workflows/ci.yml'), 'utf8');
    const pipelinesSha = after.match(/build\.yml@([0-9a-f]{40}) # v2/)?.[1];
    expect(pipelinesSha).toMatch(/^[0-9a-f]{40}$/);
    expect(after).toBe(
      before
        .replace('build.yml@v2', `build.yml@${pipelinesSha} # v2`)
        .replace('actions/checkout@v4', `actions/checkout@${v4} # v4`),
    );
    expect(readFileSync(join(work, '.github/actions/setup/action.yml'), 'utf8')).toBe(
      `name: setup\ndescription: composite\nruns:\n  using: composite\n  steps:\n    - uses: actions/cache@${v7} # main\n`,
    );
    expect(result.stderr).toBe(
      'fixed 1 in .github/actions/setup/action.yml\nfixed 2 in .github/workflows/ci.yml\n3 references rewritten in 2 file(s)\n',
    );
    expect(
      JSON.parse(result.stdout).findings.map(
        (f: { line: number; ruleId: string }) => `${f.line} ${f.ruleId}`,
      ),
    ).toEqual(['10 unpinned-image', '14 unresolvable-reference']);
  });
});
