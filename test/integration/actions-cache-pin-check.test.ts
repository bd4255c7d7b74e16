/**
 * pin-check (committed bundle) keeps its GitHub lookups in the real Actions
 * cache: @actions/cache 6 talks to the cache double (v2 Twirp + blob), the
 * lookups go to the GitHub API double. Run 2 is a new job (new run id, empty
 * RUNNER_TEMP at the same path as on hosted runners, new workspace): it
 * restores run 1's entry through the restore-key prefix and asks GitHub nothing.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { node24Path } from '../harness/node-versions.ts';
import { findLeaks, runAction } from '../harness/run-action.ts';
import { startGitHubDouble, type GitHubDouble } from '../doubles/github/index.ts';
import { startActionsCacheDouble, type ActionsCacheDouble } from '../doubles/actions-cache/cache-server.ts';

const actionDir = resolve(import.meta.dirname, '../../actions/pin-check');
const token = 'ghs_cache_test_token_0123456789';
let gh: GitHubDouble;
let cacheService: ActionsCacheDouble;
let v4: string;
let v2: string;
let runnerTemp: string;

beforeAll(async () => {
  gh = await startGitHubDouble();
  cacheService = await startActionsCacheDouble();
  const checkout = await gh.repos.create('actions/checkout');
  v4 = await checkout.commit({ files: { 'action.yml': 'name: c\n' }, date: '2024-01-01T00:00:00Z' });
  await checkout.annotatedTag('v4', v4, { message: 'v4' });
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
async function job(runId: string, ws: string, extraEnv: Record<string, string> = {}) {
  rmSync(runnerTemp, { recursive: true, force: true });
  mkdirSync(runnerTemp);
  gh.requests.reset();
  return runAction({
    actionDir,
    workspace: ws,
    node: node24Path(), // the runtime action.yml names (node24)
    inputs: { fix: 'true', token, 'fail-on-findings': 'false' },
    env: {
      // Not gh.env: a GITHUB_SERVER_URL other than github.com makes @actions/cache pick the v1 (GHES) service.
      GITHUB_API_URL: gh.url,
      GITHUB_GRAPHQL_URL: gh.graphqlUrl,
      ...(await cacheService.env()),
      RUNNER_TEMP: runnerTemp,
      GITHUB_RUN_ID: runId,
      ...extraEnv,
    },
  });
}

const FIXED = () =>
  WORKFLOW.replace('actions/checkout@v4', `actions/checkout@${v4} # v4`).replace(
    'actions/setup-node@v2',
    `actions/setup-node@${v2} # v2`,
  );

describe('pin-check lookup cache through the Actions cache service', () => {
  it('run 1 saves the lookups, run 2 restores them by prefix and makes zero GitHub API requests', async () => {
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
    expect(cacheService.requests[0]!.body).toMatchObject({
      key: 'slipway-pin-check-refs-v1-2001-1',
      restore_keys: ['slipway-pin-check-refs-v1-'],
    });
    expect(cacheService.entries().map((e) => e.key)).toEqual(['slipway-pin-check-refs-v1-2001-1']);
    const archive = cacheService.entries()[0]!.archive;
    expect(cacheService.bytes).toEqual({ uploaded: archive.length, downloaded: 0 });

    cacheService.resetCounters();
    const ws2 = workspace();
    const second = await job('2002', ws2);
    expect(second.exitCode, second.log).toBe(0);
    expect(second.log).toContain('Restored GitHub lookups from cache slipway-pin-check-refs-v1-2001-1');
    expect(gh.requests.total).toBe(0);
    expect(readFileSync(join(ws2, '.github', 'workflows', 'ci.yml'), 'utf8')).toBe(FIXED());
    expect(second.outputs).toMatchObject({ fixed: '2' });
    expect(cacheService.bytes.downloaded).toBe(archive.length);
    // Run 2 saves its own entry (keys are per run); both stay, as in the service.
    expect(cacheService.entries().map((e) => e.key)).toEqual([
      'slipway-pin-check-refs-v1-2001-1',
      'slipway-pin-check-refs-v1-2002-1',
    ]);
    expect(findLeaks(first, [token])).toEqual([]);
    expect(findLeaks(second, [token])).toEqual([]);
  });

  it('a job that can mint an OIDC token never restores the lookups (it still saves them)', async () => {
    expect((await job('3001', workspace())).exitCode).toBe(0);
    cacheService.resetCounters();
    const idTokenJob = await job('3002', workspace(), {
      ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/_apis/distributedtask/token',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-token-request-token',
    });
    expect(idTokenJob.exitCode, idTokenJob.log).toBe(0);
    expect(cacheService.count('GetCacheEntryDownloadURL')).toBe(0);
    expect(cacheService.bytes.downloaded).toBe(0);
    expect(gh.requests.total).toBeGreaterThan(0);
    expect(idTokenJob.annotations.filter((a) => a.level === 'notice').map((a) => a.message)).toEqual([
      expect.stringMatching(
        /^The lookup cache is not restored in this job because it can request an OIDC token/,
      ),
    ]);
    expect(cacheService.entries().map((e) => e.key)).toEqual([
      'slipway-pin-check-refs-v1-3001-1',
      'slipway-pin-check-refs-v1-3002-1',
    ]);
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
      'Failed to save: Unable to reserve cache with key slipway-pin-check-refs-v1-2002-1, another job may be creating this cache.',
    );
    expect(cacheService.entries().map((e) => e.key)).toEqual(['slipway-pin-check-refs-v1-2001-1']);
  });
});
