/**
 * pin-check online and fix modes against the GitHub API double (REST + GraphQL
 * backed by real git repositories): resolution of tags (annotated ones peeled),
 * branches and short SHAs, byte-exact rewriting, batching and caching of
 * lookups, version-comment drift, impostor commits from a fork, missing
 * repositories and refs, stale pins, and retries on rate limits and 5xx.
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runPinCheck, type RunPinCheckOptions } from '@slipway/pinning';
import { startGitHubDouble, type GitHubDouble } from '../doubles/github/index.ts';

let gh: GitHubDouble;
let c0: string; // first commit of main, no tag
let c1: string; // v1.0.0 (annotated), v1
let c2: string; // main, v1.1.0, v2.0.0 (annotated), v2
let c3: string; // tip of branch feature
let impostor: string; // commit that exists only in the fork evil/checkout
let bulk: string;

beforeAll(async () => {
  gh = await startGitHubDouble();
  const checkout = await gh.repos.create('actions/checkout');
  c0 = await checkout.commit({ files: { 'action.yml': 'name: zero\n' }, date: '2023-12-01T00:00:00Z' });
  c1 = await checkout.commit({ files: { 'action.yml': 'name: one\n' }, date: '2024-01-01T00:00:00Z' });
  await checkout.annotatedTag('v1.0.0', c1, { message: 'v1.0.0', date: '2024-01-02T00:00:00Z' });
  await checkout.tag('v1', c1);
  c2 = await checkout.commit({ files: { 'action.yml': 'name: two\n' }, date: '2024-02-01T00:00:00Z' });
  await checkout.tag('v1.1.0', c2);
  await checkout.annotatedTag('v2.0.0', c2, { message: 'v2.0.0', date: '2024-02-02T00:00:00Z' });
  await checkout.tag('v2', c2);
  c3 = await checkout.commit({ branch: 'feature', files: { 'f.txt': 'f\n' }, date: '2024-03-01T00:00:00Z' });
  const fork = await checkout.fork('evil/checkout');
  impostor = await fork.commit({ files: { 'action.yml': 'name: evil\n' }, date: '2024-04-01T00:00:00Z' });
  const many = await gh.repos.create('bulk/many');
  bulk = await many.commit({ files: { 'action.yml': 'name: many\n' }, date: '2024-01-01T00:00:00Z' });
  for (let i = 0; i < 150; i++) await many.tag(`t${i}`, bulk);
}, 120_000);

afterAll(async () => {
  await gh?.close();
});

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pin-check-online-'));
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
});

const write = (name: string, text: string) => writeFileSync(join(root, '.github', 'workflows', name), text);
const read = (name: string) => readFileSync(join(root, '.github', 'workflows', name), 'utf8');

function options(overrides: Partial<RunPinCheckOptions> = {}): RunPinCheckOptions {
  return {
    root,
    paths: [],
    online: false,
    fix: false,
    update: false,
    major: false,
    token: 'ghs_test_token',
    apiUrl: gh.url,
    graphqlUrl: gh.graphqlUrl,
    cacheTtlMs: 3_600_000,
    ...overrides,
  };
}

const graphqlRequests = () => gh.requests.count('POST /graphql');

describe('fix mode', () => {
  it('pins tags (annotated ones peeled), branches and short SHAs, changing nothing else', async () => {
    const before = [
      '\uFEFFname: ci\r',
      'on: push\r',
      'jobs:\r',
      '  build:\r',
      '    runs-on: ubuntu-24.04\r',
      '    container: node:20\r',
      '    steps:\r',
      '      - uses: actions/checkout@v1.0.0\r',
      "      - uses: 'actions/checkout@v1' # pinned later\r",
      '      - {uses: actions/checkout@main, with: {path: x}}\r',
      `      - uses: actions/checkout@${c2.slice(0, 7)}\r`,
      '      - uses: actions/checkout@v9\r',
      '      - uses: ./local\r',
      '',
    ].join('\n');
    write('ci.yml', before);
    const result = await runPinCheck(options({ fix: true }));
    expect(read('ci.yml')).toBe(
      [
        '\uFEFFname: ci\r',
        'on: push\r',
        'jobs:\r',
        '  build:\r',
        '    runs-on: ubuntu-24.04\r',
        '    container: node:20\r',
        '    steps:\r',
        `      - uses: actions/checkout@${c1} # v1.0.0\r`,
        `      - uses: 'actions/checkout@${c1}' # v1\r`,
        `      - {uses: actions/checkout@${c2}, with: {path: x}}\r`,
        `      - uses: actions/checkout@${c2}\r`,
        '      - uses: actions/checkout@v9\r',
        '      - uses: ./local\r',
        '',
      ].join('\n'),
    );
    expect(result.plan?.skipped).toEqual([
      {
        file: '.github/workflows/ci.yml',
        line: 12,
        column: 15,
        reference: 'actions/checkout@v9',
        reason: "'v9' does not exist",
      },
    ]);
    expect(result.findings.map((f) => `${f.line}:${f.column} ${f.ruleId}`)).toEqual([
      '6:16 unpinned-image',
      '12:15 unpinned-action',
    ]);
  });

  it('moves pins to the newest release of the same major with update, or of any major with major', async () => {
    const text = `jobs:\n  a:\n    steps:\n      - uses: actions/checkout@${c1} # v1.0.0\n      - uses: actions/checkout@v1\n`;
    write('u.yml', text);
    await runPinCheck(options({ fix: true, update: true }));
    expect(read('u.yml')).toBe(
      `jobs:\n  a:\n    steps:\n      - uses: actions/checkout@${c2} # v1.1.0\n      - uses: actions/checkout@${c2} # v1.1.0\n`,
    );
    write('u.yml', text);
    await runPinCheck(options({ fix: true, update: true, major: true }));
    expect(read('u.yml')).toBe(
      `jobs:\n  a:\n    steps:\n      - uses: actions/checkout@${c2} # v2.0.0\n      - uses: actions/checkout@${c2} # v2.0.0\n`,
    );
  });
});

describe('fix mode and links', () => {
  it('refuses to write through a symbolic link or outside the checked folder, and says why', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'pin-check-outside-'));
    const text = 'jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v2\n';
    writeFileSync(join(outside, 'target.yml'), text);
    write('ci.yml', text);
    symlinkSync(join(outside, 'target.yml'), join(root, '.github', 'workflows', 'linked.yml'));
    symlinkSync(outside, join(root, 'linked-dir'));
    const result = await runPinCheck(
      options({ fix: true, paths: ['.github/workflows', 'linked-dir/target.yml'] }),
    );
    expect(read('ci.yml')).toBe(text.replace('@v2', `@${c2} # v2`));
    expect(readFileSync(join(outside, 'target.yml'), 'utf8')).toBe(text);
    expect(result.plan?.fixes.map((f) => f.file)).toEqual(['.github/workflows/ci.yml']);
    expect(result.plan?.skipped).toEqual([
      {
        file: '.github/workflows/linked.yml',
        line: 4,
        column: 15,
        reference: 'actions/checkout@v2',
        reason:
          'not written: .github/workflows/linked.yml is a symbolic link; pin-check does not write through links (fix the file it points to, or replace the link by the file)',
      },
      {
        file: 'linked-dir/target.yml',
        line: 4,
        column: 15,
        reference: 'actions/checkout@v2',
        reason: `not written: linked-dir/target.yml resolves to ${realpathSync(join(outside, 'target.yml'))}, outside the checked folder ${root}; pin-check only writes files inside it`,
      },
    ]);
  });
});

describe('online checks', () => {
  it('reports drift, impostor commits, missing repositories and refs, and stale pins at exact positions', async () => {
    write(
      'checks.yml',
      [
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-24.04',
        '    steps:',
        `      - uses: actions/checkout@${c1} # v1.0.0`, // 5: stale
        `      - uses: actions/checkout@${c2} # v1.0.0`, // 6: drift
        `      - uses: actions/checkout@${impostor} # v2.0.0`, // 7: drift + impostor
        '      - uses: actions/checkout@v9', // 8: unpinned + ref-not-found
        `      - uses: gone/repo@${c1}`, // 9: repository missing
        `      - uses: actions/checkout@${c3}`, // 10: tip of a branch: fine
        `      - uses: actions/checkout@${c2} # v2.0.0`, // 11: fine
        `      - uses: actions/checkout@${'e'.repeat(40)} # v2`, // 12: commit missing
        '',
      ].join('\n'),
    );
    const result = await runPinCheck(options({ online: true }));
    expect(
      result.findings.map((f) => `${f.line}:${f.column} ${f.severity} ${f.ruleId}: ${f.message}`),
    ).toEqual([
      `5:15 note stale-pin: actions/checkout v2.0.0 is available; the pin is at v1.0.0`,
      `6:15 error version-comment-drift: the comment says v1.0.0, but v1.0.0 of actions/checkout points at ${c1.slice(0, 12)}, not at the pinned ${c2.slice(0, 12)}: the comment is wrong, the pinned commit is v1.1.0, v2, v2.0.0. Correct the comment (the pin is not changed)`,
      `7:15 error impostor-commit: commit ${impostor.slice(0, 12)} is not reachable from any branch or tag of actions/checkout; it may come from a fork`,
      `7:15 error version-comment-drift: the comment says v2.0.0, but v2.0.0 of actions/checkout points at ${c2.slice(0, 12)}, not at the pinned ${impostor.slice(0, 12)}, and ${c2.slice(0, 12)} does not contain the pinned commit: the tag was moved to other history, or the comment is wrong. Check both before trusting the pin`,
      `8:15 error ref-not-found: tag or branch 'v9' does not exist in actions/checkout`,
      `8:15 error unpinned-action: uses 'actions/checkout@v9' is not pinned to a commit SHA: 'v9' is a tag or branch, which can be moved`,
      `9:15 error ref-not-found: repository gone/repo does not exist or is not accessible`,
      `12:15 error ref-not-found: commit ${'e'.repeat(40)} does not exist in actions/checkout`,
    ]);
  });

  it('checks each pinned commit for reachability once per run and remembers reachable ones', async () => {
    const compares = () => gh.requests.count('GET /repos/{owner}/{repo}/compare/{basehead}');
    write(
      'reach.yml',
      [
        'jobs:',
        '  a:',
        '    steps:',
        `      - uses: actions/checkout@${c0}`,
        `      - uses: actions/checkout@${c0}`,
        `      - uses: actions/checkout@${impostor}`,
        `      - uses: actions/checkout@${impostor}`,
        '',
      ].join('\n'),
    );
    const cacheFile = join(root, 'cache', 'refs.json');
    let start = compares();
    const first = await runPinCheck(options({ online: true, cacheFile }));
    // c0: one compare against main ("behind"); the impostor: one per distinct commit among main (c2),
    // feature (c3) and the five tags (c1, c1, c2, c2, c2): c2, c3, c1
    expect(compares() - start).toBe(1 + 3);
    expect(first.findings.map((f) => `${f.line} ${f.ruleId}`)).toEqual([
      '6 impostor-commit',
      '7 impostor-commit',
    ]);
    start = compares();
    await runPinCheck(options({ online: true, cacheFile }));
    expect(compares() - start).toBe(3);
  });

  it('resolves 150 distinct refs in 2 GraphQL requests, each pair once, and serves the next run from the cache', async () => {
    const steps = Array.from({ length: 150 }, (_, i) => `      - uses: bulk/many@t${i}`);
    write('bulk.yml', ['jobs:', '  a:', '    steps:', ...steps, ...steps, ''].join('\n'));
    const cacheFile = join(root, 'cache', 'refs.json');
    const start = graphqlRequests();
    const first = await runPinCheck(options({ online: true, cacheFile }));
    expect(graphqlRequests() - start).toBe(2);
    expect(first.graphqlRequests).toBe(2);
    expect(first.findings.filter((f) => f.ruleId !== 'unpinned-action')).toEqual([]);
    expect(first.findings).toHaveLength(300);
    const second = await runPinCheck(options({ online: true, cacheFile }));
    expect(graphqlRequests() - start).toBe(2);
    expect(second.graphqlRequests).toBe(0);
    // fix mode after the cache expired: 150 refs resolved again in 2 requests, all 300 uses pinned
    await runPinCheck(options({ fix: true, cacheFile, cacheTtlMs: 0 }));
    expect(graphqlRequests() - start).toBe(4);
    expect(read('bulk.yml').match(new RegExp(`bulk/many@${bulk} # t\\d+`, 'g'))).toHaveLength(300);
  });

  it.each([
    [
      'a secondary rate limit (403, retry-after)',
      () => gh.faults.secondaryRateLimit('POST /graphql', { retryAfterSeconds: 1, times: 1 }),
    ],
    ['a 502', () => gh.faults.serverError('POST /graphql', { status: 502, times: 1 })],
  ])('retries after %s, then succeeds', async (_name, inject) => {
    write('r.yml', 'jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v2\n');
    const fault = inject();
    const start = graphqlRequests();
    await runPinCheck(options({ fix: true }));
    expect(read('r.yml')).toBe(`jobs:\n  a:\n    steps:\n      - uses: actions/checkout@${c2} # v2\n`);
    expect(fault.hits).toBe(1);
    expect(graphqlRequests() - start).toBe(2);
  });

  it('abandons a request that hangs past the timeout and retries it', async () => {
    write('r.yml', 'jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v2\n');
    const slow = gh.faults.add({ route: 'POST /graphql', latencyMs: 1_200, times: 1 });
    const log: string[] = [];
    await runPinCheck(
      options({
        fix: true,
        requestTimeoutMs: 400,
        retries: 7,
        retryAfterUnitMs: 10,
        log: (message) => log.push(message),
      }),
    );
    expect(read('r.yml')).toBe(`jobs:\n  a:\n    steps:\n      - uses: actions/checkout@${c2} # v2\n`);
    expect(slow.hits).toBe(1);
    expect(log[0]).toBe(`GitHub POST ${gh.graphqlUrl}: no response within 400 ms`);
  });

  it('gives up with "timed out" when GitHub never answers', async () => {
    write('r.yml', 'jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v2\n');
    gh.faults.add({ route: 'POST /graphql', latencyMs: 1_000, times: 2 });
    await expect(
      runPinCheck(
        options({
          fix: true,
          requestTimeoutMs: 200,
          retries: 1,
          retryAfterUnitMs: 10,
        }),
      ),
    ).rejects.toThrow('GitHub GraphQL request timed out');
  });

  it('fails with a UserError naming the request when GitHub keeps failing', async () => {
    write('r.yml', 'jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v2\n');
    const fault = gh.faults.serverError('POST /graphql', { status: 503, times: 3 });
    await expect(runPinCheck(options({ fix: true, retries: 2, retryAfterUnitMs: 10 }))).rejects.toThrow(
      'GitHub GraphQL request failed with HTTP 503',
    );
    expect(fault.hits).toBe(3);
    expect(read('r.yml')).toBe('jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v2\n');
  });
});

describe('a poisoned lookup cache', () => {
  const DAY = 86_400_000;
  /** A cache file as an attacker would write it: every answer points at the fork's commit. */
  function poison(cacheFile: string, entry: (value: unknown) => Record<string, unknown>) {
    const tags = [{ name: 'v2', sha: impostor }];
    mkdirSync(join(root, 'cache'), { recursive: true });
    writeFileSync(
      cacheFile,
      JSON.stringify({
        version: 1,
        entries: {
          'ref:actions/checkout@v2': entry({ status: 'ok', sha: impostor, kind: 'tag' }),
          'repo:actions/checkout': entry({ defaultBranch: 'main', tags, branches: [] }),
          [`reach:actions/checkout@${impostor}`]: entry(true),
        },
      }),
    );
  }
  const workflow = () =>
    `jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v2\n      - uses: actions/checkout@${impostor}\n`;

  it('ignores entries stamped in the future: the impostor is reported and fix pins the real tag', async () => {
    const cacheFile = join(root, 'cache', 'refs.json');
    const scope = `local:${root}`;
    poison(cacheFile, (value) => ({ at: Date.now() + 3650 * DAY, value, scope }));
    write('p.yml', workflow());
    const checked = await runPinCheck(options({ online: true, cacheFile }));
    expect(checked.findings.map((f) => `${f.line} ${f.ruleId}`)).toEqual([
      '4 unpinned-action',
      '5 impostor-commit',
    ]);
    poison(cacheFile, (value) => ({ at: Date.now() + 3650 * DAY, value, scope }));
    await runPinCheck(options({ fix: true, cacheFile }));
    expect(read('p.yml')).toBe(workflow().replace('actions/checkout@v2', `actions/checkout@${c2} # v2`));
  });

  it('asks GitHub again instead of trusting cached values of the wrong shape', async () => {
    const cacheFile = join(root, 'cache', 'refs.json');
    mkdirSync(join(root, 'cache'), { recursive: true });
    const at = Date.now();
    writeFileSync(
      cacheFile,
      JSON.stringify({
        version: 1,
        entries: {
          'ref:actions/checkout@v2': { at, value: { status: 'ok', sha: 'not-a-sha', kind: 'tag' } },
          'repo:actions/checkout': { at, value: { tags: 'v2', branches: null } },
        },
      }),
    );
    write('p.yml', workflow());
    const result = await runPinCheck(options({ online: true, cacheFile }));
    expect(result.findings.map((f) => `${f.line} ${f.ruleId}`)).toEqual([
      '4 unpinned-action',
      '5 impostor-commit',
    ]);
  });

  it('checks a "reachable" verdict written in another scope again', async () => {
    const cacheFile = join(root, 'cache', 'refs.json');
    poison(cacheFile, (value) =>
      value === true
        ? { at: Date.now(), value, scope: 'workflow:octo-org/other/.github/workflows/x.yml' }
        : {},
    );
    write('p.yml', `jobs:\n  a:\n    steps:\n      - uses: actions/checkout@${impostor}\n`);
    const result = await runPinCheck(options({ online: true, cacheFile }));
    expect(result.findings.map((f) => `${f.line} ${f.ruleId}`)).toEqual(['4 impostor-commit']);
  });
});
