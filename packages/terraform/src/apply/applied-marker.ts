/**
 * "This plan was applied": a git ref `refs/slipway-tf-applied/<plan sha256>` pointing at the
 * commit it was applied for, created through the API. Creating a ref is atomic (422
 * "Reference already exists"), so of two jobs holding the same plan exactly one claims it.
 * The claim is made before apply runs: a plan is applied at most once, even when apply fails
 * half way (the state moved on; that plan is stale either way).
 */
import { statusOf } from '@slipway/core';
import type { GitHubClient } from '@slipway/github';
import { explainApiError } from '@slipway/gitops';

export const APPLIED_REF_PREFIX = 'refs/slipway-tf-applied/';

export interface MarkerTarget {
  client: GitHubClient;
  owner: string;
  repo: string;
}

export function appliedRef(planSha256: string): string {
  return `${APPLIED_REF_PREFIX}${planSha256}`;
}

export async function isApplied(target: MarkerTarget, planSha256: string): Promise<boolean> {
  const { client, owner, repo } = target;
  try {
    await client.rest(`GET /repos/${owner}/${repo}/git/ref/${appliedRef(planSha256).slice(5)}`);
    return true;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw explainApiError(error, 'read', `${owner}/${repo}`);
  }
}

/** true: this job claimed the plan; false: the ref already existed (applied, or being applied). */
export async function claimPlan(target: MarkerTarget, planSha256: string, commit: string): Promise<boolean> {
  const { client, owner, repo } = target;
  try {
    await client.rest(`POST /repos/${owner}/${repo}/git/refs`, { ref: appliedRef(planSha256), sha: commit });
    return true;
  } catch (error) {
    if (statusOf(error) === 422) return false;
    throw explainApiError(error, 'branch', `${owner}/${repo}`);
  }
}

/** The git tree of `commit`, read through the API. */
export async function commitTree(target: MarkerTarget, commit: string): Promise<string> {
  const { client, owner, repo } = target;
  try {
    return (await client.rest<{ tree: { sha: string } }>(`GET /repos/${owner}/${repo}/git/commits/${commit}`))
      .tree.sha;
  } catch (error) {
    throw explainApiError(error, 'read', `${owner}/${repo}`);
  }
}
