/**
 * One repository of the double: a bare git directory whose `objects` directory
 * may be shared with the other repositories of its fork network (a symlink to
 * the network root's object store), exactly like GitHub, where any object of a
 * fork can be read through the parent's name.
 */
import { CatFileBatch, type BatchObject } from './cat-file-batch.ts';
import { dateEnv, git, gitEnv, gitOrNull, gitRaw } from './git-command.ts';
import { parseCommit, parseTag, type ParsedCommit, type ParsedTag } from './object-parsers.ts';

export type GitObjectType = 'commit' | 'tree' | 'blob' | 'tag';

export interface RefRecord {
  /** Full name, e.g. refs/tags/v1. */
  ref: string;
  oid: string;
  type: GitObjectType;
  /** For annotated tags: the object the tag points at, after peeling all tag layers. */
  peeledOid: string | null;
  peeledType: GitObjectType | null;
  /** Committer date (ISO) of the commit the ref finally points at, if it is a commit. */
  commitDate: string | null;
}

export interface TreeEntry {
  mode: string;
  type: GitObjectType;
  oid: string;
  name: string;
  size: number | null;
}

const OID = /^[0-9a-f]{40}$/;

export function isOid(value: string): boolean {
  return OID.test(value);
}

export class GitRepo {
  /** Objects are immutable, so reads by oid are memoised (missing objects are never cached). */
  private readonly objectCache = new Map<string, Promise<unknown>>();

  private readonly batch: CatFileBatch;

  constructor(readonly gitDir: string) {
    this.batch = new CatFileBatch(gitDir, gitEnv());
  }

  /** Stops the background `git cat-file --batch` process. */
  close(): void {
    this.batch.close();
  }

  /** Reads an object through the batch process; found objects are memoised (they are immutable). */
  private async readObject(oid: string): Promise<BatchObject | null> {
    if (!isOid(oid)) return null;
    const key = `object:${oid}`;
    const cached = this.objectCache.get(key) as Promise<BatchObject | null> | undefined;
    if (cached) return cached;
    const read = this.batch.read(oid);
    this.objectCache.set(key, read);
    const found = await read.catch((error: unknown) => {
      this.objectCache.delete(key);
      throw error;
    });
    if (!found) this.objectCache.delete(key);
    return found;
  }

  private async readTyped(oid: string, type: GitObjectType): Promise<Buffer> {
    const object = await this.readObject(oid);
    if (!object) throw new Error(`object ${oid} does not exist`);
    if (object.type !== type) throw new Error(`object ${oid} is a ${object.type}, not a ${type}`);
    return object.content;
  }

  private memo<T>(key: string, read: () => Promise<T>): Promise<T> {
    let cached = this.objectCache.get(key) as Promise<T> | undefined;
    if (!cached) {
      cached = read();
      this.objectCache.set(key, cached);
      cached.catch(() => this.objectCache.delete(key));
    }
    return cached;
  }

  run(args: readonly string[], input?: string | Buffer, env?: Record<string, string>): Promise<string> {
    return git(this.gitDir, args, { input, env });
  }

  async listRefs(prefix = 'refs/'): Promise<RefRecord[]> {
    const format = [
      '%(refname)',
      '%(objectname)',
      '%(objecttype)',
      '%(*objectname)',
      '%(*objecttype)',
      '%(committerdate:unix)',
      '%(*committerdate:unix)',
    ].join('%00');
    const out = await git(this.gitDir, ['for-each-ref', `--format=${format}`, '--', prefix]);
    const records: RefRecord[] = [];
    for (const line of out.split('\n')) {
      if (!line) continue;
      const [ref, oid, type, peeledOid, peeledType, date, peeledDate] = line.split('\0');
      records.push({
        ref: ref!,
        oid: oid!,
        type: type as GitObjectType,
        peeledOid: peeledOid || null,
        peeledType: (peeledType || null) as GitObjectType | null,
        commitDate: unixToIso(peeledDate || date || ''),
      });
    }
    // `*objectname` peels only one level; peel nested tags fully.
    for (const record of records) {
      if (record.peeledType === 'tag') {
        const peeled = await this.peel(record.oid);
        record.peeledOid = peeled.oid;
        record.peeledType = peeled.type;
        record.commitDate =
          peeled.type === 'commit' ? (await this.readCommit(peeled.oid)).committer.date : null;
      }
    }
    return records;
  }

  async readRef(ref: string): Promise<RefRecord | null> {
    const records = await this.listRefs(ref);
    return records.find((r) => r.ref === ref) ?? null;
  }

  async objectType(oid: string): Promise<GitObjectType | null> {
    return ((await this.readObject(oid))?.type as GitObjectType | undefined) ?? null;
  }

  /** Resolves a revision expression (`main`, `main:path`, an oid) to an object id, or null. */
  async revParse(expression: string): Promise<string | null> {
    if (expression.startsWith('-') || expression.length === 0) return null;
    const oid = await gitOrNull(this.gitDir, [
      'rev-parse',
      '--verify',
      '--quiet',
      '--end-of-options',
      expression,
    ]);
    return oid && isOid(oid) ? oid : null;
  }

  async readCommit(oid: string): Promise<ParsedCommit> {
    return this.memo(`commit:${oid}`, async () =>
      parseCommit(oid, (await this.readTyped(oid, 'commit')).toString('utf8')),
    );
  }

  async readTag(oid: string): Promise<ParsedTag> {
    return this.memo(`tag:${oid}`, async () =>
      parseTag(oid, (await this.readTyped(oid, 'tag')).toString('utf8')),
    );
  }

  async readBlob(oid: string): Promise<Buffer> {
    return this.readTyped(oid, 'blob');
  }

  async readTree(oid: string): Promise<TreeEntry[]> {
    return this.memo(`tree:${oid}`, () => this.lsTree(oid));
  }

  private async lsTree(oid: string): Promise<TreeEntry[]> {
    const out = await gitRaw(this.gitDir, ['ls-tree', '-z', '--long', oid]);
    const entries: TreeEntry[] = [];
    for (const item of out.toString('utf8').split('\0')) {
      if (!item) continue;
      const tab = item.indexOf('\t');
      const [mode, type, entryOid, size] = item.slice(0, tab).split(/\s+/);
      entries.push({
        mode: mode!,
        type: type as GitObjectType,
        oid: entryOid!,
        name: item.slice(tab + 1),
        size: size === '-' || size === undefined ? null : Number(size),
      });
    }
    return entries;
  }

  /** Follows annotated tags until a non-tag object. */
  async peel(oid: string): Promise<{ oid: string; type: GitObjectType }> {
    let current = oid;
    for (let depth = 0; depth < 10; depth += 1) {
      const type = await this.objectType(current);
      if (type === null) throw new Error(`object ${current} does not exist`);
      if (type !== 'tag') return { oid: current, type };
      current = (await this.readTag(current)).object;
    }
    throw new Error(`tag chain from ${oid} is too deep`);
  }

  async mergeBase(a: string, b: string): Promise<string | null> {
    return gitOrNull(this.gitDir, ['merge-base', a, b]);
  }

  async countCommits(range: string): Promise<number> {
    return Number(await git(this.gitDir, ['rev-list', '--count', range]));
  }

  /** Commits in `base..head`, oldest first. */
  async commitsBetween(base: string, head: string): Promise<string[]> {
    const out = await git(this.gitDir, ['rev-list', '--reverse', `${base}..${head}`]);
    return out ? out.split('\n') : [];
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return (await gitOrNull(this.gitDir, ['merge-base', '--is-ancestor', ancestor, descendant])) !== null;
  }

  async writeBlob(content: Buffer | string): Promise<string> {
    return git(this.gitDir, ['hash-object', '-w', '--stdin'], { input: content });
  }

  /** Writes one tree level from `git mktree` lines. */
  async writeTree(entries: readonly TreeEntry[]): Promise<string> {
    const input = entries.map((e) => `${e.mode} ${e.type} ${e.oid}\t${e.name}\0`).join('');
    return git(this.gitDir, ['mktree', '-z'], { input });
  }

  async writeCommit(options: {
    tree: string;
    parents: readonly string[];
    message: string;
    date?: string;
    author?: { name: string; email: string };
    committer?: { name: string; email: string };
  }): Promise<string> {
    const env: Record<string, string> = { ...dateEnv(options.date) };
    if (options.author)
      Object.assign(env, { GIT_AUTHOR_NAME: options.author.name, GIT_AUTHOR_EMAIL: options.author.email });
    if (options.committer) {
      Object.assign(env, {
        GIT_COMMITTER_NAME: options.committer.name,
        GIT_COMMITTER_EMAIL: options.committer.email,
      });
    }
    const args = ['commit-tree', options.tree, ...options.parents.flatMap((p) => ['-p', p])];
    return git(this.gitDir, args, { input: options.message, env });
  }

  /**
   * Compare-and-swap ref update: succeeds only when the ref still has `expectedOld`
   * (null: the ref must not exist). Returns false when the ref moved meanwhile.
   */
  async compareAndSwapRef(ref: string, newOid: string, expectedOld: string | null): Promise<boolean> {
    const old = expectedOld ?? '0'.repeat(40);
    return (await gitOrNull(this.gitDir, ['update-ref', ref, newOid, old])) !== null;
  }

  async deleteRef(ref: string, expectedOld?: string): Promise<boolean> {
    const args = ['update-ref', '-d', ref, ...(expectedOld ? [expectedOld] : [])];
    return (await gitOrNull(this.gitDir, args)) !== null;
  }
}

function unixToIso(value: string): string | null {
  if (!value) return null;
  return new Date(Number(value) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
