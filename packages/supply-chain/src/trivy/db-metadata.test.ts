import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDbMetadata } from './db-metadata.ts';

function cacheWith(metadata: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'trivy-cache-'));
  if (metadata !== undefined) {
    mkdirSync(join(dir, 'db'));
    writeFileSync(join(dir, 'db', 'metadata.json'), metadata);
  }
  return dir;
}

describe('readDbMetadata', () => {
  it("keeps Version, UpdatedAt and DownloadedAt of trivy's metadata.json", async () => {
    const dir = cacheWith(
      '{"Version":2,"NextUpdate":"2026-12-07T00:50:12Z","UpdatedAt":"2026-12-06T00:50:12Z","DownloadedAt":"2026-12-06T06:01:02Z"}',
    );
    expect(await readDbMetadata(dir)).toEqual({
      Version: 2,
      UpdatedAt: '2026-12-06T00:50:12Z',
      DownloadedAt: '2026-12-06T06:01:02Z',
    });
  });

  it('is undefined without a DB, for a file that is not JSON, or without a numeric Version', async () => {
    expect(await readDbMetadata(cacheWith(undefined))).toBeUndefined();
    expect(await readDbMetadata(cacheWith('not json'))).toBeUndefined();
    expect(await readDbMetadata(cacheWith('{"Version":"2"}'))).toBeUndefined();
  });
});
