/**
 * One pull request per bump branch: updated (title, body) when it is already
 * open, created otherwise, and then labelled, assigned, given reviewers and set
 * to auto-merge. Only creation applies labels, assignees, reviewers and
 * auto-merge, so a human who removes them is not overruled by the next bump.
 * Only a pull request whose head is the ops repository's own branch is ever
 * updated: a fork's pull request from a branch of the same name is left alone.
 */
import { errorMessage } from '@slipway/core';
import { graphqlErrors, type GitHubClient } from '@slipway/github';
import { explainApiError } from './github-errors.ts';
import { isFromRepository, type OpenPullRequest } from './ops-repo-read.ts';
import type { RepoCoordinates } from './ops-repo-write.ts';

export type MergeMethod = 'squash' | 'merge' | 'rebase';

export interface PullRequestOptions {
  labels: readonly string[];
  reviewers: readonly string[];
  teamReviewers: readonly string[];
  assignees: readonly string[];
  draft: boolean;
  autoMerge: MergeMethod | undefined;
}

export interface PullRequestResult {
  number: number;
  url: string;
  created: boolean;
  /** Problems that do not fail the bump (auto-merge not allowed, …). */
  warnings: string[];
}

interface RestPull {
  number: number;
  html_url: string;
  node_id: string;
}

/** `pull-request-simple` as GET /pulls lists it: the head says which repository the branch is in. */
interface RestListedPull extends RestPull {
  title: string;
  body: string | null;
  head: { ref: string; repo: { node_id: string } | null };
}

/** Open pull requests of one owner:branch looked at after "already exists" (GitHub's default page). */
const LISTED_PULLS = 30;

const AUTO_MERGE = `mutation ($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
    pullRequest { number }
  }
}`;

export async function upsertPullRequest(
  client: GitHubClient,
  target: RepoCoordinates & {
    /** GraphQL node id of the ops repository (REST `node_id`). */
    repositoryId: string;
    base: string;
    branch: string;
    existing: OpenPullRequest | undefined;
  },
  content: { title: string; body: string },
  options: PullRequestOptions,
): Promise<PullRequestResult> {
  const slug = `${target.owner}/${target.repo}`;
  const api = `/repos/${target.owner}/${target.repo}`;
  const existing =
    target.existing && isFromRepository(target.existing, target.repositoryId) ? target.existing : undefined;
  if (existing) return update(existing.number, existing.url, existing);

  let pull: RestPull;
  try {
    pull = await client.rest<RestPull>(`POST ${api}/pulls`, {
      title: content.title,
      body: content.body,
      head: target.branch,
      base: target.base,
      draft: options.draft,
    });
  } catch (error) {
    // another run opened it between our read and now: update that one instead
    const found = isAlreadyExists(error) ? await findOpen(client, api, target) : undefined;
    if (found) return update(found.number, found.html_url, found);
    throw explainApiError(error, 'pull-request', slug);
  }
  const warnings = await decorate(client, api, slug, pull, options);
  return { number: pull.number, url: pull.html_url, created: true, warnings };

  async function update(number: number, url: string, current: { title?: string; body?: string | null }) {
    if (current.title !== content.title || (current.body ?? '') !== content.body) {
      try {
        await client.rest(`PATCH ${api}/pulls/${number}`, { title: content.title, body: content.body });
      } catch (error) {
        throw explainApiError(error, 'pull-request', slug);
      }
    }
    return { number, url, created: false, warnings: [] };
  }
}

function isAlreadyExists(error: unknown): boolean {
  const e = error as { status?: number; response?: { data?: unknown } };
  return e?.status === 422 && /pull request already exists/i.test(JSON.stringify(e.response?.data ?? ''));
}

/**
 * The open pull request from the ops repository's own `branch`. `head=owner:branch`
 * narrows the list to one owner, and each answer is checked again: its head must
 * be this repository (a same-owner fork has another node id) and this branch.
 */
async function findOpen(
  client: GitHubClient,
  api: string,
  target: RepoCoordinates & { repositoryId: string; branch: string; base: string },
): Promise<RestListedPull | undefined> {
  const pulls = await client.rest<RestListedPull[]>(`GET ${api}/pulls`, {
    head: `${target.owner}:${target.branch}`,
    base: target.base,
    state: 'open',
    per_page: LISTED_PULLS,
  });
  return pulls.find((p) => p.head.ref === target.branch && p.head.repo?.node_id === target.repositoryId);
}

async function decorate(
  client: GitHubClient,
  api: string,
  slug: string,
  pull: RestPull,
  options: PullRequestOptions,
): Promise<string[]> {
  const warnings: string[] = [];
  if (options.labels.length > 0) {
    await client
      .rest(`POST ${api}/issues/${pull.number}/labels`, { labels: [...options.labels] })
      .catch((error: unknown) => Promise.reject(explainApiError(error, 'labels', slug)));
  }
  if (options.assignees.length > 0) {
    await client
      .rest(`POST ${api}/issues/${pull.number}/assignees`, { assignees: [...options.assignees] })
      .catch((error: unknown) => Promise.reject(explainApiError(error, 'assignees', slug)));
  }
  if (options.reviewers.length > 0 || options.teamReviewers.length > 0) {
    await client
      .rest(`POST ${api}/pulls/${pull.number}/requested_reviewers`, {
        reviewers: [...options.reviewers],
        team_reviewers: [...options.teamReviewers],
      })
      .catch((error: unknown) => Promise.reject(explainApiError(error, 'reviewers', slug)));
  }
  if (options.autoMerge) {
    try {
      await client.graphql(AUTO_MERGE, {
        pullRequestId: pull.node_id,
        mergeMethod: options.autoMerge.toUpperCase(),
      });
    } catch (error) {
      const reasons = graphqlErrors(error).map((e) => e.message);
      const message = reasons.length > 0 ? reasons.join('; ') : errorMessage(error).split('\n')[0];
      warnings.push(`Auto-merge was not enabled on #${pull.number}: ${message}`);
    }
  }
  return warnings;
}
