import { describe, expect, it } from 'vitest';
import { describeUnpinnedImage, parseImageReference, parseUsesReference } from './reference.ts';

const SHA = '3d3c42e5aac5ba805825da76410c181273ba90b1';

describe('parseUsesReference', () => {
  it.each([
    ['actions/checkout@v4', { kind: 'action', owner: 'actions', repo: 'checkout', path: '', ref: 'v4' }],
    [
      'github/codeql-action/upload-sarif@' + SHA,
      { kind: 'action', owner: 'github', repo: 'codeql-action', path: 'upload-sarif', ref: SHA },
    ],
    [
      'octo/pipes/.github/workflows/build.yml@main',
      { kind: 'action', owner: 'octo', repo: 'pipes', path: '.github/workflows/build.yml', ref: 'main' },
    ],
    ['./.github/actions/setup', { kind: 'local', path: './.github/actions/setup' }],
    ['docker://alpine:3.20', { kind: 'docker', image: { name: 'alpine', tag: '3.20' } }],
    ['${{ inputs.action }}', { kind: 'expression' }],
    ['actions/checkout', { kind: 'invalid', reason: 'it has no @<ref>' }],
    ['actions/checkout@', { kind: 'invalid', reason: 'the ref after @ is empty' }],
    ['checkout@v4', { kind: 'invalid', reason: 'it is not of the form owner/repo[/path]@ref' }],
    ['a//b@v1', { kind: 'invalid', reason: 'it is not of the form owner/repo[/path]@ref' }],
    ['a/b//c@v1', { kind: 'invalid', reason: 'its path has an empty segment' }],
    ['a/b@v1 extra', { kind: 'invalid', reason: 'it contains whitespace' }],
  ])('%s', (value, expected) => {
    expect(parseUsesReference(value)).toEqual(expected);
  });
});

describe('parseImageReference', () => {
  it.each([
    ['node', { name: 'node' }, 'it has no tag and no digest'],
    [
      'localhost:5000/app:1.2',
      { name: 'localhost:5000/app', tag: '1.2' },
      "it uses the tag '1.2' without a digest",
    ],
    [
      'ghcr.io/o/app:1@sha256:' + 'a'.repeat(64),
      {
        name: 'ghcr.io/o/app',
        tag: '1',
        rawDigest: 'sha256:' + 'a'.repeat(64),
        digest: 'sha256:' + 'a'.repeat(64),
      },
      undefined,
    ],
    [
      'app@sha256:' + 'A'.repeat(64),
      { name: 'app', rawDigest: 'sha256:' + 'A'.repeat(64) },
      `'@sha256:${'A'.repeat(64)}' is not a sha256 digest (sha256: and 64 lowercase hex digits)`,
    ],
    [
      'app@sha512:abc',
      { name: 'app', rawDigest: 'sha512:abc' },
      "'@sha512:abc' is not a sha256 digest (sha256: and 64 lowercase hex digits)",
    ],
  ])('%s', (value, expected, why) => {
    const image = parseImageReference(value);
    expect(image).toEqual(expected);
    expect(describeUnpinnedImage(image as Exclude<typeof image, { reason: string }>)).toBe(why);
  });

  it('rejects empty and whitespace images', () => {
    expect(parseImageReference('')).toEqual({ reason: 'the image is empty' });
    expect(parseImageReference('a b')).toEqual({ reason: 'the image contains whitespace' });
  });
});

describe('parseUsesReference: $/path (this repository at the running commit)', () => {
  it.each([
    ['$/.github/actions/setup', { kind: 'self', path: '.github/actions/setup' }],
    ['$/.github/workflows/build.yml', { kind: 'self', path: '.github/workflows/build.yml' }],
  ])('%s is pinned by nature', (value, expected) => {
    expect(parseUsesReference(value)).toEqual(expected);
  });

  it.each([
    [
      '$/.github/actions/setup@v1',
      "a $/ reference is always this repository at the running commit and takes no @ref; write '$/.github/actions/setup'",
    ],
    ['$/', "a $/ reference needs a path inside the repository, such as '$/.github/actions/setup'"],
    ['$/a//b', "a $/ reference needs a path inside the repository, such as '$/.github/actions/setup'"],
    ['$/../x', "a $/ reference needs a path inside the repository, such as '$/.github/actions/setup'"],
    ['$/a b', 'it contains whitespace'],
  ])('%s is invalid', (value, reason) => {
    expect(parseUsesReference(value)).toEqual({ kind: 'invalid', reason });
  });

  it('is not confused with an owner named $', () => {
    expect(parseUsesReference('$x/y@v1')).toEqual({
      kind: 'invalid',
      reason: 'it is not of the form owner/repo[/path]@ref',
    });
  });
});
