/**
 * Where the lock of one (directory, workspace) lives: the git ref
 * `refs/slipway-tf-locks/<directory>/<workspace>`, each part percent-encoded
 * into a single ref component. Outside `refs/heads/` on purpose: a lock is not a
 * branch, so it triggers no workflow, needs no branch protection exception and
 * does not show in the branch list; GitHub's create-a-reference endpoint takes
 * any fully qualified name that starts with `refs/` and has two slashes.
 */
import { UserError } from '@slipway/core';

export const LOCK_REF_PREFIX = 'refs/slipway-tf-locks/';

/** Characters kept as they are; everything else (`/`, `.`, spaces, non-ASCII) becomes %XX. */
const KEPT = /[A-Za-z0-9_-]/;

/** Percent-encodes a path into one ref component that git and URLs both accept. */
export function encodeRefComponent(value: string): string {
  let out = '';
  for (const ch of value) {
    if (KEPT.test(ch)) out += ch;
    else
      for (const byte of Buffer.from(ch, 'utf8'))
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * A repository-relative directory in one spelling: `./infra//prod/` -> `infra/prod`,
 * the root is `.`. Absolute paths and `..` segments are refused, naming `what`.
 */
export function normalizeDirectory(dir: string, what = 'directory'): string {
  const trimmed = dir.trim().replace(/\\/g, '/');
  if (trimmed.startsWith('/') || /^[A-Za-z]:/.test(trimmed)) {
    throw new UserError(`The ${what} "${dir}" is absolute. Give a path relative to the repository root.`);
  }
  const parts = trimmed.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) {
    throw new UserError(`The ${what} "${dir}" leaves the repository ("..").`, {
      hint: 'Give a path inside the repository, relative to its root.',
    });
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

const WORKSPACE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,89}$/;

/** Terraform/OpenTofu workspace names as Slipway accepts them (letters, digits, `.`, `_`, `-`). */
export function validateWorkspace(workspace: string, what = 'workspace'): string {
  if (!WORKSPACE.test(workspace)) {
    throw new UserError(
      `The ${what} "${workspace}" is not a valid workspace name. Expected letters, digits, ".", "_" or "-", starting with a letter or digit (at most 90 characters).`,
    );
  }
  return workspace;
}

export interface LockKey {
  dir: string;
  workspace: string;
}

/** Normalised key plus its full ref name. */
export function lockRef(dir: string, workspace: string): LockKey & { ref: string } {
  const key = { dir: normalizeDirectory(dir), workspace: validateWorkspace(workspace) };
  return {
    ...key,
    ref: `${LOCK_REF_PREFIX}${encodeRefComponent(key.dir)}/${encodeRefComponent(key.workspace)}`,
  };
}

/** The ref name as a URL path below `git/ref/` (without `refs/`), each segment URL-encoded. */
export function refUrlPath(ref: string): string {
  return ref
    .replace(/^refs\//, '')
    .split('/')
    .map(encodeURIComponent)
    .join('/');
}
