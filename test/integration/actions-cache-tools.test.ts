/**
 * The supply-chain tool installer and Trivy's DB cache through the real
 * @actions/cache (SLIPWAY_CACHE_DIR empty, so persistentCacheFromEnv picks
 * @actions/cache) against the Actions cache double, with the stand-in tools
 * from the release double. Run 2 is a new job: empty RUNNER_TEMP at the same
 * path (as on hosted runners) and a new RUNNER_TOOL_CACHE; it gets the verified
 * archive and the DBs from the Actions cache and downloads 0 release bytes.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { node24Path } from '../harness/node-versions.ts';
import { runAction } from '../harness/run-action.ts';
import { startActionsCacheDouble, type ActionsCacheDouble } from '../doubles/actions-cache/cache-server.ts';
import { writePoisonedEntry } from './support/poisoned-cache-entry.ts';
import { useStandInTools } from './support/stand-in-tools.ts';

const sbom = resolve(import.meta.dirname, '../../actions/sbom');
const trivyScan = resolve(import.meta.dirname, '../../actions/trivy-scan');
const setup = useStandInTools('actions-cache-tools-ws-');
let cacheService: ActionsCacheDouble;

beforeAll(async () => {
  // A failed blob download leaves its socket open in the action (the client does not read the error
  // body), so the process only exits when the server drops the idle connection: keep that short.
  cacheService = await startActionsCacheDouble({ keepAliveTimeoutMs: 1000 });
});
afterAll(async () => {
  await cacheService?.close();
});
beforeEach(() => {
  cacheService.store.clear();
  cacheService.blobs.clear();
  cacheService.clearFaults();
  cacheService.resetCounters();
});

/** Env for one job on a fresh runner: RUNNER_TEMP emptied, the on-disk cache override off. */
async function freshJob(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const temp = join(setup.runner.root, 'temp');
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp);
  setup.runner.clearArgv();
  setup.tools.server.resetCounters();
  cacheService.resetCounters();
  return setup.runner.env({ SLIPWAY_CACHE_DIR: '', ...(await cacheService.env()), ...extra });
}

const ops = () => cacheService.requests.map((r) => `${r.operation} ${r.status}`);
const keys = () => cacheService.entries().map((e) => e.key);
const archiveBytes = () => cacheService.entries().reduce((n, e) => n + e.archive.length, 0);
const SAVE = [
  'GetCacheEntryDownloadURL 200',
  'CreateCacheEntry 200',
  'PutBlob 201',
  'FinalizeCacheEntryUpload 200',
];
const RESTORE = ['GetCacheEntryDownloadURL 200', 'GetBlob 200'];

function syftKey(): string {
  const key = keys()[0] ?? '';
  expect(key).toMatch(/^slipway-tool-syft-1\.51\.0-linux-x64-[0-9a-f]{64}$/);
  return key;
}

describe('tool installer through the Actions cache service', () => {
  it('sbom: run 1 saves the verified syft archive, run 2 (new job) restores it and downloads 0 bytes', async () => {
    const inputs = { image: 'alpine:3' };
    const first = await runAction({
      actionDir: sbom,
      workspace: setup.workspace,
      inputs,
      env: await freshJob(),
    });
    expect(first.exitCode, first.log).toBe(0);
    expect(setup.tools.server.totalBytes()).toBeGreaterThan(0);
    expect(ops()).toEqual(SAVE);
    const key = syftKey();
    expect(cacheService.bytes).toEqual({ uploaded: archiveBytes(), downloaded: 0 });

    const second = await runAction({
      actionDir: sbom,
      workspace: setup.workspace,
      inputs,
      env: await freshJob(),
    });
    expect(second.exitCode, second.log).toBe(0);
    expect(setup.tools.server.totalBytes()).toBe(0);
    expect(setup.tools.server.requests).toEqual([]);
    expect(ops()).toEqual(RESTORE);
    expect(cacheService.bytes).toEqual({ uploaded: 0, downloaded: archiveBytes() });
    const sha = key.slice(-64);
    expect(second.log).toContain(
      `syft_1.51.0_linux_amd64.tar.gz restored from the cache (key ${key}); sha256 ${sha} matches tools.lock.json.`,
    );
    expect(second.log).toContain('syft 1.51.0: actions-cache, 0 bytes downloaded.');
    expect(second.outputs['syft-version']).toBe('1.51.0');
    expect(setup.runner.calls().map((c) => c.tool)).toEqual(['syft']);
  });

  it('sbom: a failed cache download (500) falls back to the release and still succeeds', async () => {
    const inputs = { image: 'alpine:3' };
    await runAction({ actionDir: sbom, workspace: setup.workspace, inputs, env: await freshJob() });
    const env = await freshJob();
    cacheService.fault('GetBlob', { status: 500 });
    const second = await runAction({ actionDir: sbom, workspace: setup.workspace, inputs, env });
    expect(second.exitCode, second.log).toBe(0);
    // The installer saves the downloaded archive again; the service keeps the first entry of a key.
    expect(ops()).toEqual(['GetCacheEntryDownloadURL 200', 'GetBlob 500', 'CreateCacheEntry 409']);
    expect(setup.tools.server.totalBytes()).toBeGreaterThan(0);
    expect(second.log).toContain('syft 1.51.0: download,');
    expect(
      second.annotations.filter((a) => a.level === 'warning' || a.level === 'error').map((a) => a.message),
    ).toEqual([expect.stringMatching(/^Failed to restore: /)]);
    expect(keys()).toHaveLength(1);
  });

  it('sbom: a runner whose RUNNER_TEMP path differs misses (the cache version covers the archive path)', async () => {
    const inputs = { image: 'alpine:3' };
    await runAction({ actionDir: sbom, workspace: setup.workspace, inputs, env: await freshJob() });
    const otherTemp = mkdtempSync(join(tmpdir(), 'other-runner-temp-'));
    const second = await runAction({
      actionDir: sbom,
      workspace: setup.workspace,
      inputs,
      env: await freshJob({ RUNNER_TEMP: otherTemp }),
    });
    expect(second.exitCode, second.log).toBe(0);
    expect(ops().slice(0, 2)).toEqual(['GetCacheEntryDownloadURL 200', 'CreateCacheEntry 200']);
    expect(setup.tools.server.totalBytes()).toBeGreaterThan(0);
    const [a, b] = cacheService.entries();
    expect(a!.key).toBe(b!.key);
    expect(a!.version).not.toBe(b!.version);
  });

  it('trivy-scan: run 2 restores trivy and both daily DBs from the Actions cache: no asset bytes, no DB download', async () => {
    const inputs = { target: 'alpine:3.10' };
    const node = node24Path(); // the runtime action.yml names
    const first = await runAction({
      actionDir: trivyScan,
      workspace: setup.workspace,
      inputs,
      node,
      env: await freshJob(),
    });
    expect(first.exitCode, first.log).toBe(0);
    expect(ops()).toEqual([...SAVE, ...SAVE, ...SAVE]);
    expect(keys()).toEqual([
      expect.stringMatching(/^slipway-tool-trivy-0\.74\.0-linux-x64-[0-9a-f]{64}$/),
      expect.stringMatching(/^slipway-trivy-db-\d{4}-\d{2}-\d{2}$/),
      expect.stringMatching(/^slipway-trivy-java-db-\d{4}-\d{2}-\d{2}$/),
    ]);
    expect(setup.runner.calls().map((c) => c.argv[0])).toEqual(['image', 'image', 'image', 'convert']);
    expect(cacheService.requests[4]!.body).toMatchObject({
      key: keys()[1],
      restore_keys: ['slipway-trivy-db-'],
    });

    const second = await runAction({
      actionDir: trivyScan,
      workspace: setup.workspace,
      inputs,
      node,
      env: await freshJob(),
    });
    expect(second.exitCode, second.log).toBe(0);
    expect(ops()).toEqual([...RESTORE, ...RESTORE, ...RESTORE]);
    expect(cacheService.bytes).toEqual({ uploaded: 0, downloaded: archiveBytes() });
    expect(setup.tools.server.totalBytes()).toBe(0);
    expect(setup.runner.calls().map((c) => c.argv[0])).toEqual(['image', 'convert']);
    expect(second.log).toContain('trivy 0.74.0: actions-cache, 0 bytes downloaded.');
    expect(second.log).toContain(`Trivy db restored from the cache (key ${keys()[1]}).`);
    expect(second.log).toContain(`Trivy java-db restored from the cache (key ${keys()[2]}).`);
    expect(second.outputs.findings).toBe('4');
  });
});

/** What the runner sets in a job with `permissions: id-token: write`. */
const ID_TOKEN_ENV = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/_apis/distributedtask/token',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-token-request-token',
};
// the cache's own notices (an image given by tag, such as alpine:3.10, also gets trivy-scan's
// "could not ask the registry whether it is a multi-platform image" notice here, offline)
const notices = (result: { annotations: { level: string; message: string }[] }) =>
  result.annotations
    .filter((a) => a.level === 'notice' && /Actions cache/.test(a.message))
    .map((a) => a.message);

describe('a poisoned Actions cache entry and a job that can mint an OIDC token', () => {
  it('trivy-scan: a poisoned DB entry under the predicted key prefix writes nothing in an id-token job; without id-token it is restored as before', async () => {
    const inputs = { target: 'alpine:3.10' };
    const env = await freshJob(ID_TOKEN_ENV);
    const outside = join(setup.runner.root, 'written-by-the-cache-entry.txt');
    await writePoisonedEntry(cacheService, {
      key: 'slipway-trivy-db-2000-01-01', // found through the restore key slipway-trivy-db-
      paths: [join(env.RUNNER_TEMP!, 'slipway-trivy', 'db')],
      workspace: setup.workspace,
      files: { [outside]: 'attacker code\n' },
    });
    cacheService.resetCounters();

    const signingJob = await runAction({
      actionDir: trivyScan,
      workspace: setup.workspace,
      inputs,
      node: node24Path(),
      env,
    });
    expect(signingJob.exitCode, signingJob.log).toBe(0);
    expect(existsSync(outside)).toBe(false);
    expect(cacheService.count('GetCacheEntryDownloadURL')).toBe(0);
    expect(cacheService.count('GetBlob')).toBe(0);
    // it still saves what it downloaded and verified: the archive and both DBs
    expect(ops()).toEqual([...SAVE.slice(1), ...SAVE.slice(1), ...SAVE.slice(1)]);
    expect(notices(signingJob)).toEqual([
      expect.stringMatching(
        /^The Actions cache is not restored in this job because it can request an OIDC token \(id-token: write\)/,
      ),
    ]);
    expect(signingJob.log).toContain('trivy 0.74.0: download,');

    // The same entry in a job without id-token: write is restored (cache-db: auto), as before.
    const scanJob = await runAction({
      actionDir: trivyScan,
      workspace: setup.workspace,
      inputs: { ...inputs, 'cache-db': 'auto' },
      node: node24Path(),
      env: await freshJob(),
    });
    expect(scanJob.exitCode, scanJob.log).toBe(0);
    expect(notices(scanJob)).toEqual([]);
    expect(cacheService.count('GetCacheEntryDownloadURL')).toBe(3);
    expect(scanJob.log).toContain('Trivy db restored from the cache');
  });

  it('sbom: a poisoned tool-archive entry under the exact predicted key writes nothing in an id-token job', async () => {
    const inputs = { image: 'alpine:3' };
    // run 1 (no id-token) learns the key; the entry is then replaced by the attacker's
    await runAction({ actionDir: sbom, workspace: setup.workspace, inputs, env: await freshJob() });
    const key = syftKey();
    const [legit] = cacheService.entries();
    cacheService.store.clear();
    const env = await freshJob(ID_TOKEN_ENV);
    const outside = join(setup.runner.root, 'sign', 'index.js');
    await writePoisonedEntry(cacheService, {
      key,
      paths: [
        join(env.RUNNER_TEMP!, 'slipway-tools', 'syft-1.51.0-linux-x64', 'syft_1.51.0_linux_amd64.tar.gz'),
      ],
      workspace: setup.workspace,
      files: { [outside]: 'attacker code\n' },
    });
    expect(cacheService.entries().map((e) => [e.key, e.version])).toEqual([[key, legit!.version]]);
    cacheService.resetCounters();

    const signingJob = await runAction({ actionDir: sbom, workspace: setup.workspace, inputs, env });
    expect(signingJob.exitCode, signingJob.log).toBe(0);
    expect(existsSync(outside)).toBe(false);
    expect(ops()).toEqual(['CreateCacheEntry 409']);
    expect(notices(signingJob)).toHaveLength(1);

    // Without id-token the job restores it: that is the attack the id-token job is spared.
    const other = await runAction({
      actionDir: sbom,
      workspace: setup.workspace,
      inputs,
      env: await freshJob(),
    });
    expect(other.exitCode, other.log).toBe(0);
    expect(ops().slice(0, 2)).toEqual(RESTORE);
    expect(existsSync(outside)).toBe(true);
    expect(other.log).toContain('syft 1.51.0: download,'); // the entry held no archive: nothing to use
  });

  it('trivy-scan: cache-db true forces the DB restore in an id-token job, with a warning; the tool archive stays unrestored', async () => {
    const inputs = { target: 'alpine:3.10' };
    await runAction({ actionDir: trivyScan, workspace: setup.workspace, inputs, env: await freshJob() });
    const forced = await runAction({
      actionDir: trivyScan,
      workspace: setup.workspace,
      inputs: { ...inputs, 'cache-db': 'true' },
      env: await freshJob(ID_TOKEN_ENV),
    });
    expect(forced.exitCode, forced.log).toBe(0);
    // two DB restores (db, java-db); the trivy archive is downloaded, its save finds the key taken
    expect(ops()).toEqual(['CreateCacheEntry 409', ...RESTORE, ...RESTORE]);
    expect(forced.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      expect.stringMatching(/^Restoring from the Actions cache in a job that can request an OIDC token/),
    ]);
    expect(notices(forced)).toHaveLength(1);
    expect(forced.log).toContain('trivy 0.74.0: download,');

    const off = await runAction({
      actionDir: trivyScan,
      workspace: setup.workspace,
      inputs: { ...inputs, 'cache-db': 'false' },
      env: await freshJob(),
    });
    expect(off.exitCode, off.log).toBe(0);
    expect(ops()).toEqual(RESTORE); // the tool archive only: the DBs are neither restored nor saved
  });
});
