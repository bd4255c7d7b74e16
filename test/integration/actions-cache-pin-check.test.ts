/**
 * pin-check (committed bundle) keeps its GitHub lookups in the real Actions
 * cache: @actions/cache 6 talks to the cache double (v2 Twirp + blob), the
 * lookups go to the GitHub API double. Run 2 is a new job (new run id, empty
 * RUNNER_TEMP at the same path as on hosted runners, new workspace): it
 * restores run 1's entry by its exact key and asks GitHub nothing. Poisoned
 * entries (a key the service matches as a prefix, forged answers stamped in
 * the future) neither hide an impostor commit nor make `fix` pin it, and a job
 * that can request OIDC tokens restores nothing.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as cache from '@actions/cache';
import { node24Path } from '../harness/node-versions.ts';
import { findLeaks, runAction } from '../harness/run-action.ts';
import { startGitHubDouble, type GitHubDouble } from '../doubles/github/index.ts';
import { startActionsCacheDouble, type ActionsCacheDouble } from '../doubles/actions-cache/cache-server.ts';
import { refCacheKey } from '../../actions/pin-check/src/actions-cache.ts';

const actionDir = resolve(import.meta.dirname, '../../actions/pin-check');
const token = 'ghs_cache_test_token_0123456789';
let gh: GitHubDouble;
let cacheService: ActionsCacheDouble;
let v4: string;
let v2: string;
let impostor: string;
let runnerTemp: string;

beforeAll(async () => {
  gh = await startGitHubDouble();
  cacheService = await startActionsCacheDouble();
  const checkout = await gh.repos.create('actions/checkout');
  v4 = await checkout.commit({ files: { 'action.yml': 'name: c\n' }, date: '2024-01-01T00:00:00Z' });
  await checkout.annotatedTag('v4', v4, { message: 'v4' });
  const fork = await checkout.fork('evil/checkout');
  impostor = await fork.commit({ files: { 'action.yml': 'name: evil\n' }, date: '2024-02-01T00:00:00Z' });
  const setupNode = await gh.repos.create('actions/setup-node');
  v2 = await setupNode.commit({ files: { 'action.yml': 'name: n\n' }, date: '2024-01-01T00:00:00Z' });
  await setupNode.tag('v2', v2);
}, 60_000);
afterAll(async () => {
  await cacheService?.close();
  await gh?.close();
});
beforeEach(() => {
  cacheService.store.clear();
  cacheService.blobs.clear();
  cacheService.clearFaults();
  cacheService.resetCounters();
  runnerTemp = mkdtempSync(join(tmpdir(), 'pin-check-cache-temp-'));
});

const WORKFLOW = [
  'on: push',
  'jobs:',
  '  a:',
  '    runs-on: ubuntu-24.04',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '      - uses: actions/setup-node@v2',
  '',
].join('\n');

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pin-check-cache-ws-'));
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(dir, '.github', 'workflows', 'ci.yml'), WORKFLOW);
  return dir;
}

/** One job: the runner's temp dir starts empty, as on a fresh hosted runner. */
async function job(
  runId: string,
  ws: string,
  extra: { inputs?: Record<string, string>; env?: Record<string, string> } = {},
) {
  rmSync(runnerTemp, { recursive: true, force: true });
  mkdirSync(runnerTemp);
  gh.requests.reset();
  return runAction({
    actionDir,
    workspace: ws,
    node: node24Path(), // the runtime action.yml names (node24)
    inputs: { fix: 'true', token, 'fail-on-findings': 'false', ...extra.inputs },
    env: {
      // Not gh.env: a GITHUB_SERVER_URL other than github.com makes @actions/cache pick the v1 (GHES) service.
      GITHUB_API_URL: gh.url,
      GITHUB_GRAPHQL_URL: gh.graphqlUrl,
      ...(await cacheService.env()),
      RUNNER_TEMP: runnerTemp,
      GITHUB_RUN_ID: runId,
      ...extra.env,
    },
  });
}

/** The harness runs every job as workflow `ci` of octo-org/octo-repo. */
const SCOPE = 'workflow:octo-org/octo-repo/ci';
const DAY = 86_400_000;
const exactKey = () => refCacheKey(SCOPE, gh.url, DAY, Date.now()) as string;

const FIXED = () =>
  WORKFLOW.replace('actions/checkout@v4', `actions/checkout@${v4} # v4`).replace(
    'actions/setup-node@v2',
    `actions/setup-node@${v2} # v2`,
  );

describe('pin-check lookup cache through the Actions cache service', () => {
  it('run 1 saves the lookups under the exact key, run 2 restores that key and makes zero GitHub API requests', async () => {
    const key = exactKey();
    const ws1 = workspace();
    const first = await job('2001', ws1);
    expect(first.exitCode, first.log).toBe(0);
    expect(readFileSync(join(ws1, '.github', 'workflows', 'ci.yml'), 'utf8')).toBe(FIXED());
    expect(gh.requests.total).toBeGreaterThan(0);
    expect(first.log).toContain('No cached GitHub lookups yet');
    expect(cacheService.requests.map((r) => `${r.operation} ${r.status}`)).toEqual([
      'GetCacheEntryDownloadURL 200',
      'CreateCacheEntry 200',
      'PutBlob 201',
      'FinalizeCacheEntryUpload 200',
    ]);
    // one key per workflow, API server and TTL period; no restore keys (no prefix matching)
    expect(key).toMatch(/^slipway-pin-check-refs-v2-[0-9a-f]{32}-\d+$/);
    expect(cacheService.requests[0]!.body).toMatchObject({ key });
    expect(cacheService.requests[0]!.body!.restore_keys ?? []).toEqual([]);
    expect(cacheService.entries().map((e) => e.key)).toEqual([key]);
    const archive = cacheService.entries()[0]!.archive;
    expect(cacheService.bytes).toEqual({ uploaded: archive.length, downloaded: 0 });

    cacheService.resetCounters();
    const ws2 = workspace();
    const second = await job('2002', ws2);
    expect(second.exitCode, second.log).toBe(0);
    expect(second.log).toContain(`Restored GitHub lookups from cache ${key}`);
    expect(gh.requests.total).toBe(0);
    expect(readFileSync(join(ws2, '.github', 'workflows', 'ci.yml'), 'utf8')).toBe(FIXED());
    expect(second.outputs).toMatchObject({ fixed: '2' });
    // a lookup without download, then the download; no save (the key is taken)
    expect(cacheService.requests.map((r) => `${r.operation} ${r.status}`)).toEqual([
      'GetCacheEntryDownloadURL 200',
      'GetCacheEntryDownloadURL 200',
      'GetBlob 200',
    ]);
    expect(cacheService.bytes.downloaded).toBe(archive.length);
    expect(cacheService.entries().map((e) => e.key)).toEqual([key]);
    expect(findLeaks(first, [token])).toEqual([]);
    expect(findLeaks(second, [token])).toEqual([]);
  });

  it('cache: false neither restores nor saves', async () => {
    rmSync(runnerTemp, { recursive: true, force: true });
    mkdirSync(runnerTemp);
    const result = await runAction({
      actionDir,
      workspace: workspace(),
      inputs: { fix: 'true', token, 'fail-on-findings': 'false', cache: 'false' },
      env: {
        GITHUB_API_URL: gh.url,
        GITHUB_GRAPHQL_URL: gh.graphqlUrl,
        ...(await cacheService.env()),
        RUNNER_TEMP: runnerTemp,
      },
    });
    expect(result.exitCode, result.log).toBe(0);
    expect(cacheService.requests).toEqual([]);
  });

  it('a rate-limited cache service only costs the lookups: the run still fixes and succeeds', async () => {
    const key = exactKey();
    await job('2001', workspace());
    cacheService.resetCounters();
    cacheService.fault('GetCacheEntryDownloadURL', { status: 429 });
    cacheService.fault('CreateCacheEntry', { status: 429 });
    const ws = workspace();
    const result = await job('2002', ws);
    expect(result.exitCode, result.log).toBe(0);
    expect(readFileSync(join(ws, '.github', 'workflows', 'ci.yml'), 'utf8')).toBe(FIXED());
    expect(gh.requests.total).toBeGreaterThan(0);
    expect(cacheService.requests.map((r) => `${r.operation} ${r.status}`)).toEqual([
      'GetCacheEntryDownloadURL 429',
      'CreateCacheEntry 429',
    ]);
    expect(result.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      'Failed to restore: Failed to GetCacheEntryDownloadURL: Rate limited: Failed request: (429) Too Many Requests: injected fault (429)',
    ]);
    // @actions/cache reports a refused reservation as a plain log line, not a warning.
    expect(result.log).toContain(
      `Failed to save: Unable to reserve cache with key ${key}, another job may be creating this cache.`,
    );
    expect(cacheService.entries().map((e) => e.key)).toEqual([key]);
  });
});

describe('a poisoned lookup cache', () => {
  /** Answers an attacker would plant: v4 is the fork's commit, and that commit is "reachable". */
  const forged = (at: number) => ({
    version: 1,
    entries: {
      'ref:actions/checkout@v4': { at, scope: SCOPE, value: { status: 'ok', sha: impostor, kind: 'tag' } },
      'repo:actions/checkout': {
        at,
        scope: SCOPE,
        value: { defaultBranch: 'main', tags: [{ name: 'v4', sha: impostor }], branches: [] },
      },
      [`reach:actions/checkout@${impostor}`]: { at, scope: SCOPE, value: true },
    },
  });
  const FAR_FUTURE = () => Date.now() + 3650 * DAY;

  /** Saves `refs` as the lookup cache under `key`, as another job writing to the cache could. */
  async function plant(key: string, refs: unknown): Promise<void> {
    const dir = join(runnerTemp, 'slipway-pin-check');
    rmSync(runnerTemp, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'refs.json'), JSON.stringify(refs));
    const saved = { ...process.env };
    // the same relative path from the workspace as in the jobs (all are folders of tmpdir())
    Object.assign(process.env, await cacheService.env(), {
      GITHUB_WORKSPACE: workspace(),
      RUNNER_TEMP: runnerTemp,
    });
    try {
      await cache.saveCache([dir], key);
    } finally {
      process.env = saved;
    }
    cacheService.resetCounters();
  }

  function poisonedWorkspace(): string {
    const ws = workspace();
    writeFileSync(
      join(ws, '.github', 'workflows', 'ci.yml'),
      `${WORKFLOW}      - uses: actions/checkout@${impostor}\n`,
    );
    return ws;
  }

  /** The run fixed with the real commits, left the impostor in place and reported it. */
  function expectNotFooled(ws: string, result: Awaited<ReturnType<typeof job>>): void {
    expect(result.exitCode, result.log).toBe(0);
    expect(readFileSync(join(ws, '.github', 'workflows', 'ci.yml'), 'utf8')).toBe(
      `${FIXED()}      - uses: actions/checkout@${impostor}\n`,
    );
    expect(
      result.annotations
        .filter((a) => a.title === 'pin-check: impostor-commit')
        .map((a) => `${a.file}:${a.line}`),
    ).toEqual(['.github/workflows/ci.yml:8']);
    expect(gh.requests.total).toBeGreaterThan(0);
  }

  it('restores nothing from keys that only share a prefix with the exact key', async () => {
    const key = exactKey();
    await plant('slipway-pin-check-refs-v1-9999-1', forged(FAR_FUTURE()));
    await plant(`${key}-poisoned`, forged(FAR_FUTURE()));
    const ws = poisonedWorkspace();
    const result = await job('3001', ws, { inputs: { online: 'true' } });
    expectNotFooled(ws, result);
    expect(result.log).toContain(`Ignoring cache ${key}-poisoned: it is not ${key}`);
    expect(cacheService.count('GetBlob')).toBe(0);
  });

  it('drops entries stamped in the future from an entry under the exact key', async () => {
    const key = exactKey();
    await plant(key, forged(FAR_FUTURE()));
    const ws = poisonedWorkspace();
    const result = await job('3002', ws, { inputs: { online: 'true' } });
    expect(result.log).toContain(`Restored GitHub lookups from cache ${key}`);
    expectNotFooled(ws, result);
  });

  it('restores nothing in a job that can request OIDC tokens', async () => {
    await plant('slipway-pin-check-refs-v1-9999-1', forged(Date.now()));
    await plant(exactKey(), forged(Date.now()));
    const ws = poisonedWorkspace();
    const result = await job('3003', ws, {
      inputs: { online: 'true' },
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/token', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x' },
    });
    expect(result.log).toContain('Not restoring cached GitHub lookups: this job can request OIDC tokens');
    expect(cacheService.count('GetCacheEntryDownloadURL')).toBe(0);
    expectNotFooled(ws, result);
  });
});
