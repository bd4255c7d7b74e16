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

/** @actions/cache; when the cache service is not available it restores nothing and saves nothing. */
export function actionsPersistentCache(log: (line: string) => void = () => {}): PersistentCache {
  return {
    async restore(paths, key, restoreKeys) {
      if (!actionsCache.isFeatureAvailable()) {
        log('The Actions cache service is not available here; nothing is restored.');
        return undefined;
      }
      return actionsCache.restoreCache(paths, key, restoreKeys);
    },
    async save(paths, key) {
      if (!actionsCache.isFeatureAvailable()) return;
      try {
        await actionsCache.saveCache(paths, key);
      } catch (error) {
        // Another job saving the same key first is normal; anything else is only worth a log line.
        log(`Cache save for ${key} skipped: ${error instanceof Error ? error.message : String(error)}`);
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
  constructor(private readonly root: string) {}

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
    const entry: StoredEntry = { key, savedAt: Date.now(), paths };
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

/** The cross-run cache an action should use: SLIPWAY_CACHE_DIR selects DirectoryCache, else @actions/cache. */
export function persistentCacheFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = () => {},
): PersistentCache {
  const dir = env.SLIPWAY_CACHE_DIR?.trim();
  return dir ? new DirectoryCache(dir) : actionsPersistentCache(log);
}
