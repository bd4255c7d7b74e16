/**
 * Test-side builder for one hosted repository: commits from file maps, branches,
 * lightweight and annotated tags, and direct ref moves (e.g. "the branch moved
 * between two requests"). Everything is written with the git CLI.
 */
import { nodeIdFor, type HostedRepo, type RepoStore } from './repo-store.ts';
import type { ReleaseRecord } from './release-record.ts';
import { dateEnv } from './git/git-command.ts';
import { entryAtPath, writeTreeWithChanges, type TreeChange } from './git/tree-writer.ts';

export interface CommitSpec {
  /** Branch to commit on (created when missing). Defaults to the default branch. */
  branch?: string;
  /** path -> new content; null deletes the path. */
  files?: Record<string, string | Buffer | null>;
  message?: string;
  /** ISO 8601 author and committer date. */
  date?: string;
  /** Explicit parents; defaults to the branch head, for a new branch the default branch head (none in an empty repo). */
  parents?: string[];
  author?: { name: string; email: string };
}

export interface AnnotatedTagSpec {
  message?: string;
  date?: string;
  tagger?: { name: string; email: string };
}

export interface ReleaseSpec {
  name?: string;
  body?: string;
  draft?: boolean;
  prerelease?: boolean;
  /** Published while the repository had release immutability on (default false). */
  immutable?: boolean;
  /** ISO 8601; orders releases and decides the latest one. */
  createdAt?: string;
}

let nextReleaseId = 9000;

export class RepoBuilder {
  constructor(
    readonly repo: HostedRepo,
    private readonly store: RepoStore,
  ) {}

  get fullName(): string {
    return this.repo.fullName;
  }

  /** Creates a commit and moves `branch` to it; returns the commit oid. */
  async commit(spec: CommitSpec = {}): Promise<string> {
    const git = this.repo.git;
    const branch = spec.branch ?? this.repo.defaultBranch;
    const current =
      (await git.revParse(`refs/heads/${branch}`)) ??
      (await git.revParse(`refs/heads/${this.repo.defaultBranch}`));
    const parents = spec.parents ?? (current ? [current] : []);
    const baseTree = parents[0] ? (await git.readCommit(parents[0])).tree : null;
    const changes: TreeChange[] = Object.entries(spec.files ?? {}).map(([path, content]) =>
      content === null ? { path, delete: true } : { path, content },
    );
    const tree = await writeTreeWithChanges(git, baseTree, changes);
    const oid = await git.writeCommit({
      tree,
      parents,
      message: spec.message ?? `Update ${Object.keys(spec.files ?? {}).join(', ') || 'nothing'}`,
      date: spec.date,
      author: spec.author,
      committer: spec.author,
    });
    await git.run(['update-ref', `refs/heads/${branch}`, oid]);
    return oid;
  }

  /** Creates or moves branch `name` to `target` (a revision expression or oid). */
  async branch(name: string, target: string): Promise<string> {
    return this.setRef(`refs/heads/${name}`, target);
  }

  /** Creates a lightweight tag; returns the oid it points at. */
  async tag(name: string, target: string): Promise<string> {
    return this.setRef(`refs/tags/${name}`, target);
  }

  /** Creates (or force-replaces) an annotated tag; returns the oid of the tag object. */
  async annotatedTag(name: string, target: string, spec: AnnotatedTagSpec = {}): Promise<string> {
    const oid = await this.resolveOrThrow(target);
    const env = { ...dateEnv(spec.date) };
    if (spec.tagger)
      Object.assign(env, { GIT_COMMITTER_NAME: spec.tagger.name, GIT_COMMITTER_EMAIL: spec.tagger.email });
    await this.repo.git.run(
      ['tag', '--force', '-a', '-m', spec.message ?? `Release ${name}`, '--', name, oid],
      undefined,
      env,
    );
    return this.resolveOrThrow(`refs/tags/${name}`);
  }

  /** Publishes a release for an existing tag (the tag is not created). */
  async release(tagName: string, spec: ReleaseSpec = {}): Promise<ReleaseRecord> {
    if (!spec.draft && !(await this.resolve(`refs/tags/${tagName}`))) {
      throw new Error(`${this.repo.fullName}: cannot release "${tagName}": create the tag first`);
    }
    nextReleaseId += 1;
    const createdAt = spec.createdAt ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const release: ReleaseRecord = {
      id: nextReleaseId,
      nodeId: nodeIdFor('RE', nextReleaseId),
      tagName,
      name: spec.name ?? tagName,
      body: spec.body ?? null,
      draft: spec.draft ?? false,
      prerelease: spec.prerelease ?? false,
      immutable: spec.immutable ?? false,
      createdAt,
      publishedAt: spec.draft ? null : createdAt,
    };
    this.repo.releases.push(release);
    return release;
  }

  /** Points any ref (full name, e.g. refs/heads/main) at `target`, unconditionally. */
  async setRef(ref: string, target: string): Promise<string> {
    const oid = await this.resolveOrThrow(target);
    await this.repo.git.run(['update-ref', ref, oid]);
    return oid;
  }

  async deleteRef(ref: string): Promise<void> {
    await this.repo.git.run(['update-ref', '-d', ref]);
  }

  /** Resolves a revision expression; null when it does not exist. */
  resolve(expression: string): Promise<string | null> {
    return this.repo.git.revParse(expression);
  }

  /** Reads a file at a revision; null when the path does not exist. */
  async readFile(revision: string, path: string): Promise<string | null> {
    const commit = await this.resolve(`${revision}^{commit}`);
    if (!commit) return null;
    const tree = (await this.repo.git.readCommit(commit)).tree;
    const entry = await entryAtPath(this.repo.git, tree, path);
    if (!entry || entry.type !== 'blob') return null;
    return (await this.repo.git.readBlob(entry.oid)).toString('utf8');
  }

  /** Forks this repository to `forkFullName` (shared object store, copied branches and tags). */
  fork(forkFullName: string): Promise<RepoBuilder> {
    return this.store.fork(this.repo.fullName, forkFullName);
  }

  setDefaultBranch(branch: string): void {
    this.repo.defaultBranch = branch;
  }

  private async resolveOrThrow(target: string): Promise<string> {
    const oid = await this.resolve(target);
    if (!oid) throw new Error(`${this.repo.fullName}: revision "${target}" does not exist`);
    return oid;
  }
}
