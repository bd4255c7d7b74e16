/**
 * One pull request per bump branch: updated (title, body) when it is already
 * open, created otherwise, and then labelled, assigned, given reviewers and set
 * to auto-merge. Only creation applies labels, assignees, reviewers and
 * auto-merge, so a human who removes them is not overruled by the next bump.
 */
import { errorMessage } from '@slipway/core';
import { graphqlErrors, type GitHubClient } from './github-client.ts';
import { explainApiError } from './github-errors.ts';
import type { OpenPullRequest } from './ops-repo-read.ts';
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

const AUTO_MERGE = `mutation ($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
    pullRequest { number }
  }
}`;

export async function upsertPullRequest(
  client: GitHubClient,
  target: RepoCoordinates & { base: string; branch: string; existing: OpenPullRequest | undefined },
  content: { title: string; body: string },
  options: PullRequestOptions,
): Promise<PullRequestResult> {
  const slug = `${target.owner}/${target.repo}`;
  const api = `/repos/${target.owner}/${target.repo}`;
  if (target.existing) return update(target.existing.number, target.existing.url, target.existing);

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
    const found = isAlreadyExists(error)
      ? await findOpen(client, api, target.owner, target.branch)
      : undefined;
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

async function findOpen(
  client: GitHubClient,
  api: string,
  owner: string,
  branch: string,
): Promise<(RestPull & { title: string; body: string | null }) | undefined> {
  const pulls = await client.rest<(RestPull & { title: string; body: string | null })[]>(`GET ${api}/pulls`, {
    head: `${owner}:${branch}`,
    state: 'open',
    per_page: 1,
  });
  return pulls[0];
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
