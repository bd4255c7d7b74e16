import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commentVersion } from './version-comment.ts';
import { MAX_CLOCK_SKEW_MS, RefCache } from './ref-cache.ts';
import { newestTag } from './repo-refs.ts';
import { buildResolveQuery, peel, readResolution } from './resolve-refs.ts';

describe('ref resolution query and answers', () => {
  it('asks tags, branches and short SHAs per pair with variables, and full SHAs by oid', () => {
    const { query, variables } = buildResolveQuery([
      { owner: 'actions', repo: 'checkout', ref: 'v4' },
      { owner: 'o', repo: 'r', ref: 'abc1234' },
      { owner: 'o', repo: 'r', ref: 'f'.repeat(40) },
    ]);
    expect(variables).toEqual({
      o0: 'actions',
      n0: 'checkout',
      t0: 'refs/tags/v4',
      h0: 'refs/heads/v4',
      o1: 'o',
      n1: 'r',
      t1: 'refs/tags/abc1234',
      h1: 'refs/heads/abc1234',
      e1: 'abc1234',
      o2: 'o',
      n2: 'r',
      c2: 'f'.repeat(40),
      t2: `refs/tags/${'f'.repeat(40)}`,
      h2: `refs/heads/${'f'.repeat(40)}`,
    });
    expect(query).toContain(
      'p1: repository(owner: $o1, name: $n1) { tag: ref(qualifiedName: $t1) { target { ...Peel } } branch: ref(qualifiedName: $h1) { target { ...Peel } } commit: object(expression: $e1) { ...Peel } }',
    );
    // a full SHA is asked by oid, and as a tag and a branch name (a ref named like a SHA is a finding)
    expect(query).toContain(
      'p2: repository(owner: $o2, name: $n2) { commit: object(oid: $c2) { __typename oid } tag: ref(qualifiedName: $t2) { target { ...Peel } } branch: ref(qualifiedName: $h2) { target { ...Peel } } }',
    );
    expect(query).toContain('fragment Peel on GitObject');
  });

  it('peels annotated tags (nested too) and prefers tags over branches over commits', () => {
    const commit = { __typename: 'Commit', oid: 'c' };
    expect(
      peel({ __typename: 'Tag', oid: 't1', target: { __typename: 'Tag', oid: 't2', target: commit } }),
    ).toBe('c');
    expect(peel({ __typename: 'Tree', oid: 'x' })).toBeUndefined();
    expect(readResolution(null)).toEqual({ status: 'repo-not-found' });
    expect(readResolution({ tag: null, branch: null })).toEqual({ status: 'ref-not-found' });
    expect(
      readResolution({ tag: { target: commit }, branch: { target: { __typename: 'Commit', oid: 'b' } } }),
    ).toEqual({ status: 'ok', sha: 'c', kind: 'tag', alsoNamed: ['branch'] });
    // a full SHA is the commit even when a tag of that name exists, which is noted
    expect(
      readResolution({ tag: { target: { __typename: 'Commit', oid: 'x' } }, branch: null, commit }, true),
    ).toEqual({
      status: 'ok',
      sha: 'c',
      kind: 'commit',
      alsoNamed: ['tag'],
    });
    expect(readResolution({ tag: { target: commit }, branch: null, commit: null }, true)).toEqual({
      status: 'ref-not-found',
    });
    expect(readResolution({ tag: null, branch: { target: commit } })).toEqual({
      status: 'ok',
      sha: 'c',
      kind: 'branch',
    });
    expect(readResolution({ tag: null, branch: null, commit })).toEqual({
      status: 'ok',
      sha: 'c',
      kind: 'commit',
    });
  });
});

describe('versions', () => {
  it('reads the version a pin comment names', () => {
    expect(
      ['v4.1.0', 'tag=v4.1.0', 'pin @v2', '4.1 (security fix)', 'needed for build', '', undefined].map((c) =>
        commentVersion(c),
      ),
    ).toEqual(['v4.1.0', 'v4.1.0', 'v2', '4.1', undefined, undefined, undefined]);
  });

  it('picks the newest stable tag, most specific on ties, optionally within a major', () => {
    const tags = [
      { name: 'v4', sha: 'a' },
      { name: 'v4.2.1', sha: 'a' },
      { name: 'v4.10.0-rc.1', sha: 'b' },
      { name: 'v3.9.9', sha: 'c' },
      { name: 'latest', sha: 'd' },
    ];
    expect(newestTag(tags)).toEqual({ name: 'v4.2.1', sha: 'a' });
    expect(newestTag(tags, 3)).toEqual({ name: 'v3.9.9', sha: 'c' });
    expect(newestTag(tags, 5)).toBeUndefined();
  });

  it('with a cooldown, skips tags younger than the minimum age and tags without a date', () => {
    const now = new Date('2026-03-10T00:00:00Z');
    const tags = [
      { name: 'v4.3.0', sha: 'new', date: '2026-03-08T00:00:00Z' },
      { name: 'v4.2.9', sha: 'nodate' },
      { name: 'v4.2.1', sha: 'old', date: '2026-02-01T00:00:00Z' },
    ];
    const week = { minAgeMs: 7 * 86_400_000, now };
    expect(newestTag(tags, 4, week)).toEqual({ name: 'v4.2.1', sha: 'old' });
    expect(newestTag(tags, 4, { minAgeMs: 86_400_000, now })).toEqual({ name: 'v4.3.0', sha: 'new' });
    expect(newestTag(tags, 4)).toEqual({ name: 'v4.3.0', sha: 'new' });
  });
});

describe('RefCache', () => {
  it('keeps entries for the TTL across runs and survives a corrupt file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ref-cache-')), 'sub', 'refs.json');
    let now = 1_000;
    const first = new RefCache(file, { ttlMs: 100, now: () => now });
    first.set('ref:o/r@v1', { status: 'ok', sha: 'a', kind: 'tag' });
    first.save();
    now = 1_050;
    expect(new RefCache(file, { ttlMs: 100, now: () => now }).get('ref:o/r@v1')).toEqual({
      status: 'ok',
      sha: 'a',
      kind: 'tag',
    });
    now = 1_101;
    expect(new RefCache(file, { ttlMs: 100, now: () => now }).get('ref:o/r@v1')).toBeUndefined();
    writeFileSync(file, '{not json');
    const corrupt = new RefCache(file, { ttlMs: 100, now: () => now });
    expect(corrupt.get('ref:o/r@v1')).toBeUndefined();
    corrupt.set('k', 1);
    corrupt.save();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      version: 1,
      entries: { k: { at: 1_101, value: 1, scope: 'local' } },
    });
  });

  it('keeps permanent entries (content named by a SHA) past the TTL, but not ones stamped in the future', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ref-cache-'));
    const file = join(dir, 'refs.json');
    let now = 1_000;
    const cache = new RefCache(file, { ttlMs: 100, now: () => now });
    cache.setPermanent('meta:o/r@' + 'a'.repeat(40), { file: 'action.yml', text: 'name: x\n' });
    cache.set('ref:o/r@v1', 1);
    cache.save();
    now = 1_000_000;
    const later = new RefCache(file, { ttlMs: 100, now: () => now });
    expect(later.get('meta:o/r@' + 'a'.repeat(40))).toEqual({ file: 'action.yml', text: 'name: x\n' });
    expect(later.get('ref:o/r@v1')).toBeUndefined();
    now = 1_000 - MAX_CLOCK_SKEW_MS - 1;
    expect(
      new RefCache(file, { ttlMs: 100, now: () => now }).get('meta:o/r@' + 'a'.repeat(40)),
    ).toBeUndefined();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops entries stamped in the future beyond clock skew, and keeps verdicts to their scope', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ref-cache-')), 'refs.json');
    const now = 10 * MAX_CLOCK_SKEW_MS;
    const entry = (at: number, scope?: string) => ({ at, value: at, ...(scope ? { scope } : {}) });
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        entries: {
          skewed: entry(now + MAX_CLOCK_SKEW_MS, 'ci'),
          future: entry(now + MAX_CLOCK_SKEW_MS + 1, 'ci'),
          farFuture: entry(8.64e15, 'ci'),
          notANumber: { at: 'soon', value: 1 },
          other: entry(now, 'other'),
          unscoped: entry(now),
        },
      }),
    );
    const cache = new RefCache(file, { ttlMs: 3_600_000, now: () => now, scope: 'ci' });
    const keys = ['skewed', 'future', 'farFuture', 'notANumber', 'other', 'unscoped'];
    expect(keys.map((key) => cache.get(key) !== undefined)).toEqual([true, false, false, false, true, true]);
    expect(keys.map((key) => cache.getInScope(key) !== undefined)).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
