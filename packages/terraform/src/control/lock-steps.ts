/**
 * The lock steps of the Terraform workflow, around `lock/git-lock.ts`:
 *
 * - `takePlanLock`: before a plan; on success a `pending` commit status says the directory is
 *   being planned; when another pull request holds the lock, a `failure` status names it and
 *   the LockHeldError is returned (the step fails that directory with its message);
 * - `releaseLocks`: after an apply (one directory, `holder`), or when a pull request closes
 *   (all of its locks, `pr-closed`/`pr-merged`; a merged one keeps those the push applies);
 * - `unlockDirectory`: `/unlock dir[@workspace] reason`, every workspace when none is named.
 */
import { createGitLocks, LockHeldError, type AcquireOutcome } from '../lock/git-lock.ts';
import type { LockKey } from '../lock/lock-name.ts';
import { postCommitStatus } from './commit-status.ts';
import { locksToRelease, type Coordinates } from './run-matrix.ts';

export async function takePlanLock(
  at: Coordinates,
  request: { key: LockKey; pr: number; sha: string; run: string; actor?: string; targetUrl?: string },
): Promise<{ outcome: AcquireOutcome } | { held: LockHeldError }> {
  const locks = createGitLocks(at);
  const coords = { owner: at.owner, repo: at.repo };
  const status = { sha: request.sha, key: request.key, targetUrl: request.targetUrl };
  try {
    const { outcome } = await locks.acquire(request.key.dir, request.key.workspace, {
      pr: request.pr,
      run: request.run,
      sha: request.sha,
      ...(request.actor ? { actor: request.actor } : {}),
    });
    await postCommitStatus(at.client, coords, { ...status, state: 'pending', description: 'Planning…' });
    return { outcome };
  } catch (error) {
    if (!(error instanceof LockHeldError)) throw error;
    const holder = error.holder;
    await postCommitStatus(at.client, coords, {
      ...status,
      state: 'failure',
      description: `Locked by PR #${holder.pr} (run ${holder.run}); merge or close it, or /unlock ${holder.dir}.`,
    });
    return { held: error };
  }
}

export async function releaseLocks(
  at: Coordinates,
  request: { pr: number; by: 'holder' | 'pr-closed' | 'pr-merged'; key?: LockKey; mergeCommit?: string },
): Promise<LockKey[]> {
  const locks = createGitLocks(at);
  if (request.key) {
    const outcome = await locks.release(request.key.dir, request.key.workspace, request.pr, request.by);
    return outcome === 'released' ? [request.key] : [];
  }
  const chosen = await locksToRelease(at, request.pr, await locks.list(), request.mergeCommit ?? null);
  const done: LockKey[] = [];
  const by = request.by === 'holder' ? 'pr-closed' : request.by;
  for (const lock of chosen) {
    if ((await locks.release(lock.dir, lock.workspace, request.pr, by)) === 'released')
      done.push({ dir: lock.dir, workspace: lock.workspace });
  }
  return done;
}

export async function unlockDirectory(
  at: Coordinates,
  request: { dir: string; workspace?: string; actor: string; reason: string },
): Promise<{ key: LockKey; previousPr: number }[]> {
  const locks = createGitLocks(at);
  const workspaces = request.workspace
    ? [request.workspace]
    : (await locks.list()).filter((l) => l.state === 'held' && l.dir === request.dir).map((l) => l.workspace);
  const done: { key: LockKey; previousPr: number }[] = [];
  for (const workspace of workspaces) {
    const result = await locks.forceUnlock(request.dir, workspace, {
      actor: request.actor,
      reason: request.reason,
    });
    if (result.outcome === 'released' && result.previous)
      done.push({ key: { dir: request.dir, workspace }, previousPr: result.previous.pr });
  }
  return done;
}
