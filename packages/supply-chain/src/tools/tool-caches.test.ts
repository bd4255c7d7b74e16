import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectoryCache } from './tool-caches.ts';

describe('DirectoryCache', () => {
  it('restores files and folders to the paths they were saved from, by exact key or newest prefix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dircache-'));
    const cache = new DirectoryCache(join(dir, 'cache'));
    const file = join(dir, 'a.tar.gz');
    const folder = join(dir, 'db');
    writeFileSync(file, 'archive');
    mkdirSync(folder);
    writeFileSync(join(folder, 'trivy.db'), 'day1');
    await cache.save([file, folder], 'db-2026-11-25');
    writeFileSync(join(folder, 'trivy.db'), 'day2');
    await new Promise((r) => setTimeout(r, 5));
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
