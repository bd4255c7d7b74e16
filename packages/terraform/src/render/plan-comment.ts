/**
 * One plan comment per directory and workspace on the pull request, updated in
 * place: the issue comments are listed (paginated), the one whose first line is
 * the marker is edited, otherwise a comment is created. Calls go through the
 * shared GitHub client (timeouts, retries, rate limits).
 */
import { UserError } from '@slipway/core';
import type { GitHubClient } from '@slipway/github';
import { hasMarker } from './comment-marker.ts';
import { GITHUB_COMMENT_LIMIT } from './plan-markdown.ts';

export interface PlanCommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  marker: string;
}

interface IssueComment {
  id: number;
  body?: string | null;
  html_url: string;
}

export interface PostedComment {
  id: number;
  url: string;
  action: 'created' | 'updated';
}

const PER_PAGE = 100;
const MAX_PAGES = 50;

export async function findPlanComment(
  client: GitHubClient,
  target: PlanCommentTarget,
): Promise<IssueComment | undefined> {
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const comments = await client.rest<IssueComment[]>(
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      {
        owner: target.owner,
        repo: target.repo,
        issue_number: target.issueNumber,
        per_page: PER_PAGE,
        page,
      },
    );
    const found = comments.find((c) => hasMarker(c.body, target.marker));
    if (found) return found;
    if (comments.length < PER_PAGE) return undefined;
  }
  return undefined;
}

export async function upsertPlanComment(
  client: GitHubClient,
  target: PlanCommentTarget,
  body: string,
): Promise<PostedComment> {
  if (!hasMarker(body, target.marker))
    throw new Error('upsertPlanComment: the body must start with its marker');
  if (body.length > GITHUB_COMMENT_LIMIT) {
    throw new UserError(
      `The plan comment is ${body.length} characters, over GitHub's limit of ${GITHUB_COMMENT_LIMIT}.`,
    );
  }
  const existing = await findPlanComment(client, target);
  if (existing) {
    const updated = await client.rest<IssueComment>(
      'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
      {
        owner: target.owner,
        repo: target.repo,
        comment_id: existing.id,
        body,
      },
    );
    return { id: updated.id, url: updated.html_url, action: 'updated' };
  }
  const created = await client.rest<IssueComment>(
    'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
    {
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      body,
    },
  );
  return { id: created.id, url: created.html_url, action: 'created' };
}
