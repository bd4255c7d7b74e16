/**
 * Terraform locks without DynamoDB: one git ref per (directory, workspace) in the
 * repository itself, written only through GitHub's API. Creating the ref is
 * atomic (422 "Reference already exists" when another run won), and every later
 * change is a fast-forward to a new lock commit (422 when the ref moved since we
 * read it), so of any number of concurrent acquires exactly one wins and a
 * release can never remove a lock someone else took in between. The backend's own
 * state lock stays on; this lock spans the time between plan and apply.
 */
import { statusOf, UserError } from '@slipway/core';
import type { GitHubClient } from '@slipway/github';
import { explainApiError, isBranchMoved } from '@slipway/gitops';
import { listLocks } from './lock-list.ts';
import { lockRef, refUrlPath, type LockKey } from './lock-name.ts';
import {
  describeHolder,
  formatLockMessage,
  parseLockMessage,
  type HeldRecord,
  type LockHolder,
  type LockRecord,
  type ReleasedRecord,
} from './lock-record.ts';

export class LockHeldError extends UserError {
  readonly holder: HeldRecord;

  constructor(holder: HeldRecord, wanted: number) {
    super(
      `${holder.dir} (workspace ${holder.workspace}) is locked by ${describeHolder(holder)} at ${holder.sha.slice(0, 12)}; PR #${wanted} cannot plan it until that lock is released.`,
      {
        hint: `The lock is released when PR #${holder.pr} is merged or closed; to take it now, comment "/unlock ${holder.dir}" with a reason on PR #${holder.pr}.`,
      },
    );
    this.name = 'LockHeldError';
    this.holder = holder;
  }
}

export interface GitLocksOptions {
  client: GitHubClient;
  owner: string;
  repo: string;
  now?: () => Date;
  /** Compare-and-swap rounds before giving up under contention (default 8). */
  maxAttempts?: number;
}

export interface LockState {
  ref: string;
  /** The lock commit the ref points at; null when the ref does not exist. */
  tip: string | null;
  tree: string | null;
  record: LockRecord | null;
}

export type AcquireOutcome = 'acquired' | 'already-held' | 'refreshed';
export type ReleaseOutcome = 'released' | 'not-held';

interface GitRef {
  object: { sha: string; type: string };
}
interface GitCommit {
  sha: string;
  message: string;
  tree: { sha: string };
}

export function createGitLocks(options: GitLocksOptions) {
  const { client, owner, repo } = options;
  const base = `/repos/${owner}/${repo}`;
  const slug = `${owner}/${repo}`;
  const now = options.now ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? 8;

  async function read(dir: string, workspace: string): Promise<LockState> {
    const { ref } = lockRef(dir, workspace);
    let target: GitRef;
    try {
      target = await client.rest<GitRef>(`GET ${base}/git/ref/${refUrlPath(ref)}`);
    } catch (error) {
      if (statusOf(error) === 404) return { ref, tip: null, tree: null, record: null };
      throw explainApiError(error, 'read', slug);
    }
    const notOurs = () =>
      new UserError(`${ref} in ${slug} exists but is not a Slipway lock commit.`, {
        hint: `Delete that ref (git push origin :${ref}) so the lock can be used.`,
      });
    if (target.object.type !== 'commit') throw notOurs();
    const commit = await client
      .rest<GitCommit>(`GET ${base}/git/commits/${target.object.sha}`)
      .catch((error: unknown) => {
        throw explainApiError(error, 'read', slug);
      });
    const record = parseLockMessage(commit.message);
    if (!record) throw notOurs();
    return { ref, tip: commit.sha, tree: commit.tree.sha, record };
  }

  /** The tree of the pull request's commit, which the first lock commit reuses (no new objects). */
  async function treeOf(sha: string): Promise<string> {
    try {
      return (await client.rest<GitCommit>(`GET ${base}/git/commits/${sha}`)).tree.sha;
    } catch (error) {
      if (statusOf(error) === 404 || statusOf(error) === 422) {
        throw new UserError(`Commit ${sha} is not in ${slug}, so it cannot be recorded in a lock.`, {
          hint: 'Pass the head SHA of the pull request (github.event.pull_request.head.sha).',
        });
      }
      throw error;
    }
  }

  /** Writes `record` as the lock's next state; false when another writer moved the ref first. */
  async function write(state: LockState, record: LockRecord, treeFrom: string): Promise<boolean> {
    try {
      const tree = state.tree ?? (await treeOf(treeFrom));
      const commit = await client.rest<GitCommit>(`POST ${base}/git/commits`, {
        message: formatLockMessage(record),
        tree,
        parents: state.tip ? [state.tip] : [],
      });
      if (state.tip === null) {
        await client.rest(`POST ${base}/git/refs`, { ref: state.ref, sha: commit.sha });
      } else {
        await client.rest(`PATCH ${base}/git/refs/${refUrlPath(state.ref)}`, {
          sha: commit.sha,
          force: false,
        });
      }
      return true;
    } catch (error) {
      if (isBranchMoved(error)) return false;
      throw explainApiError(error, 'commit', slug);
    }
  }

  async function contended<T>(what: string, key: LockKey, step: () => Promise<T | undefined>): Promise<T> {
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      const done = await step();
      if (done !== undefined) return done;
    }
    throw new UserError(
      `Could not ${what} the lock of ${key.dir} (workspace ${key.workspace}): it changed under us ${maxAttempts} times in a row.`,
      { hint: 'Other runs are taking and releasing this lock right now; re-run the job.' },
    );
  }

  function released(held: HeldRecord, by: ReleasedRecord['by'], extra: { actor?: string; reason?: string }) {
    const record: ReleasedRecord = {
      state: 'released',
      dir: held.dir,
      workspace: held.workspace,
      at: now().toISOString(),
      by,
      previous: { pr: held.pr, run: held.run, sha: held.sha },
      ...(extra.actor ? { actor: extra.actor } : {}),
      ...(extra.reason ? { reason: extra.reason } : {}),
    };
    return record;
  }

  /** Releases the lock held by `pr`; refused when another pull request holds it. */
  async function release(
    dir: string,
    workspace: string,
    pr: number,
    by: 'holder' | 'pr-closed' | 'pr-merged' = 'holder',
  ): Promise<ReleaseOutcome> {
    const key = lockRef(dir, workspace);
    return contended('release', key, async () => {
      const state = await read(key.dir, key.workspace);
      const current = state.record;
      if (current?.state !== 'held') return 'not-held' as const;
      if (current.pr !== pr) {
        throw new UserError(
          `PR #${pr} cannot release the lock of ${key.dir} (workspace ${key.workspace}): it is held by ${describeHolder(current)}.`,
          { hint: `Only PR #${current.pr} releases it, or "/unlock ${key.dir}" with a reason.` },
        );
      }
      return (await write(state, released(current, by, {}), current.sha)) ? ('released' as const) : undefined;
    });
  }

  return {
    read,

    /**
     * Takes the lock for `holder.pr`. Taking it again from the same pull request
     * succeeds (a new run or a new head SHA is recorded); any other holder throws
     * LockHeldError naming the PR and run.
     */
    async acquire(
      dir: string,
      workspace: string,
      holder: LockHolder,
    ): Promise<{ outcome: AcquireOutcome; record: HeldRecord }> {
      if (!Number.isInteger(holder.pr) || holder.pr <= 0)
        throw new UserError(`Pull request number ${holder.pr} is not valid.`);
      if (!/^[0-9a-f]{40}$/.test(holder.sha))
        throw new UserError(`Commit "${holder.sha}" is not a full 40-character SHA.`);
      const key = lockRef(dir, workspace);
      return contended('take', key, async () => {
        const state = await read(key.dir, key.workspace);
        const current = state.record;
        if (current?.state === 'held' && current.pr !== holder.pr)
          throw new LockHeldError(current, holder.pr);
        if (current?.state === 'held' && current.run === holder.run && current.sha === holder.sha) {
          return { outcome: 'already-held' as const, record: current };
        }
        const record: HeldRecord = {
          state: 'held',
          dir: key.dir,
          workspace: key.workspace,
          pr: holder.pr,
          run: holder.run,
          sha: holder.sha,
          at: now().toISOString(),
          ...(holder.actor ? { actor: holder.actor } : {}),
        };
        if (!(await write(state, record, holder.sha))) return undefined;
        return {
          outcome: current?.state === 'held' ? ('refreshed' as const) : ('acquired' as const),
          record,
        };
      });
    },

    release,

    /** `/unlock`: releases whoever holds the lock; the reason and actor are recorded in the lock's history. */
    async forceUnlock(
      dir: string,
      workspace: string,
      request: { actor: string; reason: string },
    ): Promise<{ outcome: ReleaseOutcome; previous?: HeldRecord }> {
      if (request.reason.trim() === '') {
        throw new UserError(
          '/unlock needs a reason, e.g. "/unlock infra/prod the plan of #12 was abandoned".',
        );
      }
      const key = lockRef(dir, workspace);
      return contended('force-release', key, async () => {
        const state = await read(key.dir, key.workspace);
        const current = state.record;
        if (current?.state !== 'held') return { outcome: 'not-held' as const };
        const record = released(current, 'unlock', { actor: request.actor, reason: request.reason.trim() });
        return (await write(state, record, current.sha))
          ? { outcome: 'released' as const, previous: current }
          : undefined;
      });
    },

    /** Every lock ref with its current record, in one GraphQL request per 100 locks. */
    async list(): Promise<LockRecord[]> {
      return listLocks(client, owner, repo);
    },

    /** On pull request close or merge: releases every lock the pull request holds. */
    async releaseAllFor(pr: number, by: 'pr-closed' | 'pr-merged'): Promise<LockKey[]> {
      const held = (await listLocks(client, owner, repo)).filter((r) => r.state === 'held' && r.pr === pr);
      const done: LockKey[] = [];
      for (const record of held) {
        if ((await release(record.dir, record.workspace, pr, by)) === 'released') {
          done.push({ dir: record.dir, workspace: record.workspace });
        }
      }
      return done;
    },
  };
}

export type GitLocks = ReturnType<typeof createGitLocks>;
