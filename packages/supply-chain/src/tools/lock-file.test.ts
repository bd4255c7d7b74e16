import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { committedToolsLock, lockedAsset, parseToolsLock } from './lock-file.ts';
import { sharedFixture } from '../../../../test/shared-fixtures.ts';

const realChecksums = JSON.parse(readFileSync(sharedFixture('tool-checksums.json'), 'utf8')) as {
  tool: string;
  version: string;
  asset: string;
  sha256: string;
}[];

describe('the committed tools.lock.json', () => {
  const lock = committedToolsLock();

  it('pins the newest versions of the published checksums', () => {
    expect([lock.tools.trivy.version, lock.tools.syft.version, lock.tools.cosign.version]).toEqual([
      '0.74.0',
      '1.51.0',
      '3.1.3',
    ]);
  });

  it('holds exactly the published sha256 of every asset it lists', () => {
    let count = 0;
    for (const [tool, entry] of Object.entries(lock.tools)) {
      for (const [version, platforms] of Object.entries(entry.versions)) {
        for (const locked of Object.values(platforms)) {
          const real = realChecksums.find(
            (r) => r.tool === tool && r.version.replace(/^v/, '') === version && r.asset === locked.asset,
          );
          expect(real?.sha256, `${tool} ${version} ${locked.asset}`).toBe(locked.sha256);
          count++;
        }
      }
    }
    expect(count).toBe(70);
  });

  it('never locks trivy 0.69.4', () => {
    expect(Object.keys(lock.tools.trivy.versions)).not.toContain('0.69.4');
  });

  it('finds a locked asset by platform and misses unlocked ones', () => {
    expect(lockedAsset(lock, 'trivy', 'v0.74.0', 'linux', 'x64')?.asset).toBe(
      'trivy_0.74.0_Linux-64bit.tar.gz',
    );
    expect(lockedAsset(lock, 'trivy', '0.74.0', 'windows', 'arm64')).toBeUndefined();
    expect(lockedAsset(lock, 'syft', '9.9.9', 'linux', 'x64')).toBeUndefined();
  });
});

describe('parseToolsLock', () => {
  const valid = () => JSON.parse(JSON.stringify(committedToolsLock())) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  it('refuses a lock that lists the malicious trivy 0.69.4', () => {
    const lock = valid();
    lock.tools.trivy.versions['0.69.4'] = {};
    expect(() => parseToolsLock(lock, 'x.json')).toThrow(
      'x.json: trivy 0.69.4 is a known-malicious release and must not be locked. Regenerate it with `npm run tools:refresh`.',
    );
  });

  it('refuses a digest that is not lower-case hex', () => {
    const lock = valid();
    lock.tools.syft.versions['1.51.0']['linux-x64'].sha256 = 'ABC';
    expect(() => parseToolsLock(lock, 'x.json')).toThrow(
      'x.json: tools.syft.versions.1.51.0.linux-x64 needs "asset" and a lower-case hex "sha256"',
    );
  });

  it('refuses a default version that is not locked', () => {
    const lock = valid();
    lock.tools.cosign.version = '9.0.0';
    expect(() => parseToolsLock(lock, 'x.json')).toThrow(
      'tools.cosign.version 9.0.0 is not in its "versions"',
    );
  });
});
