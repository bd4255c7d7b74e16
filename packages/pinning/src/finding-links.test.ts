import { describe, expect, it } from 'vitest';
import { findingLink, serverUrlFromEnv } from './finding-links.ts';
import { refCacheFileName } from './ref-cache.ts';
import type { Finding } from './rules.ts';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const at = (ruleId: Finding['ruleId'], reference: string): Finding => ({
  ruleId,
  severity: 'error',
  file: '.github/workflows/ci.yml',
  line: 3,
  column: 15,
  reference,
  message: 'm',
});

describe('findingLink', () => {
  it('links commits and releases on the server it is given (GHES, GHE.com, github.com)', () => {
    expect(findingLink(at('impostor-commit', `actions/checkout@${SHA}`), 'https://ghes.example.com')).toBe(
      `https://ghes.example.com/actions/checkout/commit/${SHA}`,
    );
    expect(findingLink(at('version-comment-drift', `acme/tools/setup@${SHA}`), 'https://octo.ghe.com/')).toBe(
      `https://octo.ghe.com/acme/tools/commit/${SHA}`,
    );
    expect(findingLink(at('stale-pin', `actions/cache@${SHA}`), 'https://github.com')).toBe(
      'https://github.com/actions/cache/releases',
    );
  });

  it('has no link for offline findings, images, local actions or a ref that is not a full SHA', () => {
    const server = 'https://ghes.example.com';
    expect(findingLink(at('unpinned-action', 'actions/checkout@v4'), server)).toBeUndefined();
    expect(findingLink(at('version-comment-drift', 'actions/checkout@v4'), server)).toBeUndefined();
    expect(findingLink(at('ref-not-found', `actions/checkout@${SHA}`), server)).toBeUndefined();
    expect(findingLink(at('unpinned-image', 'docker://alpine:3'), server)).toBeUndefined();
    expect(findingLink(at('impostor-commit', './local'), server)).toBeUndefined();
  });
});

describe('serverUrlFromEnv', () => {
  it('reads GITHUB_SERVER_URL without a trailing slash, and defaults to github.com', () => {
    expect(serverUrlFromEnv({ GITHUB_SERVER_URL: 'https://ghes.example.com/' })).toBe(
      'https://ghes.example.com',
    );
    expect(serverUrlFromEnv({ GITHUB_SERVER_URL: ' ' })).toBe('https://github.com');
    expect(serverUrlFromEnv({})).toBe('https://github.com');
  });
});

describe('refCacheFileName', () => {
  it('keeps the plain name for github.com and gives every other API its own file', () => {
    expect(refCacheFileName('https://api.github.com')).toBe('pin-check-refs.json');
    expect(refCacheFileName('https://API.github.com/')).toBe('pin-check-refs.json');
    const ghes = refCacheFileName('https://ghes.example.com/api/v3');
    const gheCom = refCacheFileName('https://api.octo.ghe.com');
    expect(ghes).toMatch(/^pin-check-refs-[0-9a-f]{16}\.json$/);
    expect(gheCom).toMatch(/^pin-check-refs-[0-9a-f]{16}\.json$/);
    expect(new Set([ghes, gheCom, refCacheFileName('https://other.example.com/api/v3')]).size).toBe(3);
    expect(refCacheFileName('https://ghes.example.com/api/v3/')).toBe(ghes);
  });
});
