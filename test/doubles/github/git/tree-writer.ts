/**
 * Writes a new tree from a base tree plus path-level changes, one `git mktree`
 * per changed directory. Paths use `/`; a null change deletes the path.
 */
import type { GitRepo, TreeEntry } from './git-repo.ts';

export type TreeChange =
  | { path: string; content: Buffer | string; mode?: '100644' | '100755' }
  | { path: string; oid: string; mode: string; type: 'blob' | 'tree' | 'commit' }
  | { path: string; delete: true };

interface DirNode {
  files: Map<string, TreeChange>;
  dirs: Map<string, DirNode>;
}

function insert(root: DirNode, change: TreeChange): void {
  const parts = change.path.split('/').filter((p) => p.length > 0);
  if (parts.length === 0) throw new Error(`empty path in tree change`);
  let node = root;
  for (const part of parts.slice(0, -1)) {
    let child = node.dirs.get(part);
    if (!child) {
      child = { files: new Map(), dirs: new Map() };
      node.dirs.set(part, child);
    }
    node = child;
  }
  node.files.set(parts[parts.length - 1]!, change);
}

async function writeDir(repo: GitRepo, baseTree: string | null, node: DirNode): Promise<string | null> {
  const entries = new Map<string, TreeEntry>();
  if (baseTree) for (const entry of await repo.readTree(baseTree)) entries.set(entry.name, entry);
  for (const [name, child] of node.dirs) {
    const existing = entries.get(name);
    const childTree = await writeDir(repo, existing?.type === 'tree' ? existing.oid : null, child);
    if (childTree === null) entries.delete(name);
    else entries.set(name, { mode: '040000', type: 'tree', oid: childTree, name, size: null });
  }
  for (const [name, change] of node.files) {
    if ('delete' in change) {
      entries.delete(name);
    } else if ('content' in change) {
      const oid = await repo.writeBlob(change.content);
      entries.set(name, { mode: change.mode ?? '100644', type: 'blob', oid, name, size: null });
    } else {
      entries.set(name, { mode: change.mode, type: change.type, oid: change.oid, name, size: null });
    }
  }
  if (entries.size === 0) return null;
  return repo.writeTree([...entries.values()]);
}

/** Returns the oid of the new root tree (an empty tree when every path was deleted). */
export async function writeTreeWithChanges(
  repo: GitRepo,
  baseTree: string | null,
  changes: readonly TreeChange[],
): Promise<string> {
  const root: DirNode = { files: new Map(), dirs: new Map() };
  for (const change of changes) insert(root, change);
  return (await writeDir(repo, baseTree, root)) ?? (await repo.writeTree([]));
}

/** Finds the entry at `path` below a root tree, or null. */
export async function entryAtPath(repo: GitRepo, rootTree: string, path: string): Promise<TreeEntry | null> {
  const parts = path.split('/').filter((p) => p.length > 0);
  let tree = rootTree;
  for (let i = 0; i < parts.length; i += 1) {
    const entry = (await repo.readTree(tree)).find((e) => e.name === parts[i]);
    if (!entry) return null;
    if (i === parts.length - 1) return entry;
    if (entry.type !== 'tree') return null;
    tree = entry.oid;
  }
  return null;
}
