import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCheckedRoot } from './checked-root.ts';

/** base/repo/.github/workflows/ci.yml, base/repo/sub/action.yml, base/other (no .github). */
function tree() {
  const base = mkdtempSync(join(tmpdir(), 'checked-root-'));
  const repo = join(base, 'repo');
  mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(repo, '.github', 'workflows', 'ci.yml'), 'on: push\n');
  mkdirSync(join(repo, 'sub'));
  writeFileSync(join(repo, 'sub', 'action.yml'), 'runs: {}\n');
  mkdirSync(join(base, 'other', 'deep'), { recursive: true });
  return { base, repo };
}

describe('findCheckedRoot', () => {
  it('is the target folder when it holds .github, whatever the cwd', () => {
    const { base, repo } = tree();
    expect(findCheckedRoot(join(base, 'other'), ['../repo'])).toEqual({
      root: repo,
      paths: ['.'],
      outside: [],
    });
  });

  it('walks up from a path inside the repository, a file or a folder', () => {
    const { base, repo } = tree();
    const cwd = join(base, 'other', 'deep');
    expect(findCheckedRoot(cwd, [join(repo, '.github', 'workflows', 'ci.yml')])).toEqual({
      root: repo,
      paths: ['.github/workflows/ci.yml'],
      outside: [],
    });
    expect(findCheckedRoot(cwd, ['../../repo/.github', '../../repo/sub'])).toEqual({
      root: repo,
      paths: ['.github', 'sub'],
      outside: [],
    });
  });

  it('without paths starts at the cwd and rebases it onto the root', () => {
    const { repo } = tree();
    expect(findCheckedRoot(join(repo, 'sub'), [])).toEqual({ root: repo, paths: ['sub'], outside: [] });
    expect(findCheckedRoot(repo, [])).toEqual({ root: repo, paths: ['.'], outside: [] });
  });

  it('names the paths outside the root the first path decides', () => {
    const { base, repo } = tree();
    expect(findCheckedRoot(base, ['repo', 'other']).outside).toEqual(['other']);
    expect(findCheckedRoot(base, ['repo', 'other']).root).toBe(repo);
  });

  it('names a missing path', () => {
    const { base } = tree();
    expect(() => findCheckedRoot(base, ['missing'])).toThrow('missing: no such file or directory');
  });
});
