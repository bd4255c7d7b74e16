/**
 * Commit statuses: POST statuses/{sha} (what Argo CD Notifications' GitHub
 * service posts), GET commits/{ref}/status (combined, latest per context) and
 * GET commits/{ref}/statuses (all, newest first). Kept per repository here.
 * Access: the double has no `statuses` permission category; `contents` stands in.
 */
import { nodeIdFor, type HostedRepo } from '../repo-store.ts';
import { HttpError } from '../http-error.ts';
import { paginate, type RestContext, type RestRoute } from '../rest-route.ts';
import { repoApiUrl, repositoryJson, simpleUserJson } from '../shapes/repository-shape.ts';
import { resolveCommitish } from './commits.ts';

interface StatusRecord {
  id: number;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  at: string;
}

const statuses = new WeakMap<HostedRepo, StatusRecord[]>();
let nextId = 1000;

function recordsOf(repo: HostedRepo): StatusRecord[] {
  let list = statuses.get(repo);
  if (!list) statuses.set(repo, (list = []));
  return list;
}

function statusJson(ctx: RestContext, repo: HostedRepo, s: StatusRecord, withCreator: boolean) {
  return {
    url: `${repoApiUrl(ctx.state, repo)}/statuses/${s.sha}`,
    avatar_url: `${ctx.state.serverUrl}/avatars/${s.creator}`,
    id: s.id,
    node_id: nodeIdFor('SC', String(s.id)),
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.at,
    updated_at: s.at,
    ...(withCreator ? { creator: simpleUserJson(ctx.state, s.creator) } : {}),
  };
}

async function commitOf(ctx: RestContext, repo: HostedRepo, ref: string): Promise<string> {
  const oid = await resolveCommitish(repo.git, ref);
  if (!oid) throw new HttpError(404, 'Not Found');
  return oid;
}

/** Latest status per context, newest first. */
function latestPerContext(list: StatusRecord[], sha: string): StatusRecord[] {
  const seen = new Set<string>();
  return list
    .filter((s) => s.sha === sha)
    .reverse()
    .filter((s) => (seen.has(s.context) ? false : (seen.add(s.context), true)));
}

function combinedState(latest: StatusRecord[]): string {
  if (latest.some((s) => s.state === 'error' || s.state === 'failure')) return 'failure';
  if (latest.length === 0 || latest.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

export const commitStatusRoutes: RestRoute[] = [
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/statuses/{sha}',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'write');
      const body = ctx.body as {
        state: StatusRecord['state'];
        context?: string;
        description?: string;
        target_url?: string;
      };
      const sha = await commitOf(ctx, repo, ctx.params.sha!);
      const record: StatusRecord = {
        id: nextId++,
        sha,
        state: body.state,
        context: body.context ?? 'default',
        description: body.description ?? null,
        targetUrl: body.target_url ?? null,
        creator: 'argocd-notifications',
        at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      };
      recordsOf(repo).push(record);
      return { status: 201, body: statusJson(ctx, repo, record, true) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref}/status',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'read');
      const sha = await commitOf(ctx, repo, ctx.params.ref!);
      const latest = latestPerContext(recordsOf(repo), sha);
      const api = repoApiUrl(ctx.state, repo);
      return {
        status: 200,
        body: {
          state: combinedState(latest),
          statuses: latest.map((s) => statusJson(ctx, repo, s, false)),
          sha,
          total_count: latest.length,
          repository: repositoryJson(ctx.state, repo),
          commit_url: `${api}/commits/${sha}`,
          url: `${api}/commits/${sha}/status`,
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref}/statuses',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'read');
      const sha = await commitOf(ctx, repo, ctx.params.ref!);
      const all = recordsOf(repo)
        .filter((s) => s.sha === sha)
        .reverse()
        .map((s) => statusJson(ctx, repo, s, true));
      return paginate(ctx, all);
    },
  },
];
