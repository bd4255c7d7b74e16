/**
 * The two caches the installer uses, as small interfaces so they can be
 * injected: the runner's tool cache (@actions/tool-cache, same job/runner) and a
 * cross-run cache (@actions/cache). @actions/cache needs GitHub's cache service,
 * which does not exist outside GitHub; `DirectoryCache` is an on-disk
 * implementation with the same contract for tests, benchmarks and self-hosted
 * setups (selected with SLIPWAY_CACHE_DIR).
 */
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as actionsCache from '@actions/cache';
import * as toolCache from '@actions/tool-cache';
import { jobCanMintIdToken } from '@slipway/core';
import type { CacheMode } from './cache-modes.ts';

/** Same-job cache of installed tool directories (RUNNER_TOOL_CACHE). */
export interface ToolDirectoryCache {
  /** The cached directory, or '' when absent. */
  find(tool: string, version: string, arch: string): string;
  /** Copies `dir` into the cache and returns the cached directory. */
  cacheDir(dir: string, tool: string, version: string, arch: string): Promise<string>;
}

/** Cross-run cache keyed by string, restoring files to the same absolute paths they were saved from. */
export interface PersistentCache {
  /** Restores `paths`; returns the key that matched (exact, or the newest with a restore-key prefix), or undefined. */
  restore(paths: string[], key: string, restoreKeys?: string[]): Promise<string | undefined>;
  save(paths: string[], key: string): Promise<void>;
}

export const actionsToolDirectoryCache: ToolDirectoryCache = {
  find: (tool, version, arch) => toolCache.find(tool, version, arch),
  cacheDir: (dir, tool, version, arch) => toolCache.cacheDir(dir, tool, version, arch),
};

export interface CacheLog {
  info(line: string): void;
  notice(line: string): void;
  warning(line: string): void;
}

export interface ActionsCachePolicy {
  restore: boolean;
  save: boolean;
}

/**
 * Whether @actions/cache may restore and save. Restoring is the danger: the library extracts
 * the entry with `tar -P` before anything can check it, so an entry written by any job that
 * can save under the same predictable key (a compromised test dependency on the default
 * branch is enough) can overwrite any file the job can write, including the action's own
 * bundle. Saving only archives this job's verified files, so it stays allowed.
 */
export function actionsCachePolicy(mode: CacheMode, env: NodeJS.ProcessEnv): ActionsCachePolicy {
  if (mode === 'false') return { restore: false, save: false };
  if (mode === 'true') return { restore: true, save: true };
  return { restore: !jobCanMintIdToken(env), save: true };
}

export const RESTORE_SKIPPED_NOTICE =
  'The Actions cache is not restored in this job because it can request an OIDC token (id-token: write): ' +
  '@actions/cache extracts an entry before it can be checked, and any job of this repository can write one ' +
  'under the same key, so restoring would let that job overwrite files here. Tools and databases are ' +
  'downloaded and verified instead. To use the cache, run this step in a job without id-token: write ' +
  '(scan and SBOM before the signing job); a cache input set to `true` forces it here (not recommended).';

export const RESTORE_FORCED_WARNING =
  'Restoring from the Actions cache in a job that can request an OIDC token (id-token: write), because a ' +
  'cache input is `true`: an entry written by any job of this repository is extracted here before it can be ' +
  'checked. Set it to `auto` (the default) unless this job is the only writer of its cache keys.';

/**
 * @actions/cache under `policy`; when the cache service is not available it restores and saves
 * nothing. A restore the policy forbids is skipped without any request, with one notice.
 */
export function actionsPersistentCache(
  log: CacheLog,
  policy: ActionsCachePolicy = { restore: true, save: true },
  env: NodeJS.ProcessEnv = process.env,
): PersistentCache {
  let told = false;
  const tellOnce = (say: (line: string) => void, line: string) => {
    if (!told) say(line);
    told = true;
  };
  return {
    async restore(paths, key, restoreKeys) {
      if (!policy.restore) {
        if (jobCanMintIdToken(env)) tellOnce(log.notice, RESTORE_SKIPPED_NOTICE);
        return undefined;
      }
      if (!actionsCache.isFeatureAvailable()) {
        tellOnce(log.info, 'The Actions cache service is not available here; nothing is restored.');
        return undefined;
      }
      if (jobCanMintIdToken(env)) tellOnce(log.warning, RESTORE_FORCED_WARNING);
      return actionsCache.restoreCache(paths, key, restoreKeys);
    },
    async save(paths, key) {
      if (!policy.save || !actionsCache.isFeatureAvailable()) return;
      try {
        await actionsCache.saveCache(paths, key);
      } catch (error) {
        // Another job saving the same key first is normal; anything else is only worth a log line.
        log.info(`Cache save for ${key} skipped: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}

interface StoredEntry {
  key: string;
  savedAt: number;
  paths: string[];
}

/** An on-disk PersistentCache under `root`: one folder per key, entries are immutable like @actions/cache's. */
export class DirectoryCache implements PersistentCache {
  /** `now` orders entries for the newest-prefix match (a counter in tests, no sleeping). */
  constructor(
    private readonly root: string,
    private readonly now: () => number = Date.now,
  ) {}

  private folder(key: string): string {
    return join(this.root, encodeURIComponent(key));
  }

  async restore(paths: string[], key: string, restoreKeys: string[] = []): Promise<string | undefined> {
    const entry = (await this.read(key)) ?? (await this.newestWithPrefix(restoreKeys));
    if (!entry || entry.paths.join('\n') !== paths.join('\n')) return undefined;
    for (const [index, path] of entry.paths.entries()) {
      await cp(join(this.folder(entry.key), String(index)), path, { recursive: true, force: true });
    }
    return entry.key;
  }

  async save(paths: string[], key: string): Promise<void> {
    if (existsSync(this.folder(key))) return; // like @actions/cache: a key is written once
    const folder = this.folder(key);
    for (const [index, path] of paths.entries()) {
      await cp(path, join(folder, String(index)), { recursive: true });
    }
    const entry: StoredEntry = { key, savedAt: this.now(), paths };
    await writeFile(join(folder, 'entry.json'), JSON.stringify(entry));
  }

  private async read(key: string): Promise<StoredEntry | undefined> {
    try {
      return JSON.parse(await readFile(join(this.folder(key), 'entry.json'), 'utf8')) as StoredEntry;
    } catch {
      return undefined;
    }
  }

  private async newestWithPrefix(prefixes: string[]): Promise<StoredEntry | undefined> {
    if (prefixes.length === 0 || !existsSync(this.root)) return undefined;
    const entries: StoredEntry[] = [];
    for (const name of await readdir(this.root)) {
      const entry = await this.read(decodeURIComponent(name));
      if (entry) entries.push(entry);
    }
    for (const prefix of prefixes) {
      const match = entries.filter((e) => e.key.startsWith(prefix)).sort((a, b) => b.savedAt - a.savedAt)[0];
      if (match) return match;
    }
    return undefined;
  }
}

const NO_CACHE: PersistentCache = { restore: async () => undefined, save: async () => {} };

/**
 * The cross-run cache an action should use: SLIPWAY_CACHE_DIR selects DirectoryCache (an
 * operator's own folder, outside the Actions cache), else @actions/cache under `mode`.
 */
export function persistentCacheFromEnv(
  env: NodeJS.ProcessEnv,
  log: CacheLog,
  mode: CacheMode = 'auto',
): PersistentCache {
  if (mode === 'false') return NO_CACHE;
  const dir = env.SLIPWAY_CACHE_DIR?.trim();
  return dir ? new DirectoryCache(dir) : actionsPersistentCache(log, actionsCachePolicy(mode, env), env);
}
