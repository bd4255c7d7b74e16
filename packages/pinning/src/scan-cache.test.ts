import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanOnThisThread } from './check.ts';
import { cachedScanner, type ScanCacheStats } from './scan-cache.ts';

describe('cachedScanner', () => {
  it('scans only files whose content changed, with the same results as a fresh scan', async () => {
    const root = mkdtempSync(join(tmpdir(), 'scan-cache-'));
    mkdirSync(join(root, 'w'));
    const files = ['w/a.yml', 'w/b.yml', 'w/c.yml'];
    files.forEach((f, i) =>
      writeFileSync(join(root, f), `jobs: {a: {uses: o/r/.github/workflows/x.yml@v${i}}}\n`),
    );
    const cacheFile = join(root, 'cache', 'scan.json');
    const stats: ScanCacheStats = { hits: 0, misses: 0 };
    const scanner = cachedScanner(scanOnThisThread, cacheFile, stats);

    const fresh = await scanOnThisThread(root, files);
    expect(await scanner(root, files)).toEqual(fresh);
    expect(stats).toEqual({ hits: 0, misses: 3 });
    expect(await scanner(root, files)).toEqual(fresh);
    expect(stats).toEqual({ hits: 3, misses: 0 });

    writeFileSync(join(root, 'w/b.yml'), 'jobs: {a: {uses: o/r/.github/workflows/x.yml@v9}}\n');
    const changed = await scanner(root, files);
    expect(stats).toEqual({ hits: 2, misses: 1 });
    expect(changed).toEqual(await scanOnThisThread(root, files));
    expect(changed[1]?.result.sites[0]?.value).toBe('o/r/.github/workflows/x.yml@v9');

    // a subset run keeps the other entries; a corrupt cache is ignored
    await scanner(root, ['w/a.yml']);
    await scanner(root, files);
    expect(stats).toEqual({ hits: 3, misses: 0 });
    writeFileSync(cacheFile, readFileSync(cacheFile, 'utf8').slice(0, 20));
    expect(await scanner(root, files)).toEqual(changed);
    expect(stats).toEqual({ hits: 0, misses: 3 });
  });
});
