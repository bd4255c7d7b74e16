import { describe, expect, it } from 'vitest';
import {
  digestProblem,
  formatImageReference,
  nameProblem,
  parseImageReference,
  parseSetImageSpec,
  splitRegistry,
  tagProblem,
} from './image-reference.ts';

const D = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('parseImageReference (OCI grammar)', () => {
  it.each([
    ['web', { name: 'web' }],
    ['ghcr.io/acme/web:1.4.2', { name: 'ghcr.io/acme/web', tag: '1.4.2' }],
    [`ghcr.io/acme/web:1.4.2@${D}`, { name: 'ghcr.io/acme/web', tag: '1.4.2', digest: D }],
    [`registry.example.com:5000/acme/api@${D}`, { name: 'registry.example.com:5000/acme/api', digest: D }],
    ['localhost/app:v1', { name: 'localhost/app', tag: 'v1' }],
    ['[::1]:5000/app:v1', { name: '[::1]:5000/app', tag: 'v1' }],
    ['a/b__c/d-e.f--g:_x', { name: 'a/b__c/d-e.f--g', tag: '_x' }],
    [`Registry.Example/app:v1`, { name: 'Registry.Example/app', tag: 'v1' }],
  ])('%s', (text, expected) => {
    expect(parseImageReference(text)).toEqual(expected);
    expect(formatImageReference(parseImageReference(text))).toBe(text);
  });

  it.each([
    ['Web:v1', "the name 'Web' has the path component 'Web', which must be lower-case letters and digits"],
    ['ghcr.io/acme/web:-bad', "the tag '-bad' may only contain"],
    [`web:${'x'.repeat(129)}`, 'is longer than 128 characters'],
    ['web@sha256:abc', 'is not a digest of the form'],
    [`web@sha256:${'A'.repeat(64)}`, 'must use lower-case hex digits'],
    [`web@sha256:${'a'.repeat(63)}`, 'has 63 hex digits; sha256 needs 64'],
    ['ghcr.io//web:v1', "the name 'ghcr.io//web' has an empty path component"],
    ['bad_host:5000x/app', "has an invalid registry domain 'bad_host:5000x'"],
    ['', "the name '' is empty"],
  ])('rejects %s', (text, problem) => {
    expect(() => parseImageReference(text, "Input 'image'")).toThrow(problem);
  });

  // Cases where the gitops and supply-chain parsers used to disagree; the supply-chain
  // side of each is in packages/supply-chain/src/registry/image-reference.test.ts.
  it.each([
    // an upper-case first component is a registry domain (distribution's splitDockerDomain)
    ['Octo/app:1', { name: 'Octo/app', tag: '1' }],
    // go-digest registers sha384 too
    [`web@sha384:${'c'.repeat(96)}`, { name: 'web', digest: `sha384:${'c'.repeat(96)}` }],
  ])('accepts %s as the unified grammar does', (text, expected) => {
    expect(parseImageReference(text)).toEqual(expected);
    expect(splitRegistry(expected.name)).toEqual(
      expected.name === 'Octo/app'
        ? { registry: 'Octo', path: 'app' }
        : { registry: 'docker.io', path: 'web' },
    );
  });

  it.each([
    // other algorithms than sha256/384/512 used to pass with >= 32 hex digits
    [
      `web@md5:${'a'.repeat(32)}`,
      `Input 'image': 'web@md5:${'a'.repeat(32)}' is not valid: the digest 'md5:${'a'.repeat(32)}' uses the unsupported algorithm 'md5' (supported: sha256, sha384, sha512).`,
    ],
    // whitespace used to be reported per part
    [
      ' web:v1',
      "Input 'image': ' web:v1' is not valid: it contains whitespace. Use `[registry/]repository[:tag][@digest]`",
    ],
    ['web:v 1', "Input 'image': 'web:v 1' is not valid: it contains whitespace."],
    // the path component at fault is named
    [
      'ghcr.io/acme/web.:v1',
      "Input 'image': 'ghcr.io/acme/web.:v1' is not valid: the name 'ghcr.io/acme/web.' has the path component 'web.', which must be lower-case letters and digits with only `.`, `_`, `__` or `-` between them.",
    ],
  ])('rejects %j as the unified grammar does', (text, message) => {
    expect(() => parseImageReference(text, "Input 'image'")).toThrow(message);
  });

  it('keeps docker.io names as written and limits the whole name to 255 characters', () => {
    expect(parseImageReference('docker.io/alpine:3')).toEqual({ name: 'docker.io/alpine', tag: '3' });
    expect(parseImageReference('alpine')).toEqual({ name: 'alpine' });
    expect(nameProblem(`ghcr.io/${'a'.repeat(247)}`)).toBeUndefined();
    expect(nameProblem(`ghcr.io/${'a'.repeat(248)}`)).toBe('is longer than 255 characters');
  });

  it('checks tags and digests on their own', () => {
    expect(tagProblem('v1.2.3-rc.1_b')).toBeUndefined();
    expect(tagProblem('.hidden')).toMatch(/must not start/);
    expect(digestProblem(`sha512:${'a'.repeat(128)}`)).toBeUndefined();
    expect(digestProblem(`sha512:${'a'.repeat(64)}`)).toBe('has 64 hex digits; sha512 needs 128');
  });
});

describe('parseSetImageSpec (kustomize edit set image grammar)', () => {
  it.each([
    ['web:v2', { name: 'web', newTag: 'v2' }],
    [`web@${D}`, { name: 'web', digest: D }],
    [`web:v2@${D}`, { name: 'web', newTag: 'v2', digest: D }],
    ['web=ghcr.io/acme/web', { name: 'web', newName: 'ghcr.io/acme/web' }],
    [`web=ghcr.io/acme/web:v2@${D}`, { name: 'web', newName: 'ghcr.io/acme/web', newTag: 'v2', digest: D }],
    ['web=*:v2', { name: 'web', newName: '*', newTag: 'v2' }],
    ['web=*:*@' + D, { name: 'web', newName: '*', newTag: '*', digest: D }],
    ['ghcr.io/acme/web=:v2', { name: 'ghcr.io/acme/web', newTag: 'v2' }],
    ['registry.example.com:5000/acme/api:2.0', { name: 'registry.example.com:5000/acme/api', newTag: '2.0' }],
  ])('%s', (text, expected) => {
    expect(parseSetImageSpec(text)).toEqual(expected);
  });

  it.each([
    ['web', 'it sets neither a tag nor a digest'],
    ['web=', 'nothing follows `='],
    ['Web=web:v1', "the name 'Web'"],
    ['web=ghcr.io/acme/web:bad tag', "the tag 'bad tag'"],
    ['web=ghcr.io/acme/web@sha256:12', "the digest 'sha256:12'"],
    [
      'web=ghcr.io/Acme/web:-x',
      "the name 'ghcr.io/Acme/web' has the path component 'Acme', which must be lower-case letters and digits with only `.`, `_`, `__` or `-` between them; the tag '-x' may only contain",
    ],
  ])('rejects %s', (text, problem) => {
    const label = "Input 'changes', item 1, `image`";
    expect(() => parseSetImageSpec(text, label)).toThrow(problem);
    expect(() => parseSetImageSpec(text, label)).toThrow(
      new RegExp(
        `^Input 'changes', item 1, \`image\`: '${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' is not valid: .+\\. Use \`name\\[=newName\\]`,
      ),
    );
  });
});
