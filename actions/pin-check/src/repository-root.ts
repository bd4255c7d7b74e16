/**
 * The folder that GitHub's annotations and code scanning treat as the root of
 * file paths: the git repository containing the checked folder (a repository
 * may be checked out in a subfolder of the workspace), else the workspace.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export function repositoryRoot(dir: string, workspace: string): string {
  const top = resolve(workspace);
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current;
    // never look above the workspace (or past the filesystem root)
    if (current === top || current === dirname(current)) return top;
  }
}

/** Maps a path relative to `root` to one relative to `base`, with forward slashes. */
export function rebase(base: string, root: string, file: string): string {
  return relative(base, join(root, file)).split(sep).join('/');
}
