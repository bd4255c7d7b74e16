/**
 * Collaborator permissions and pull request reviews, for commands that are gated on them
 * (terraform.yml's /plan, /apply, /unlock):
 * `GET collaborators/{username}/permission` (a login the test did not register is `none`,
 * as for a user without access to a private repository) and `GET pulls/{n}/reviews`
 * (oldest first, paginated). Tests register both with `setCollaborator` and `addReview`.
 */
import { nodeIdFor, type HostedRepo } from '../repo-store.ts';
import { paginate, type RestRoute } from '../rest-route.ts';
import { repoApiUrl, repoHtmlUrl, simpleUserJson } from '../shapes/repository-shape.ts';
import { findPull } from './pulls.ts';

export type CollaboratorPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

export interface ReviewRecord {
  id: number;
  pr: number;
  user: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  commitId: string;
  body: string;
  submittedAt: string;
}

const collaborators = new WeakMap<HostedRepo, Map<string, CollaboratorPermission>>();
const reviews = new WeakMap<HostedRepo, ReviewRecord[]>();
let nextReviewId = 7000;

export function setCollaborator(repo: HostedRepo, login: string, permission: CollaboratorPermission): void {
  let map = collaborators.get(repo);
  if (!map) collaborators.set(repo, (map = new Map()));
  map.set(login.toLowerCase(), permission);
}

export function addReview(
  repo: HostedRepo,
  review: Omit<ReviewRecord, 'id' | 'body' | 'submittedAt'>,
): ReviewRecord {
  let list = reviews.get(repo);
  if (!list) reviews.set(repo, (list = []));
  const record = {
    ...review,
    id: nextReviewId++,
    body: '',
    submittedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  list.push(record);
  return record;
}

/** `permission` folds maintain into write and triage into read; `role_name` keeps the role. */
const LEGACY: Record<CollaboratorPermission | 'none', string> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
  none: 'none',
};

export const collaboratorRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators/{username}/permission',
    async handle(ctx) {
      const repo = ctx.repo('metadata', 'read');
      const login = ctx.params.username!;
      const role = collaborators.get(repo)?.get(login.toLowerCase()) ?? 'none';
      return {
        status: 200,
        body: {
          permission: LEGACY[role],
          role_name: role,
          user: { ...simpleUserJson(ctx.state, login), type: 'User', role_name: role },
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    async handle(ctx) {
      const repo = ctx.repo('pull_requests', 'read');
      const number = Number(ctx.params.pull_number);
      findPull(repo, number);
      const list = (reviews.get(repo) ?? []).filter((r) => r.pr === number);
      const page = paginate(ctx, list);
      const html = `${repoHtmlUrl(ctx.state, repo)}/pull/${number}`;
      const api = `${repoApiUrl(ctx.state, repo)}/pulls/${number}`;
      return {
        ...page,
        body: page.body.map((r) => ({
          id: r.id,
          node_id: nodeIdFor('PRR', `${repo.fullName}#${r.id}`),
          user: { ...simpleUserJson(ctx.state, r.user), type: 'User' },
          body: r.body,
          state: r.state,
          html_url: `${html}#pullrequestreview-${r.id}`,
          pull_request_url: api,
          _links: { html: { href: `${html}#pullrequestreview-${r.id}` }, pull_request: { href: api } },
          submitted_at: r.submittedAt,
          commit_id: r.commitId,
          author_association: 'COLLABORATOR',
        })),
      };
    },
  },
];
