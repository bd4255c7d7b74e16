/**
 * What a lock commit says. Every state change of a lock is a new commit whose
 * message is a headline plus one line of JSON, and whose parent is the previous
 * state; the ref is only ever created (POST, 422 when it exists) or moved by a
 * fast-forward (PATCH without `force`, 422 when someone moved it first), so each
 * change is a compare-and-swap and the chain is the lock's audit log.
 */
import type { LockKey } from './lock-name.ts';

export interface LockHolder {
  /** Pull request number that holds the lock. */
  pr: number;
  /** GitHub Actions run id (GITHUB_RUN_ID) of the job that took it. */
  run: string;
  /** Commit the plan was made from. */
  sha: string;
  /** Who triggered the run (GITHUB_ACTOR), for the lock message. */
  actor?: string;
}

export interface HeldRecord extends LockKey, LockHolder {
  state: 'held';
  at: string;
}

export interface ReleasedRecord extends LockKey {
  state: 'released';
  at: string;
  /** `holder`: released by its own pull request's run; `unlock`: forced by /unlock; `pr-closed`/`pr-merged`. */
  by: 'holder' | 'unlock' | 'pr-closed' | 'pr-merged';
  actor?: string;
  reason?: string;
  previous: { pr: number; run: string; sha: string };
}

export type LockRecord = HeldRecord | ReleasedRecord;

const MARKER = 'slipway-tf-lock';

export function formatLockMessage(record: LockRecord): string {
  const headline =
    record.state === 'held'
      ? `${MARKER}: ${record.dir} (${record.workspace}) held by PR #${record.pr}`
      : `${MARKER}: ${record.dir} (${record.workspace}) released (${record.by})`;
  return `${headline}\n\n${JSON.stringify({ version: 1, ...record })}\n`;
}

/** The record of a lock commit message, or null when it is not one of ours. */
export function parseLockMessage(message: string): LockRecord | null {
  if (!message.startsWith(`${MARKER}:`)) return null;
  const json = message.split('\n').find((line) => line.startsWith('{'));
  if (!json) return null;
  try {
    const value = JSON.parse(json) as Partial<LockRecord> & { version?: number };
    if (value.version !== 1 || typeof value.dir !== 'string' || typeof value.workspace !== 'string')
      return null;
    if (value.state === 'held' && typeof value.pr === 'number' && typeof value.run === 'string') {
      return value as HeldRecord;
    }
    if (value.state === 'released') return value as ReleasedRecord;
    return null;
  } catch {
    return null;
  }
}

export function describeHolder(holder: Pick<LockHolder, 'pr' | 'run'>): string {
  return `PR #${holder.pr} (run ${holder.run})`;
}
