/**
 * Finds the files pin-check reads: `.github/workflows/*.{yml,yaml}` and every
 * `action.yml`/`action.yaml` in the tree, or exactly the files named.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { UserError } from '@slipway/core';

const SKIPPED_DIRS = new Set(['node_modules', '.git']);
const ACTION_FILE = /^action\.ya?ml$/;
const WORKFLOW_FILE = /\.ya?ml$/;

/** Relative path with forward slashes, as findings and policies use it. */
export const toPosix = (path: string): string => path.split(sep).join('/');

/**
 * Returns the files to check under `paths` (anything but a directory is taken
 * as given, directories are walked), relative to `root`, sorted and without
 * duplicates. A path that does not exist is a UserError. Entries are listed by
 * name only: whether one is a regular file is decided when it is read, so a
 * link to a device or a pipe is reported rather than silently passed over.
 */
export function discoverFiles(root: string, paths: readonly string[]): string[] {
  const found = new Set<string>();
  for (const path of paths.length > 0 ? paths : ['.']) {
    const absolute = resolve(root, path);
    let stat;
    try {
      stat = statSync(absolute);
    } catch {
      throw new UserError(`${path}: no such file or directory`);
    }
    if (stat.isDirectory()) walk(absolute, root, found);
    else found.add(toPosix(relative(root, absolute)) || basename(absolute));
  }
  return [...found].sort();
}

function walk(dir: string, root: string, found: Set<string>): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    throw new UserError(`${toPosix(relative(root, dir)) || '.'}: cannot read directory`, { cause: error });
  }
  const inWorkflows = toPosix(dir).endsWith('/.github/workflows');
  const prefix = toPosix(relative(root, dir));
  const relativeName = (name: string) => (prefix === '' ? name : `${prefix}/${name}`);
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (SKIPPED_DIRS.has(entry.name)) continue;
      if (entry.name.startsWith('.') && entry.name !== '.github') continue;
      walk(join(dir, entry.name), root, found);
    } else if (ACTION_FILE.test(entry.name) || (inWorkflows && WORKFLOW_FILE.test(entry.name))) {
      // files, links (to directories too: they are not walked) and anything else with the name
      found.add(relativeName(entry.name));
    }
  }
}
