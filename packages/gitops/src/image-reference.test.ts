import { describe, expect, it } from 'vitest';
import {
  digestProblem,
  formatImageReference,
  parseImageReference,
  parseSetImageSpec,
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
    ['Web:v1', "the name 'Web' must be lower-case path components"],
    ['ghcr.io/acme/web:-bad', "the tag '-bad' may only contain"],
    [`web:${'x'.repeat(129)}`, 'is longer than 128 characters'],
    ['web@sha256:abc', 'is not a digest of the form'],
    [`web@sha256:${'A'.repeat(64)}`, 'must use lower-case hex digits'],
    [`web@sha256:${'a'.repeat(63)}`, 'has 63 hex digits; sha256 needs 64'],
    ['ghcr.io//web:v1', 'must be lower-case path components'],
    ['bad_host:5000x/app', "has an invalid registry domain 'bad_host:5000x'"],
    ['', "the name '' is empty"],
  ])('rejects %s', (text, problem) => {
    expect(() => parseImageReference(text, 'image')).toThrow(problem);
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
  ])('rejects %s', (text, problem) => {
    expect(() => parseSetImageSpec(text, 'changes[0] image')).toThrow(problem);
    expect(() => parseSetImageSpec(text, 'changes[0] image')).toThrow(
      `The changes[0] image '${text}' is not valid`,
    );
  });
});
