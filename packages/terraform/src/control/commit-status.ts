/**
 * One commit status per planned directory on the pull request head, context
 * `slipway/terraform plan: <dir>` (plus ` (<workspace>)` outside the default workspace), so
 * branch protection can require the plan of each root module. The description is at most
 * 140 characters (GitHub's limit) and says what happened: the counts, no changes, the plan
 * failed, or which pull request holds the lock.
 */
import type { GitHubClient } from '@slipway/github';
import type { LockKey } from '../lock/lock-name.ts';

export type StatusState = 'pending' | 'success' | 'failure' | 'error';

export function planStatusContext(key: LockKey): string {
  return `slipway/terraform plan: ${key.dir}${key.workspace === 'default' ? '' : ` (${key.workspace})`}`;
}

export interface PlanOutcome {
  /** The plan step's outcome: success, failure, skipped, cancelled, or '' when it did not run. */
  planOutcome: string;
  /** `-detailed-exitcode`: 0, 1, 2, or '' when the plan did not run. */
  exitcode: string;
  counts: { add: string; change: string; destroy: string };
  /** The lock step's message when the lock could not be taken. */
  lockMessage: string;
}

/** The status of a finished plan job; a lock held elsewhere or a failed plan is a failure. */
export function planStatus(outcome: PlanOutcome): { state: StatusState; description: string } {
  if (outcome.lockMessage) return { state: 'failure', description: outcome.lockMessage };
  if (outcome.planOutcome !== 'success') {
    return {
      state: 'failure',
      description:
        outcome.exitcode === '1' ? 'The plan failed; see the job log.' : 'Not planned; see the job log.',
    };
  }
  if (outcome.exitcode === '0') return { state: 'success', description: 'No changes.' };
  const { add, change, destroy } = outcome.counts;
  return {
    state: 'success',
    description: `Plan: ${add || 0} to add, ${change || 0} to change, ${destroy || 0} to destroy.`,
  };
}

export function clampDescription(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= 140 ? flat : `${flat.slice(0, 139)}…`;
}

export async function postCommitStatus(
  client: GitHubClient,
  coords: { owner: string; repo: string },
  status: { sha: string; key: LockKey; state: StatusState; description: string; targetUrl?: string },
): Promise<void> {
  await client.rest(`POST /repos/${coords.owner}/${coords.repo}/statuses/${status.sha}`, {
    state: status.state,
    context: planStatusContext(status.key),
    description: clampDescription(status.description),
    ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
  });
}
