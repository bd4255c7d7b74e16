import { describe, expect, it } from 'vitest';
import { restoreImageSpec } from './image-locator.ts';
import {
  findRollbackTarget,
  imageVersion,
  rollbackSearchSettled,
  type FileAtCommit,
} from './rollback-target.ts';

const FILE = 'apps/web/overlays/production/kustomization.yaml';
const d = (c: string) => `sha256:${c.repeat(64)}`;
const at = (commit: string, digest: string | undefined, tag = 'v1'): FileAtCommit => ({
  commit: commit.repeat(40),
  text:
    digest === undefined
      ? 'resources:\n  - ../../base\n'
      : `resources:\n  - ../../base\nimages:\n  - name: api\n    newTag: "x"\n  - name: web # the app\n    newName: ghcr.io/acme/web\n    newTag: "${tag}"\n    digest: ${digest}\n`,
});

describe('findRollbackTarget', () => {
  it('returns the commit before the failed bump, with the entry as written there', () => {
    const target = findRollbackTarget({
      file: FILE,
      image: 'web',
      history: [at('c', d('c'), 'v3'), at('b', d('b'), 'v2'), at('a', d('a'))],
      failed: d('c'),
    });
    expect(target).toEqual({
      commit: 'b'.repeat(40),
      fields: { newName: 'ghcr.io/acme/web', newTag: 'v2', digest: d('b') },
      skipped: 1,
    });
  });

  it('passes over commits that changed the file but not the failed image, and known-bad digests', () => {
    const history = [
      at('e', d('e')),
      at('d', d('e')), // another entry or a comment changed; web was already at the failed digest
      at('c', d('c')), // an earlier rollout that failed too
      at('b', d('b')),
    ];
    expect(findRollbackTarget({ file: FILE, image: 'web', history, failed: d('e') }).commit).toBe(
      'c'.repeat(40),
    );
    const target = findRollbackTarget({
      file: FILE,
      image: 'web',
      history,
      failed: d('e'),
      alsoBad: [d('c')],
    });
    expect(target).toMatchObject({ commit: 'b'.repeat(40), skipped: 3, fields: { digest: d('b') } });
  });

  it('matches on the tag when the entry has no digest', () => {
    const tagOnly = (commit: string, tag: string): FileAtCommit => ({
      commit: commit.repeat(40),
      text: `images:\n  - name: web\n    newTag: "${tag}"\n`,
    });
    const target = findRollbackTarget({
      file: FILE,
      image: 'web',
      history: [tagOnly('b', '1.10'), tagOnly('a', '1.9')],
      failed: '1.10',
    });
    expect(target.fields).toEqual({ newTag: '1.9' });
    expect(imageVersion({ newTag: 't', digest: d('1') })).toBe(d('1'));
  });

  it('refuses when the head no longer holds the failed image (someone changed the file since)', () => {
    expect(() =>
      findRollbackTarget({
        file: FILE,
        image: 'web',
        history: [at('d', d('d')), at('c', d('c'))],
        failed: d('c'),
      }),
    ).toThrow(
      `${FILE} at dddddddddddd has web at ${d('d')}, not the failed ${d('c')}: the file changed after the failed deployment, so no rollback pull request is opened.`,
    );
  });

  it('refuses when there is no earlier version: the entry was added by the failed bump, the file is new, or the history is empty', () => {
    const added = [at('b', d('b')), at('a', undefined)];
    expect(() => findRollbackTarget({ file: FILE, image: 'web', history: added, failed: d('b') })).toThrow(
      `${FILE} has no earlier version of web than ${d('b')} in the 2 commit(s) read; there is nothing to roll back to.`,
    );
    const created = [at('b', d('b')), { commit: 'a'.repeat(40), text: undefined }];
    expect(() => findRollbackTarget({ file: FILE, image: 'web', history: created, failed: d('b') })).toThrow(
      'there is nothing to roll back to',
    );
    expect(() =>
      findRollbackTarget({ file: FILE, image: 'web', history: [at('b', d('b'))], failed: d('b') }),
    ).toThrow('in the 1 commit(s) read');
    expect(() => findRollbackTarget({ file: FILE, image: 'web', history: [], failed: d('b') })).toThrow(
      `${FILE} has no history on the branch`,
    );
  });

  it('matches the entry name exactly (not as a pattern or prefix)', () => {
    expect(() =>
      findRollbackTarget({
        file: FILE,
        image: 'we.',
        history: [at('b', d('b')), at('a', d('a'))],
        failed: d('b'),
      }),
    ).toThrow('has we. at no version');
  });
});

describe('restoreImageSpec', () => {
  it('writes every field the entry had and nothing else, so image-bump restores it whole', () => {
    expect(restoreImageSpec('web', { newName: 'ghcr.io/acme/web', newTag: 'v2', digest: d('b') })).toBe(
      `web=ghcr.io/acme/web:v2@${d('b')}`,
    );
    expect(restoreImageSpec('web', { digest: d('b') })).toBe(`web@${d('b')}`);
    expect(restoreImageSpec('web', { newTag: '1.9' })).toBe('web:1.9');
  });
});

describe('rollbackSearchSettled', () => {
  const settled = (history: FileAtCommit[], alsoBad: string[] = []) =>
    rollbackSearchSettled({ file: FILE, image: 'web', history, failed: d('c'), alsoBad });
  it('is false while only the failed and known-bad versions were read, true once older history cannot change the answer', () => {
    expect(settled([])).toBe(false);
    expect(settled([at('c', d('c'))])).toBe(false);
    expect(settled([at('c', d('c')), at('x', d('c'))])).toBe(false);
    expect(settled([at('c', d('c')), at('b', d('b'))], [d('b')])).toBe(false);
    // a target
    expect(settled([at('c', d('c')), at('b', d('b'))])).toBe(true);
    // the walk ends: the entry or the file did not exist yet
    expect(settled([at('c', d('c')), at('a', undefined)])).toBe(true);
    expect(settled([at('c', d('c')), { commit: 'a'.repeat(40), text: undefined }])).toBe(true);
    // the head moved on: findRollbackTarget refuses whatever is older
    expect(settled([at('e', d('e'))])).toBe(true);
  });
});
