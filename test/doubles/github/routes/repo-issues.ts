/**
 * Plain issues: list (state and labels filters; pull requests come back too, with
 * `pull_request`, as on GitHub), create, update (title, body, state, labels) and
 * comment. Numbers are shared with pull requests. Comments are kept for plain
 * issues only (`routes/issue-comments.ts` takes the comment route for both kinds).
 */
import type { IssueRecord } from '../issue-record.ts';
import { HttpError } from '../http-error.ts';
import { nodeIdFor, type HostedRepo } from '../repo-store.ts';
import { paginate, type DoubleState, type RestRoute } from '../rest-route.ts';
import { issueCommentJson, plainIssueJson } from '../shapes/issue-shape.ts';
import { issueJson } from '../shapes/pull-shape.ts';

type LabelInput = string | { name?: string };

let nextIssueId = 9000;
let nextCommentId = 70000;

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function labelNames(labels: LabelInput[] | undefined): string[] {
  const names = (labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? '')));
  return [...new Set(names.filter((n) => n !== ''))];
}

/** A comment on a plain issue (`POST .../issues/{n}/comments` with a plain issue's number). */
export function commentOnPlainIssue(state: DoubleState, repo: HostedRepo, issue: IssueRecord, text: string) {
  nextCommentId += 1;
  const comment = { id: nextCommentId, body: text, createdAt: now() };
  issue.comments.push(comment);
  issue.updatedAt = comment.createdAt;
  return { status: 201, body: issueCommentJson(state, repo, issue, comment) };
}

function findIssue(repo: HostedRepo, number: number): IssueRecord {
  const issue = repo.issues.find((i) => i.number === number);
  if (!issue) throw new HttpError(404, 'Not Found');
  return issue;
}

export const repoIssueRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues',
    async handle(ctx) {
      const repo = ctx.repo('issues', 'read');
      const state = ctx.query.get('state') ?? 'open';
      const wanted = (ctx.query.get('labels') ?? '')
        .split(',')
        .map((l) => l.trim())
        .filter((l) => l !== '');
      const matches = (item: { state: string; labels: string[] }) =>
        (state === 'all' || item.state === state) && wanted.every((l) => item.labels.includes(l));
      const items = [
        ...repo.issues.filter(matches).map((issue) => ({ number: issue.number, issue })),
        ...repo.pulls.filter(matches).map((pull) => ({ number: pull.number, pull })),
      ].sort((a, b) => b.number - a.number);
      const page = paginate(ctx, items);
      return {
        ...page,
        body: await Promise.all(
          page.body.map((item) =>
            'issue' in item
              ? plainIssueJson(ctx.state, repo, item.issue)
              : issueJson(ctx.state, repo, item.pull),
          ),
        ),
      };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues',
    async handle(ctx) {
      const repo = ctx.repo('issues', 'write');
      const body = ctx.body as {
        title: string | number;
        body?: string;
        labels?: LabelInput[];
        assignees?: string[];
      };
      return repo.serialize(async () => {
        nextIssueId += 1;
        const issue: IssueRecord = {
          number: repo.pulls.length + repo.issues.length + 1,
          id: nextIssueId,
          nodeId: nodeIdFor('I', nextIssueId),
          title: String(body.title),
          body: body.body ?? null,
          state: 'open',
          stateReason: null,
          labels: labelNames(body.labels),
          assignees: body.assignees ?? [],
          comments: [],
          createdAt: now(),
          updatedAt: now(),
          closedAt: null,
        };
        repo.issues.push(issue);
        return {
          status: 201,
          body: plainIssueJson(ctx.state, repo, issue),
          headers: { location: `${ctx.state.apiUrl}/repos/${repo.fullName}/issues/${issue.number}` },
        };
      });
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/issues/{issue_number}',
    async handle(ctx) {
      const repo = ctx.repo('issues', 'write');
      const body = ctx.body as {
        title?: string | number;
        body?: string | null;
        state?: 'open' | 'closed';
        state_reason?: 'completed' | 'not_planned' | 'reopened' | null;
        labels?: LabelInput[];
      };
      return repo.serialize(async () => {
        const issue = findIssue(repo, Number(ctx.params.issue_number));
        if (body.title !== undefined) issue.title = String(body.title);
        if (body.body !== undefined) issue.body = body.body;
        if (body.labels !== undefined) issue.labels = labelNames(body.labels);
        if (body.state !== undefined && body.state !== issue.state) {
          issue.state = body.state;
          issue.closedAt = body.state === 'closed' ? now() : null;
          issue.stateReason = body.state === 'closed' ? (body.state_reason ?? 'completed') : 'reopened';
        }
        issue.updatedAt = now();
        return { status: 200, body: plainIssueJson(ctx.state, repo, issue) };
      });
    },
  },
];
