import { describe, expect, it } from 'vitest';
import {
  checkReference,
  digestProblem,
  dockerHubName,
  formatReference,
  nameProblem,
  OciReferenceError,
  parseOciReference,
  splitDomain,
  splitReference,
  tagProblem,
} from './oci-reference.ts';
import { UserError } from './errors.ts';

const D = `sha256:${'0123456789abcdef'.repeat(4)}`;
const PATH_RULE = 'which must be lower-case letters and digits with only `.`, `_`, `__` or `-` between them';
const DOMAIN_RULE = '(expected a host name, an IPv4 address or an [IPv6] address, with an optional :port)';

describe('parseOciReference', () => {
  it.each([
    ['web', { name: 'web', path: 'web' }],
    ['acme/web:1.4.2', { name: 'acme/web', path: 'acme/web', tag: '1.4.2' }],
    [
      `ghcr.io/acme/web:1.4.2@${D}`,
      { name: 'ghcr.io/acme/web', domain: 'ghcr.io', path: 'acme/web', tag: '1.4.2', digest: D },
    ],
    ['localhost/app', { name: 'localhost/app', domain: 'localhost', path: 'app' }],
    ['example:5000/app', { name: 'example:5000/app', domain: 'example:5000', path: 'app' }],
    ['[::1]:5000/app:v1', { name: '[::1]:5000/app', domain: '[::1]:5000', path: 'app', tag: 'v1' }],
    ['127.0.0.1:5000/a/b/c', { name: '127.0.0.1:5000/a/b/c', domain: '127.0.0.1:5000', path: 'a/b/c' }],
    ['a/b__c/d-e.f--g:_x', { name: 'a/b__c/d-e.f--g', path: 'a/b__c/d-e.f--g', tag: '_x' }],
    // upper case in the first component makes it a domain (splitDockerDomain)
    ['Octo/app', { name: 'Octo/app', domain: 'Octo', path: 'app' }],
    [
      'Registry.Example/app:v1',
      { name: 'Registry.Example/app', domain: 'Registry.Example', path: 'app', tag: 'v1' },
    ],
    // go-digest registers sha384 as well
    [
      `reg.io/app@sha384:${'c'.repeat(96)}`,
      { name: 'reg.io/app', domain: 'reg.io', path: 'app', digest: `sha384:${'c'.repeat(96)}` },
    ],
  ])('%s', (text, expected) => {
    expect(parseOciReference(text)).toEqual(expected);
    expect(formatReference(parseOciReference(text))).toBe(text);
  });

  it.each([
    ['', "the name '' is empty"],
    [' web:v1', 'it contains whitespace'],
    ['web:v1\n', 'it contains whitespace'],
    ['Web:v1', `the name 'Web' has the path component 'Web', ${PATH_RULE}`],
    ['ghcr.io/Acme/web', `the name 'ghcr.io/Acme/web' has the path component 'Acme', ${PATH_RULE}`],
    ['ghcr.io/web.', `the name 'ghcr.io/web.' has the path component 'web.', ${PATH_RULE}`],
    ['ghcr.io//web', "the name 'ghcr.io//web' has an empty path component"],
    ['/web', "the name '/web' has an empty path component"],
    ['-bad.io/web', `the name '-bad.io/web' has an invalid registry domain '-bad.io' ${DOMAIN_RULE}`],
    [
      'bad_host:5000x/app',
      `the name 'bad_host:5000x/app' has an invalid registry domain 'bad_host:5000x' ${DOMAIN_RULE}`,
    ],
    [
      'web:-bad',
      "the tag '-bad' may only contain letters, digits, `_`, `.` and `-`, and must not start with `.` or `-`",
    ],
    ['web:', "the tag '' is empty"],
    [`web:${'x'.repeat(129)}`, `the tag '${'x'.repeat(129)}' is longer than 128 characters`],
    ['web@sha256:abc', "the digest 'sha256:abc' is not a digest of the form `sha256:<64 hex digits>`"],
    [`web@${D.slice(0, -1)}`, `the digest '${D.slice(0, -1)}' has 63 hex digits; sha256 needs 64`],
    [`web@sha256:${'A'.repeat(64)}`, `the digest 'sha256:${'A'.repeat(64)}' must use lower-case hex digits`],
    // the grammar allows any algorithm; go-digest (reference.Parse) refuses unregistered ones
    [
      `web@md5:${'a'.repeat(32)}`,
      `the digest 'md5:${'a'.repeat(32)}' uses the unsupported algorithm 'md5' (supported: sha256, sha384, sha512)`,
    ],
    [`web@${D}:x`, `the digest '${D}:x' is not a digest of the form \`sha256:<64 hex digits>\``],
  ])('rejects %j', (text, problem) => {
    expect(() => parseOciReference(text, 'image')).toThrow(`The image '${text}' is not valid: ${problem}.`);
  });

  it('lists every problem and throws a UserError carrying them', () => {
    const text = 'Web:-x@sha256:1';
    const { problems } = checkReference(text);
    expect(problems).toEqual([
      `the name 'Web' has the path component 'Web', ${PATH_RULE}`,
      "the tag '-x' may only contain letters, digits, `_`, `.` and `-`, and must not start with `.` or `-`",
      "the digest 'sha256:1' is not a digest of the form `sha256:<64 hex digits>`",
    ]);
    const error = (() => {
      try {
        parseOciReference(text);
      } catch (caught) {
        return caught;
      }
    })() as OciReferenceError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.problems).toEqual(problems);
    expect(error.reference).toBe(text);
    expect(error.message).toBe(`The image reference '${text}' is not valid: ${problems.join('; ')}.`);
  });

  it('names the expected form when asked', () => {
    expect(
      new OciReferenceError('x y', ['it contains whitespace'], { label: 'image', expected: '`a/b:c`' })
        .message,
    ).toBe("The image 'x y' is not valid: it contains whitespace. Expected `a/b:c`.");
  });

  it('limits the name as written, domain included, to 255 characters', () => {
    const path = 'a'.repeat(255 - 'ghcr.io/'.length);
    expect(parseOciReference(`ghcr.io/${path}:v1`).path).toBe(path);
    expect(nameProblem(`ghcr.io/${path}a`)).toBe('is longer than 255 characters');
    expect(nameProblem('a'.repeat(256))).toBe('is longer than 255 characters');
  });
});

describe('parts', () => {
  it('splits at the first @ and the first : after the last /', () => {
    expect(splitReference('localhost:5000/a/b:v1@x')).toEqual({
      name: 'localhost:5000/a/b',
      tag: 'v1',
      digest: 'x',
    });
    expect(splitReference('a/b:c:d')).toEqual({ name: 'a/b', tag: 'c:d' });
    expect(splitReference('a:5000/b')).toEqual({ name: 'a:5000/b' });
    expect(splitReference('a@b@c')).toEqual({ name: 'a', digest: 'b@c' });
  });

  it('finds the domain as splitDockerDomain does', () => {
    expect(splitDomain('ghcr.io/acme/web')).toEqual({ domain: 'ghcr.io', path: 'acme/web' });
    expect(splitDomain('localhost/web')).toEqual({ domain: 'localhost', path: 'web' });
    expect(splitDomain('Acme/web')).toEqual({ domain: 'Acme', path: 'web' });
    expect(splitDomain('acme/web')).toEqual({ path: 'acme/web' });
    expect(splitDomain('ghcr.io')).toEqual({ path: 'ghcr.io' });
    expect(splitDomain('localhost')).toEqual({ path: 'localhost' });
  });

  it('checks tags and digests on their own', () => {
    expect(tagProblem('v1.2.3-rc.1_B')).toBeUndefined();
    expect(tagProblem('x'.repeat(128))).toBeUndefined();
    expect(tagProblem('.hidden')).toMatch(/must not start with/);
    expect(digestProblem(`sha512:${'a'.repeat(128)}`)).toBeUndefined();
    expect(digestProblem(`sha512:${'a'.repeat(64)}`)).toBe('has 64 hex digits; sha512 needs 128');
    expect(digestProblem(`sha384:${'a'.repeat(64)}`)).toBe('has 64 hex digits; sha384 needs 96');
    expect(digestProblem(`SHA256:${'a'.repeat(64)}`)).toBe(
      "uses the unsupported algorithm 'SHA256' (supported: sha256, sha384, sha512)",
    );
  });
});

describe('dockerHubName', () => {
  it.each([
    ['alpine', { domain: 'docker.io', path: 'library/alpine' }],
    ['bitnami/redis', { domain: 'docker.io', path: 'bitnami/redis' }],
    ['docker.io/alpine', { domain: 'docker.io', path: 'library/alpine' }],
    ['index.docker.io/alpine', { domain: 'docker.io', path: 'library/alpine' }],
    ['index.docker.io/bitnami/redis', { domain: 'docker.io', path: 'bitnami/redis' }],
    ['ghcr.io/app', { domain: 'ghcr.io', path: 'app' }],
    ['localhost/app', { domain: 'localhost', path: 'app' }],
  ])('%s', (name, expected) => {
    expect(dockerHubName(splitDomain(name))).toEqual(expected);
  });
});
