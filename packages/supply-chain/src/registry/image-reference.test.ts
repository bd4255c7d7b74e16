import { describe, expect, it } from 'vitest';
import {
  formatImageReference,
  isDigest,
  parseImageReference,
  pinnedReference,
  repositoryName,
} from './image-reference.ts';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  it.each([
    ['ghcr.io/octo-org/app:1.2.3', { registry: 'ghcr.io', repository: 'octo-org/app', tag: '1.2.3' }],
    [`ghcr.io/octo-org/app@${D}`, { registry: 'ghcr.io', repository: 'octo-org/app', digest: D }],
    [
      `ghcr.io/octo-org/app:v1@${D}`,
      { registry: 'ghcr.io', repository: 'octo-org/app', tag: 'v1', digest: D },
    ],
    ['127.0.0.1:5000/a/b/c:latest', { registry: '127.0.0.1:5000', repository: 'a/b/c', tag: 'latest' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['localhost:5000/app:x', { registry: 'localhost:5000', repository: 'app', tag: 'x' }],
    ['alpine', { registry: 'docker.io', repository: 'library/alpine' }],
    ['alpine:3.20', { registry: 'docker.io', repository: 'library/alpine', tag: '3.20' }],
    ['bitnami/redis:7', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7' }],
    ['[::1]:5000/app:1', { registry: '[::1]:5000', repository: 'app', tag: '1' }],
    [
      'reg.example.com/a__b/c-d.e--f:T_1.x',
      { registry: 'reg.example.com', repository: 'a__b/c-d.e--f', tag: 'T_1.x' },
    ],
    [
      `reg.io/app@sha512:${'b'.repeat(128)}`,
      { registry: 'reg.io', repository: 'app', digest: `sha512:${'b'.repeat(128)}` },
    ],
  ])('%s', (text, expected) => {
    expect(parseImageReference(text)).toEqual(expected);
  });

  it.each([
    ['', /is empty/],
    ['ghcr.io/Octo/app:1', /path component 'Octo'/],
    ['Octo/app', /upper-case/],
    ['ghcr.io/app:has space', /whitespace/],
    ['ghcr.io/app:-bad', /tag '-bad'/],
    [`ghcr.io/app:${'t'.repeat(129)}`, /tag/],
    ['ghcr.io/app@sha256:abc', /digest 'sha256:abc'/],
    [`ghcr.io/app@sha256:${'A'.repeat(64)}`, /digest/],
    [`ghcr.io/app@md5:${'a'.repeat(32)}`, /digest/],
    ['ghcr.io//app', /empty path component/],
    ['-bad.io/app', /registry '-bad.io'/],
    ['ghcr.io/app.', /path component 'app.'/],
    [`ghcr.io/${'a'.repeat(250)}`, /longer than 255/],
  ])('rejects %s', (text, message) => {
    expect(() => parseImageReference(text)).toThrow(message);
  });

  it('names the accepted form in the error', () => {
    expect(() => parseImageReference('ghcr.io/app@sha256:1')).toThrow(
      "Image reference 'ghcr.io/app@sha256:1' has the digest 'sha256:1', which is not sha256:<64 lower-case hex> or sha512:<128 lower-case hex>. Expected an image reference such as `ghcr.io/owner/app:1.2.3` or `ghcr.io/owner/app@sha256:<64 hex>` (lower-case repository path).",
    );
  });
});

describe('formatting', () => {
  it('pins, names and re-formats', () => {
    const ref = parseImageReference('ghcr.io/octo-org/app:v1');
    expect(repositoryName(ref)).toBe('ghcr.io/octo-org/app');
    expect(pinnedReference(ref, D)).toBe(`ghcr.io/octo-org/app@${D}`);
    expect(formatImageReference(ref)).toBe('ghcr.io/octo-org/app:v1');
    expect(formatImageReference(parseImageReference(`alpine:3@${D}`))).toBe(
      `docker.io/library/alpine:3@${D}`,
    );
  });

  it('recognises digests', () => {
    expect(isDigest(D)).toBe(true);
    expect(isDigest('sha256:abc')).toBe(false);
    expect(isDigest(`${D}:x`)).toBe(false);
  });
});
