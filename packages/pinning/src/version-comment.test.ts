import { describe, expect, it } from 'vitest';
import { commentVersion, parseVersionComment, versionCommentText } from './version-comment.ts';

const checkout = { owner: 'actions', repo: 'checkout' };

describe('parseVersionComment', () => {
  it.each([
    ['v1.2.3', { version: 'v1.2.3', style: 'plain', directives: [] }],
    ['tag=v1.2.3', { version: 'v1.2.3', style: 'tag', directives: [] }],
    ['tag: v1.2.3', { version: 'v1.2.3', style: 'tag', directives: [] }],
    ['pin @v1.2.3', { version: 'v1.2.3', style: 'pin', directives: [] }],
    ['pin@v1.2.3', { version: 'v1.2.3', style: 'pin', directives: [] }],
    ['@v1.2.3', { version: 'v1.2.3', style: 'plain', directives: [] }],
    [
      'ratchet:actions/checkout@v4',
      { version: 'v4', style: 'ratchet', directives: ['ratchet:actions/checkout@v4'] },
    ],
    [
      'ratchet:actions/checkout@v4 # v4.2.2',
      { version: 'v4.2.2', style: 'plain', directives: ['ratchet:actions/checkout@v4'] },
    ],
    [
      'v4.2.2 # zizmor: ignore[unpinned-uses]',
      { version: 'v4.2.2', style: 'plain', directives: ['zizmor: ignore[unpinned-uses]'] },
    ],
    ['ratchet:exclude', { directives: ['ratchet:exclude'] }],
    ['renovate: datasource=github-tags', { directives: ['renovate: datasource=github-tags'] }],
    ['needed for the build', { directives: [] }],
    ['', { directives: [] }],
  ])('%j', (text, expected) => {
    expect(parseVersionComment(text, checkout)).toEqual(expected);
  });

  it('reads a ratchet comment only when it names this action (path included)', () => {
    expect(commentVersion('ratchet:actions/setup-node@v4', checkout)).toBeUndefined();
    expect(commentVersion('ratchet:Actions/Checkout@v4', checkout)).toBe('v4');
    expect(
      commentVersion('ratchet:github/codeql-action/upload-sarif@v3', {
        owner: 'github',
        repo: 'codeql-action',
        path: 'upload-sarif',
      }),
    ).toBe('v3');
    expect(
      commentVersion('ratchet:github/codeql-action@v3', {
        owner: 'github',
        repo: 'codeql-action',
        path: 'upload-sarif',
      }),
    ).toBeUndefined();
  });
});

describe('versionCommentText', () => {
  it.each([
    [undefined, 'v4.2.2'],
    ['v4.1.0', 'v4.2.2'],
    ['tag=v4.1.0', 'v4.2.2'],
    ['pin @v4.1.0', 'v4.2.2'],
    ['ratchet:actions/checkout@v4', 'ratchet:actions/checkout@v4 # v4.2.2'],
    ['v4.1.0 # zizmor: ignore[unpinned-uses]', 'zizmor: ignore[unpinned-uses] # v4.2.2'],
    ['zizmor: ignore[x] # ratchet:exclude # tag=v4.1.0', 'zizmor: ignore[x] # ratchet:exclude # v4.2.2'],
    ['pinned later', 'v4.2.2'],
  ])('%j -> %j (version last, directives kept)', (old, expected) => {
    expect(versionCommentText(old, 'v4.2.2', checkout)).toBe(expected);
  });
});
