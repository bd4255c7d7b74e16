/**
 * Paths inside the ops repository. Every file the action touches is named by a
 * repository-relative path that cannot leave the repository: no absolute paths,
 * no `..`, no backslashes or NUL, and (for a local checkout) no symlink that
 * resolves outside the checkout.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { UserError } from '@slipway/core';

/**
 * Normalises `./a//b.yaml` to `a/b.yaml`; a path that could escape is a UserError
 * starting with `label` (where the path came from, e.g. "Input 'file'").
 */
export function normalizeRepoPath(path: string, label = 'File'): string {
  const fail = (problem: string): never => {
    throw new UserError(
      `${label}: '${path}' ${problem}. Give a path relative to the repository root, such as \`apps/web/overlays/prod/kustomization.yaml\`.`,
    );
  };
  if (path.trim() === '') fail('is empty');
  if (path.includes('\0')) fail('contains a NUL character');
  if (path.includes('\\')) fail('contains a backslash');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || isAbsolute(path)) fail('is absolute');
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) fail('contains `..`');
  if (parts.length === 0) fail('names the repository root, not a file');
  if (parts[0] === '.git') fail('is inside .git');
  return parts.join('/');
}

/**
 * Resolves a repository path inside a local checkout, following symlinks, and
 * refuses one that ends up outside it. Returns the absolute path.
 */
export async function resolveInCheckout(root: string, repoPath: string): Promise<string> {
  const realRoot = await realpath(root);
  const target = resolve(realRoot, repoPath);
  let real: string;
  try {
    real = await realpath(target);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') {
      throw new UserError(`${repoPath} does not exist in ${root}.`);
    }
    throw error;
  }
  const rel = relative(realRoot, real);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    throw new UserError(`${repoPath} is a symbolic link that points outside the repository (${real}).`);
  }
  return real;
}

/** Git file modes as the GitHub API reports them. */
export const GIT_MODE_SYMLINK = '120000';
export const GIT_MODE_FILE = ['100644', '100755'];
