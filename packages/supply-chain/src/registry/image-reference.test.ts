import { describe, expect, it } from 'vitest';
import {
  formatImageReference,
  ImageReferenceError,
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
    ['Octo/app', /upper-case letters but no/],
    ['ghcr.io/app:has space', /whitespace/],
    ['ghcr.io/app:-bad', /tag '-bad'/],
    [`ghcr.io/app:${'t'.repeat(129)}`, /tag/],
    ['ghcr.io/app@sha256:abc', /digest 'sha256:abc'/],
    [`ghcr.io/app@sha256:${'A'.repeat(64)}`, /digest/],
    [`ghcr.io/app@md5:${'a'.repeat(32)}`, /digest/],
    ['ghcr.io//app', /empty path component/],
    ['-bad.io/app', /invalid registry domain '-bad.io'/],
    ['ghcr.io/app.', /path component 'app.'/],
    [`ghcr.io/${'a'.repeat(250)}`, /longer than 255/],
  ])('rejects %s', (text, message) => {
    expect(() => parseImageReference(text)).toThrow(message);
  });

  it('names the accepted form in the error', () => {
    expect(() => parseImageReference('ghcr.io/app@sha256:1')).toThrow(
      "The image reference 'ghcr.io/app@sha256:1' is not valid: the digest 'sha256:1' is not a digest of the form `sha256:<64 hex digits>`. Expected an image reference such as `ghcr.io/owner/app:1.2.3` or `ghcr.io/owner/app@sha256:<64 hex>` (lower-case repository path).",
    );
  });

  // Cases where the gitops and supply-chain parsers used to disagree; the gitops side of
  // each is in packages/gitops/src/image-reference.test.ts.
  const problemsOf = (text: string) => {
    try {
      parseImageReference(text);
    } catch (error) {
      expect(error).toBeInstanceOf(ImageReferenceError);
      return (error as ImageReferenceError).problems;
    }
    throw new Error(`${text} was accepted`);
  };

  it.each([
    // a domain recognised only by upper case: cosign would read it as a Docker Hub namespace
    [
      'Octo/app:1',
      "the registry 'Octo' has upper-case letters but no `.` or `:`, which cosign reads as a Docker Hub namespace; write the registry host with its domain (e.g. `ghcr.io`) or the namespace in lower case",
    ],
    // the grammar accepts sha384 (go-digest registers it); Slipway signs sha256/sha512 only
    [
      `ghcr.io/app@sha384:${'c'.repeat(96)}`,
      `the digest 'sha384:${'c'.repeat(96)}' uses sha384; Slipway signs and verifies sha256 and sha512 digests only`,
    ],
    // unregistered algorithms are refused by the grammar itself now
    [
      `ghcr.io/app@md5:${'a'.repeat(32)}`,
      `the digest 'md5:${'a'.repeat(32)}' uses the unsupported algorithm 'md5' (supported: sha256, sha384, sha512)`,
    ],
    // surrounding whitespace is no longer trimmed here (InputReader trims action inputs)
    [' alpine ', 'it contains whitespace'],
    [`ghcr.io/app@${D.slice(0, -1)}`, `the digest '${D.slice(0, -1)}' has 63 hex digits; sha256 needs 64`],
  ])('refuses %j with the unified message', (text, problem) => {
    expect(problemsOf(text)).toEqual([problem]);
  });

  it('lists every problem at once', () => {
    expect(problemsOf('ghcr.io/App:-x')).toEqual([
      "the name 'ghcr.io/App' has the path component 'App', which must be lower-case letters and digits with only `.`, `_`, `__` or `-` between them",
      "the tag '-x' may only contain letters, digits, `_`, `.` and `-`, and must not start with `.` or `-`",
    ]);
  });

  it.each([
    // upper-case domains with a `.` or `:` are hosts for both distribution and cosign
    ['Registry.Example/app:v1', { registry: 'Registry.Example', repository: 'app', tag: 'v1' }],
    // the legacy Docker Hub domain is normalised as distribution's normalize.go does
    ['index.docker.io/alpine', { registry: 'docker.io', repository: 'library/alpine' }],
    ['docker.io/bitnami/redis:7', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7' }],
    // the 255-character limit counts the name as written, domain included
    [`ghcr.io/${'a'.repeat(247)}`, { registry: 'ghcr.io', repository: 'a'.repeat(247) }],
  ])('accepts %s as the unified grammar does', (text, expected) => {
    expect(parseImageReference(text)).toEqual(expected);
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
    expect(isDigest(`sha512:${'b'.repeat(128)}`)).toBe(true);
    expect(isDigest(`sha384:${'c'.repeat(96)}`)).toBe(false);
    expect(isDigest(`sha256:${'A'.repeat(64)}`)).toBe(false);
  });
});
