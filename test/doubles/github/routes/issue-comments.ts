/**
 * Issue comments on pull requests: list (paginated, oldest first), create, and
 * edit in place. Comments live in memory per repository. A comment on a plain
 * issue goes to that issue's record (`routes/repo-issues.ts`).
 */
import { HttpError } from '../http-error.ts';
import { nodeIdFor, type HostedRepo } from '../repo-store.ts';
import { paginate, type DoubleState, type RestRoute } from '../rest-route.ts';
import { repoApiUrl, simpleUserJson } from '../shapes/repository-shape.ts';
import { PR_AUTHOR } from '../shapes/pull-shape.ts';
import { findPull } from './pulls.ts';
import { commentOnPlainIssue } from './repo-issues.ts';

export interface IssueCommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  createdAt: string;
  updatedAt: string;
}

const comments = new WeakMap<HostedRepo, IssueCommentRecord[]>();
let nextCommentId = 9000;

/** The comments of a repository (tests read them to check what was posted). */
export function issueComments(repo: HostedRepo): IssueCommentRecord[] {
  let list = comments.get(repo);
  if (!list) comments.set(repo, (list = []));
  return list;
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function commentJson(state: DoubleState, repo: HostedRepo, c: IssueCommentRecord) {
  const api = repoApiUrl(state, repo);
  return {
    id: c.id,
    node_id: nodeIdFor('IC', `${repo.fullName}#${c.id}`),
    url: `${api}/issues/comments/${c.id}`,
    html_url: `${state.serverUrl}/${repo.fullName}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${api}/issues/${c.issueNumber}`,
    body: c.body,
    user: simpleUserJson(state, PR_AUTHOR),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: 'NONE',
  };
}

function bodyOf(raw: unknown): string {
  const body = (raw as { body?: unknown })?.body;
  if (typeof body !== 'string') throw new HttpError(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
  // GitHub: "Body is too long (maximum is 65536 characters)"
  if (body.length > 65_536) throw new HttpError(422, 'Validation Failed');
  return body;
}

export const issueCommentRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    async handle(ctx) {
      const repo = ctx.repo('pull_requests', 'read');
      const number = Number(ctx.params.issue_number);
      findPull(repo, number);
      const list = issueComments(repo).filter((c) => c.issueNumber === number);
      const page = paginate(ctx, list);
      return { ...page, body: page.body.map((c) => commentJson(ctx.state, repo, c)) };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    async handle(ctx) {
      const number = Number(ctx.params.issue_number);
      const plain = ctx.repo('issues', 'read').issues.find((i) => i.number === number);
      if (plain) return commentOnPlainIssue(ctx.state, ctx.repo('issues', 'write'), plain, bodyOf(ctx.body));
      const repo = ctx.repo('pull_requests', 'write');
      findPull(repo, number);
      const at = now();
      const record = {
        id: nextCommentId++,
        issueNumber: number,
        body: bodyOf(ctx.body),
        createdAt: at,
        updatedAt: at,
      };
      issueComments(repo).push(record);
      const json = commentJson(ctx.state, repo, record);
      return { status: 201, body: json, headers: { location: json.url } };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    async handle(ctx) {
      const repo = ctx.repo('pull_requests', 'write');
      const record = issueComments(repo).find((c) => c.id === Number(ctx.params.comment_id));
      if (!record) throw new HttpError(404, 'Not Found');
      record.body = bodyOf(ctx.body);
      record.updatedAt = now();
      return { status: 200, body: commentJson(ctx.state, repo, record) };
    },
  },
];
