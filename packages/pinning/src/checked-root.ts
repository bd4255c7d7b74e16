/**
 * The checked root of a local pin-check run: the folder whose policy applies and
 * against which SARIF paths are written (%SRCROOT%). It is the repository being
 * checked, not the folder the command happens to run in.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { UserError } from '@slipway/core';

export interface CheckedRoot {
  /** Absolute path of the checked root. */
  root: string;
  /** The paths to check, relative to root (POSIX separators); '.' for the root itself. */
  paths: string[];
  /** Paths (as given) that lie outside root: only the first path decides the root. */
  outside: string[];
}

const toPosix = (path: string): string => path.split(sep).join('/');

/**
 * Starts at the first path (a folder, or the folder of a file; cwd when no path is given)
 * and walks up to the nearest folder that holds a `.github` folder; when none does, the
 * root is that first folder itself. The paths are rebased onto the root.
 */
export function findCheckedRoot(cwd: string, paths: readonly string[]): CheckedRoot {
  const targets = (paths.length > 0 ? paths : ['.']).map((path) => resolve(cwd, path));
  const first = targets[0] as string;
  let start: string;
  try {
    start = statSync(first).isDirectory() ? first : dirname(first);
  } catch (error) {
    throw new UserError(`${paths[0] ?? '.'}: no such file or directory`, { cause: error });
  }
  let root = start;
  for (let dir = start; ; dir = dirname(dir)) {
    if (isFolder(resolve(dir, '.github'))) {
      root = dir;
      break;
    }
    if (dirname(dir) === dir) break;
  }
  const given = paths.length > 0 ? paths : ['.'];
  const outside: string[] = [];
  const rebased = targets.map((target, i) => {
    const rel = relative(root, target);
    if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) outside.push(given[i] as string);
    return toPosix(rel) || '.';
  });
  return { root, paths: rebased, outside };
}

function isFolder(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isDirectory();
  } catch {
    return false;
  }
}
