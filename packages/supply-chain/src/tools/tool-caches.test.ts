import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DirectoryCache,
  RESTORE_SKIPPED_NOTICE,
  actionsCachePolicy,
  persistentCacheFromEnv,
} from './tool-caches.ts';

describe('DirectoryCache', () => {
  it('restores files and folders to the paths they were saved from, by exact key or newest prefix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dircache-'));
    let tick = 0;
    const cache = new DirectoryCache(join(dir, 'cache'), () => ++tick);
    const file = join(dir, 'a.tar.gz');
    const folder = join(dir, 'db');
    writeFileSync(file, 'archive');
    mkdirSync(folder);
    writeFileSync(join(folder, 'trivy.db'), 'day1');
    await cache.save([file, folder], 'db-2026-11-25');
    writeFileSync(join(folder, 'trivy.db'), 'day2');
    await cache.save([file, folder], 'db-2026-11-26');
    await cache.save([file, folder], 'db-2026-11-26'); // a key is written once

    rmSync(file);
    rmSync(folder, { recursive: true });
    expect(await cache.restore([file, folder], 'db-2026-11-27')).toBeUndefined();
    expect(await cache.restore([file, folder], 'db-2026-11-27', ['db-'])).toBe('db-2026-11-26');
    expect(readFileSync(join(folder, 'trivy.db'), 'utf8')).toBe('day2');
    expect(await cache.restore([file, folder], 'db-2026-11-25')).toBe('db-2026-11-25');
    expect(readFileSync(join(folder, 'trivy.db'), 'utf8')).toBe('day1');
    expect(readFileSync(file, 'utf8')).toBe('archive');
    // A different path list is a different cache version, as in @actions/cache.
    expect(await cache.restore([file], 'db-2026-11-25')).toBeUndefined();
  });
});

describe('Actions cache policy', () => {
  const idTokenJob = { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://runner.example/token' };

  it('auto restores except in a job that can mint an OIDC token; true forces it; false does nothing', () => {
    expect(actionsCachePolicy('auto', {})).toEqual({ restore: true, save: true });
    expect(actionsCachePolicy('auto', idTokenJob)).toEqual({ restore: false, save: true });
    expect(actionsCachePolicy('auto', { ACTIONS_ID_TOKEN_REQUEST_URL: ' ' })).toEqual({
      restore: false,
      save: true,
    });
    expect(actionsCachePolicy('true', idTokenJob)).toEqual({ restore: true, save: true });
    expect(actionsCachePolicy('false', {})).toEqual({ restore: false, save: false });
  });

  it('a skipped restore sends nothing and says why once, however many restores the action asks for', async () => {
    const lines: string[] = [];
    const log = {
      info: (l: string) => lines.push(`info ${l}`),
      notice: (l: string) => lines.push(`notice ${l}`),
      warning: (l: string) => lines.push(`warning ${l}`),
    };
    const env = { ...idTokenJob, SLIPWAY_CACHE_DIR: '' };
    const cache = persistentCacheFromEnv(env, log);
    expect(await cache.restore(['/tmp/a'], 'k1', ['k'])).toBeUndefined();
    expect(await cache.restore(['/tmp/b'], 'k2')).toBeUndefined();
    expect(lines).toEqual([`notice ${RESTORE_SKIPPED_NOTICE}`]);
  });

  it('false disables even the on-disk SLIPWAY_CACHE_DIR cache', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dircache-'));
    const file = join(dir, 'a');
    writeFileSync(file, 'x');
    await new DirectoryCache(join(dir, 'cache')).save([file], 'k');
    rmSync(file);
    const log = { info: () => {}, notice: () => {}, warning: () => {} };
    const off = persistentCacheFromEnv({ SLIPWAY_CACHE_DIR: join(dir, 'cache') }, log, 'false');
    expect(await off.restore([file], 'k')).toBeUndefined();
    const on = persistentCacheFromEnv({ SLIPWAY_CACHE_DIR: join(dir, 'cache') }, log, 'auto');
    expect(await on.restore([file], 'k')).toBe('k');
  });
});
