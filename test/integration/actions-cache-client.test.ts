/**
 * @actions/cache 6 (the real library, in-process) against the Actions cache
 * double: the v2 Twirp RPCs, the Azure blob upload/download, the service's
 * key / restore-key / version matching, branch scopes from the runtime token,
 * and what the client does with 409, 429, 5xx and denied writes.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cache from '@actions/cache';
import { BlockBlobClient } from '@azure/storage-blob';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startActionsCacheDouble, type ActionsCacheDouble } from '../doubles/actions-cache/cache-server.ts';
import { READ, WRITE } from '../doubles/actions-cache/runtime-token.ts';

let double: ActionsCacheDouble;
let workspace: string;
const saved = { ...process.env };

beforeAll(async () => {
  double = await startActionsCacheDouble();
});
afterAll(async () => {
  process.env = saved;
  await double.close();
});

beforeEach(async () => {
  double.store.clear();
  double.blobs.clear();
  double.resetCounters();
  double.clearFaults();
  workspace = mkdtempSync(join(tmpdir(), 'actions-cache-client-'));
  process.env = { ...saved, GITHUB_WORKSPACE: workspace, RUNNER_TEMP: join(workspace, '.temp') };
  Object.assign(process.env, await double.env());
});

/** A directory in the workspace with one file, returned as its absolute path. */
function folder(name: string, content: string): string {
  const dir = join(workspace, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'data.txt'), content);
  return dir;
}

const operations = () => double.requests.map((r) => `${r.operation} ${r.status}`);

describe('@actions/cache against the cache double', () => {
  it('selects the v2 service from the env the double gives', () => {
    expect(cache.isFeatureAvailable()).toBe(true);
    process.env.GITHUB_SERVER_URL = 'https://ghes.example.com';
    expect(cache.isFeatureAvailable()).toBe(false); // GHES means v1, which needs ACTIONS_CACHE_URL
  });

  it('saves and restores a directory byte for byte through Twirp + blob calls', async () => {
    const dir = folder('deps', 'hello cache\n');
    const id = await cache.saveCache([dir], 'deps-linux-1');
    const [entry] = double.entries();
    expect(id).toBe(entry!.id);
    expect(operations()).toEqual(['CreateCacheEntry 200', 'PutBlob 201', 'FinalizeCacheEntryUpload 200']);
    const create = double.requests[0]!.body!;
    expect(create.key).toBe('deps-linux-1');
    expect(create.version).toMatch(/^[0-9a-f]{64}$/);
    expect(double.requests[2]!.body).toEqual({
      key: 'deps-linux-1',
      version: create.version,
      size_bytes: String(entry!.archive.length),
    });
    expect(double.bytes).toEqual({ uploaded: entry!.archive.length, downloaded: 0 });

    rmSync(dir, { recursive: true });
    double.resetCounters();
    expect(await cache.restoreCache([dir], 'deps-linux-1')).toBe('deps-linux-1');
    expect(readFileSync(join(dir, 'data.txt'), 'utf8')).toBe('hello cache\n');
    expect(operations()).toEqual(['GetCacheEntryDownloadURL 200', 'GetBlob 200']);
    expect(double.requests[0]!.body).toEqual({ key: 'deps-linux-1', version: create.version });
    expect(double.bytes).toEqual({ uploaded: 0, downloaded: entry!.archive.length });
  });

  it('matches the exact key first, then the key as a prefix, then restore keys (newest first)', async () => {
    const dir = folder('deps', 'one');
    await cache.saveCache([dir], 'deps-a-1');
    writeFileSync(join(dir, 'data.txt'), 'two');
    await cache.saveCache([dir], 'deps-b-2');
    writeFileSync(join(dir, 'data.txt'), 'three');
    await cache.saveCache([dir], 'deps-a-3');

    expect(await cache.restoreCache([dir], 'deps-a-1', ['deps-'])).toBe('deps-a-1');
    expect(readFileSync(join(dir, 'data.txt'), 'utf8')).toBe('one');
    expect(await cache.restoreCache([dir], 'deps-a')).toBe('deps-a-3');
    expect(await cache.restoreCache([dir], 'deps-c-9', ['deps-x-', 'deps-b-', 'deps-'])).toBe('deps-b-2');
    expect(readFileSync(join(dir, 'data.txt'), 'utf8')).toBe('two');
    expect(await cache.restoreCache([dir], 'deps-c-9', ['deps-'])).toBe('deps-a-3');
    expect(readFileSync(join(dir, 'data.txt'), 'utf8')).toBe('three');
    double.resetCounters();
    expect(await cache.restoreCache([dir], 'other', ['dep-s'])).toBeUndefined();
    expect(operations()).toEqual(['GetCacheEntryDownloadURL 200']);
  });

  it('misses when the version differs (other paths), even with the same key', async () => {
    const dir = folder('deps', 'x');
    await cache.saveCache([dir], 'deps-1');
    double.resetCounters();
    expect(await cache.restoreCache([join(workspace, 'elsewhere')], 'deps-1', ['deps-'])).toBeUndefined();
    expect(operations()).toEqual(['GetCacheEntryDownloadURL 200']);
    expect(double.bytes.downloaded).toBe(0);
  });

  it('keeps the first entry of a key: a second save gets 409 and uploads nothing', async () => {
    const dir = folder('deps', 'first');
    await cache.saveCache([dir], 'deps-1');
    writeFileSync(join(dir, 'data.txt'), 'second');
    double.resetCounters();
    expect(await cache.saveCache([dir], 'deps-1')).toBe(-1);
    expect(operations()).toEqual(['CreateCacheEntry 409']);
    rmSync(dir, { recursive: true });
    await cache.restoreCache([dir], 'deps-1');
    expect(readFileSync(join(dir, 'data.txt'), 'utf8')).toBe('first');
  });

  it('scopes entries by ref: a feature branch reads main, main does not read the feature branch', async () => {
    const dir = folder('deps', 'from main');
    await cache.saveCache([dir], 'deps-main');
    const feature = [
      { scope: 'refs/heads/feature', permission: READ | WRITE },
      { scope: 'refs/heads/main', permission: READ },
    ];
    process.env.ACTIONS_RUNTIME_TOKEN = await double.token(feature);
    rmSync(dir, { recursive: true });
    expect(await cache.restoreCache([dir], 'deps-feature', ['deps-'])).toBe('deps-main');
    writeFileSync(join(dir, 'data.txt'), 'from feature');
    await cache.saveCache([dir], 'deps-feature');
    expect(double.entries().map((e) => [e.scope, e.key])).toEqual([
      ['refs/heads/main', 'deps-main'],
      ['refs/heads/feature', 'deps-feature'],
    ]);
    expect(await cache.restoreCache([dir], 'deps-feature', ['deps-'])).toBe('deps-feature');
    process.env.ACTIONS_RUNTIME_TOKEN = await double.token();
    expect(await cache.restoreCache([dir], 'deps-feature', ['deps-'])).toBe('deps-main');
  });

  it('a read-only token cannot save: the write is denied without failing', async () => {
    process.env.ACTIONS_RUNTIME_TOKEN = await double.token([
      { scope: 'refs/pull/7/merge', permission: READ },
    ]);
    expect(await cache.saveCache([folder('deps', 'x')], 'deps-1')).toBe(-1);
    expect(operations()).toEqual(['CreateCacheEntry 200']);
    expect(double.entries()).toEqual([]);
  });

  it('refuses a forged token with 401 and the client treats it as a miss', async () => {
    const [header, payload] = (await double.token()).split('.');
    process.env.ACTIONS_RUNTIME_TOKEN = `${header}.${payload}.${'A'.repeat(43)}`;
    expect(await cache.restoreCache([join(workspace, 'deps')], 'deps-1')).toBeUndefined();
    expect(operations()).toEqual(['GetCacheEntryDownloadURL 401']);
  });

  it('429 on CreateCacheEntry: no retry, nothing saved', async () => {
    double.fault('CreateCacheEntry', { status: 429, retryAfter: 60 });
    expect(await cache.saveCache([folder('deps', 'x')], 'deps-1')).toBe(-1);
    expect(operations()).toEqual(['CreateCacheEntry 429']);
    expect(double.entries()).toEqual([]);
  });

  it('503 once on GetCacheEntryDownloadURL: the client retries and restores', async () => {
    const dir = folder('deps', 'x');
    await cache.saveCache([dir], 'deps-1');
    rmSync(dir, { recursive: true });
    double.resetCounters();
    double.fault('GetCacheEntryDownloadURL', { status: 503 });
    expect(await cache.restoreCache([dir], 'deps-1')).toBe('deps-1');
    expect(operations()).toEqual([
      'GetCacheEntryDownloadURL 503',
      'GetCacheEntryDownloadURL 200',
      'GetBlob 200',
    ]);
    expect(existsSync(join(dir, 'data.txt'))).toBe(true);
  }, 20_000);

  it('500 on the blob download (not retried by the client): the restore is a miss and leaves no files', async () => {
    const dir = folder('deps', 'x');
    await cache.saveCache([dir], 'deps-1');
    rmSync(dir, { recursive: true });
    double.resetCounters();
    double.fault('GetBlob', { status: 500, times: 10 });
    expect(await cache.restoreCache([dir], 'deps-1')).toBeUndefined();
    expect(operations()).toEqual(['GetCacheEntryDownloadURL 200', 'GetBlob 500']);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('blob endpoints with @azure/storage-blob', () => {
  async function uploadUrl(key: string): Promise<string> {
    const response = await fetch(
      `${double.url}/twirp/github.actions.results.api.v1.CacheService/CreateCacheEntry`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await double.token()}` },
        body: JSON.stringify({ key, version: 'v'.repeat(64) }),
      },
    );
    const body = (await response.json()) as { ok: boolean; signed_upload_url: string };
    expect(body.ok).toBe(true);
    return body.signed_upload_url;
  }

  it('Put Block + Put Block List assemble the blocks in list order; ranged reads return slices', async () => {
    const url = await uploadUrl('blocks');
    const data = Buffer.from(Array.from({ length: 2500 }, (_, i) => i % 251));
    await new BlockBlobClient(url).uploadData(data, { maxSingleShotSize: 1000, blockSize: 1000 });
    expect(double.count('PutBlock')).toBe(3);
    expect(double.count('PutBlockList')).toBe(1);
    expect(double.count('PutBlob')).toBe(0);
    const blob = double.store.all()[0]!.blob;
    expect(double.blobs.content(blob)).toEqual(data);
    // A download URL is what GetCacheEntryDownloadURL hands out; sign one for the same blob.
    const reader = new BlockBlobClient(double.blobs.signedUrl(double.url, blob, 'r'));
    expect((await reader.getProperties()).contentLength).toBe(2500);
    expect(await reader.downloadToBuffer(1200, 700)).toEqual(data.subarray(1200, 1900));
    expect(double.requests.filter((r) => r.operation === 'GetBlob').map((r) => r.status)).toEqual([206]);
  });

  it('rejects a tampered signature and an upload through a read URL with 403 AuthenticationFailed', async () => {
    const url = new URL(await uploadUrl('tamper'));
    url.searchParams.set('sp', 'rcw');
    const tampered = await fetch(url, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: 'x',
    });
    expect(tampered.status).toBe(403);
    expect(tampered.headers.get('x-ms-error-code')).toBe('AuthenticationFailed');
    const blob = double.store.all()[0]!.blob;
    const readOnly = double.blobs.signedUrl(double.url, blob, 'r');
    const put = await fetch(readOnly, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: 'x',
    });
    expect(put.status).toBe(403);
    expect(double.blobs.content(blob)).toBeUndefined();
  });
});
