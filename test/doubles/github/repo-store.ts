/**
 * The repositories the double hosts: real bare git repositories in a temp dir.
 * A fork's `objects` directory is a symlink to its network root's store, so every
 * object of the network is readable through any member's name (GitHub's
 * behaviour that "impostor commits" exploit), while refs stay per repository.
 */
import { mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { git } from './git/git-command.ts';
import { GitRepo } from './git/git-repo.ts';
import { RepoBuilder } from './repo-builder.ts';
import type { IssueRecord } from './issue-record.ts';
import type { PullRequestRecord } from './pull-request-record.ts';
import type { ReleaseRecord } from './release-record.ts';

export interface HostedRepo {
  owner: string;
  name: string;
  fullName: string;
  id: number;
  /** The owner's id (REST `owner.id`, GraphQL `owner { databaseId }`): one per login. */
  ownerId: number;
  nodeId: string;
  git: GitRepo;
  parent: HostedRepo | null;
  networkRoot: HostedRepo | null;
  defaultBranch: string;
  private: boolean;
  /** Archived: read-only, no longer maintained. */
  archived: boolean;
  description: string | null;
  createdAt: string;
  pulls: PullRequestRecord[];
  /** Plain issues; they share the number sequence with `pulls`, as on GitHub. */
  issues: IssueRecord[];
  releases: ReleaseRecord[];
  /** Runs `task` after every earlier serialised task of this repository finished. */
  serialize<T>(task: () => Promise<T>): Promise<T>;
}

export interface CreateRepoOptions {
  defaultBranch?: string;
  private?: boolean;
  archived?: boolean;
  description?: string;
  createdAt?: string;
}

function makeSerializer(): HostedRepo['serialize'] {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const result = tail.then(task, task);
    tail = result.catch(() => undefined);
    return result;
  };
}

/** The numeric id of a user or organization: the same for every repository of one login. */
export function ownerIdFor(login: string): number {
  return [...login.toLowerCase()].reduce((n, ch) => (n * 31 + ch.charCodeAt(0)) % 1_000_000, 7);
}

export function nodeIdFor(kind: string, key: string | number): string {
  return `${kind}_${Buffer.from(`slipway:${kind}:${key}`).toString('base64url')}`;
}

export function splitFullName(fullName: string): { owner: string; name: string } {
  const match = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(fullName);
  if (!match) throw new Error(`repository name must be "owner/name", got "${fullName}"`);
  return { owner: match[1]!, name: match[2]! };
}

export class RepoStore {
  private readonly repos = new Map<string, HostedRepo>();
  private nextId = 1000;

  constructor(private readonly root: string) {}

  get(owner: string, name: string): HostedRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  all(): HostedRepo[] {
    return [...this.repos.values()];
  }

  /** Creates an empty repository (no commits yet) and returns its builder. */
  async create(fullName: string, options: CreateRepoOptions = {}): Promise<RepoBuilder> {
    const repo = await this.initRepo(fullName, null, options);
    return new RepoBuilder(repo, this);
  }

  /** Forks `parentFullName` into `forkFullName`, copying its branches and tags like GitHub does. */
  async fork(parentFullName: string, forkFullName: string): Promise<RepoBuilder> {
    const { owner, name } = splitFullName(parentFullName);
    const parent = this.get(owner, name);
    if (!parent) throw new Error(`cannot fork ${parentFullName}: no such repository in the double`);
    const fork = await this.initRepo(forkFullName, parent, {
      defaultBranch: parent.defaultBranch,
      private: parent.private,
      description: parent.description ?? undefined,
    });
    for (const ref of await parent.git.listRefs('refs/')) {
      if (ref.ref.startsWith('refs/heads/') || ref.ref.startsWith('refs/tags/')) {
        await fork.git.run(['update-ref', ref.ref, ref.oid]);
      }
    }
    return new RepoBuilder(fork, this);
  }

  builder(fullName: string): RepoBuilder {
    const { owner, name } = splitFullName(fullName);
    const repo = this.get(owner, name);
    if (!repo) throw new Error(`no repository ${fullName} in the double`);
    return new RepoBuilder(repo, this);
  }

  async dispose(): Promise<void> {
    for (const repo of this.repos.values()) repo.git.close();
    await rm(this.root, { recursive: true, force: true });
  }

  private async initRepo(
    fullName: string,
    parent: HostedRepo | null,
    options: CreateRepoOptions,
  ): Promise<HostedRepo> {
    const { owner, name } = splitFullName(fullName);
    if (this.get(owner, name)) throw new Error(`repository ${fullName} already exists in the double`);
    const gitDir = join(this.root, owner, `${name}.git`);
    await mkdir(gitDir, { recursive: true });
    const defaultBranch = options.defaultBranch ?? 'main';
    await git(gitDir, ['init', '--quiet', '--bare', `--initial-branch=${defaultBranch}`]);
    const networkRoot = parent ? (parent.networkRoot ?? parent) : null;
    if (networkRoot) {
      await rm(join(gitDir, 'objects'), { recursive: true, force: true });
      await symlink(join(networkRoot.git.gitDir, 'objects'), join(gitDir, 'objects'));
    }
    this.nextId += 1;
    const repo: HostedRepo = {
      owner,
      name,
      fullName: `${owner}/${name}`,
      id: this.nextId,
      ownerId: ownerIdFor(owner),
      nodeId: nodeIdFor('R', this.nextId),
      git: new GitRepo(gitDir),
      parent,
      networkRoot,
      defaultBranch,
      private: options.private ?? false,
      archived: options.archived ?? false,
      description: options.description ?? null,
      createdAt: options.createdAt ?? '2024-01-01T00:00:00Z',
      pulls: [],
      issues: [],
      releases: [],
      serialize: makeSerializer(),
    };
    this.repos.set(repo.fullName.toLowerCase(), repo);
    return repo;
  }
}
