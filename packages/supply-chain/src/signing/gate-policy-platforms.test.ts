import { describe, expect, it } from 'vitest';
import { gatePolicyPlatformsMismatch } from './gate-policy-platforms.ts';

const d = (c: string) => `sha256:${c.repeat(64)}`;
/** The platform images of an index as index-subjects.ts lists them. */
const AMD64 = { platform: 'linux/amd64', digest: d('a'), slug: 'linux-amd64' };
const ARM64 = { platform: 'linux/arm64/v8', digest: d('b'), slug: 'linux-arm64-v8' };

const predicate = (platforms?: object[]) => ({
  scanner: { name: 'trivy' },
  policy: { failOn: 'HIGH', ignoreUnfixed: false },
  result: { gate: 'pass', ...(platforms ? { platforms } : {}) },
});
const verdict = (platform: string, digest: string, gate = 'pass') => ({
  platform,
  digest,
  gate,
  findings: 0,
  counts: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
});

describe('gatePolicyPlatformsMismatch', () => {
  const images = [AMD64, ARM64];

  it('accepts a predicate with a passing verdict for every platform image (in any order)', () => {
    const p = predicate([verdict('linux/arm64/v8', d('b')), verdict('linux/amd64', d('a'))]);
    expect(gatePolicyPlatformsMismatch(p, images)).toBeUndefined();
  });

  it('checks nothing for a single image', () => {
    expect(gatePolicyPlatformsMismatch(predicate(), undefined)).toBeUndefined();
  });

  it('refuses an index predicate without result.platforms, or with malformed entries', () => {
    const reason =
      `the image is an index, and the gate-policy predicate has no valid result.platforms (platform, digest, gate for each platform image), ` +
      `so it does not show that linux/amd64 (${d('a')}), linux/arm64/v8 (${d('b')}) passed the gate`;
    expect(gatePolicyPlatformsMismatch(predicate(), images)).toBe(reason);
    expect(
      gatePolicyPlatformsMismatch(predicate([{ platform: 'linux/amd64', digest: d('a') }]), images),
    ).toBe(reason);
    expect(gatePolicyPlatformsMismatch(predicate([verdict('linux/amd64', d('a'), 'passed')]), images)).toBe(
      reason,
    );
  });

  it('refuses a predicate missing a platform image, naming it (a verdict for the same platform name with another digest does not count)', () => {
    expect(gatePolicyPlatformsMismatch(predicate([verdict('linux/amd64', d('a'))]), images)).toBe(
      `the gate-policy predicate has no verdict for linux/arm64/v8 (${d('b')}) of the index: that platform image was not scanned under this policy`,
    );
    const stale = predicate([verdict('linux/amd64', d('a')), verdict('linux/arm64/v8', d('e'))]);
    expect(gatePolicyPlatformsMismatch(stale, images)).toMatch(
      /^the gate-policy predicate has no verdict for linux\/arm64\/v8 /,
    );
  });

  it('refuses a platform image whose own gate failed, naming it', () => {
    const p = predicate([verdict('linux/amd64', d('a')), verdict('linux/arm64/v8', d('b'), 'fail')]);
    expect(gatePolicyPlatformsMismatch(p, images)).toBe(
      `the scan's gate failed for linux/arm64/v8 (${d('b')}) of the index`,
    );
  });
});
