/**
 * Check runs: POST check-runs (what a GitHub App such as Argo CD Notifications' `github.checkRun`
 * posts on the ops-repo commit) and GET commits/{ref}/check-runs (`check_name`, `status`,
 * `filter=latest|all`, pagination). Kept per repository here. Every run is created by one App
 * ("argocd-notifications"); the double has no App authentication and no `checks` permission
 * category, so `contents` stands in, as for commit statuses.
 */
import { HttpError } from '../http-error.ts';
import { nodeIdFor, type HostedRepo } from '../repo-store.ts';
import type { RestContext, RestRoute } from '../rest-route.ts';
import { repoApiUrl, repoHtmlUrl, simpleUserJson } from '../shapes/repository-shape.ts';
import { resolveCommitish } from './commits.ts';

interface CheckRunRecord {
  id: number;
  sha: string;
  name: string;
  status: string;
  conclusion: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  title: string | null;
  summary: string | null;
  startedAt: string;
  completedAt: string | null;
  /** Creation order, for `filter=latest` (the newest run of each name). */
  seq: number;
}

const runs = new WeakMap<HostedRepo, CheckRunRecord[]>();
let nextId = 7000;
const APP_ID = 424242;
const APP_SLUG = 'argocd-notifications';

function recordsOf(repo: HostedRepo): CheckRunRecord[] {
  let list = runs.get(repo);
  if (!list) runs.set(repo, (list = []));
  return list;
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

function appJson(ctx: RestContext) {
  return {
    id: APP_ID,
    slug: APP_SLUG,
    node_id: nodeIdFor('A', APP_ID),
    owner: simpleUserJson(ctx.state, 'argoproj'),
    name: 'Argo CD Notifications',
    description: 'Posts Argo CD sync and health results',
    external_url: 'https://argo-cd.readthedocs.io/',
    html_url: `${ctx.state.serverUrl}/apps/${APP_SLUG}`,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    permissions: { checks: 'write', metadata: 'read' },
    events: [],
  };
}

function checkRunJson(ctx: RestContext, repo: HostedRepo, r: CheckRunRecord) {
  const api = repoApiUrl(ctx.state, repo);
  return {
    id: r.id,
    head_sha: r.sha,
    node_id: nodeIdFor('CR', r.id),
    external_id: r.externalId,
    url: `${api}/check-runs/${r.id}`,
    html_url: `${repoHtmlUrl(ctx.state, repo)}/runs/${r.id}`,
    details_url: r.detailsUrl,
    status: r.status,
    conclusion: r.conclusion,
    started_at: r.startedAt,
    completed_at: r.completedAt,
    output: {
      title: r.title,
      summary: r.summary,
      text: null,
      annotations_count: 0,
      annotations_url: `${api}/check-runs/${r.id}/annotations`,
    },
    name: r.name,
    check_suite: { id: r.id + 1_000_000 },
    app: appJson(ctx),
    pull_requests: [],
  };
}

async function commitOf(repo: HostedRepo, ref: string): Promise<string> {
  const oid = await resolveCommitish(repo.git, ref);
  if (!oid) throw new HttpError(404, `No commit found for SHA: ${ref}`);
  return oid;
}

export const checkRunRoutes: RestRoute[] = [
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/check-runs',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'write');
      const body = ctx.body as {
        name: string;
        head_sha: string;
        status?: string;
        conclusion?: string;
        details_url?: string;
        external_id?: string;
        output?: { title?: string; summary?: string };
      };
      const sha = await commitOf(repo, body.head_sha);
      // GitHub: a conclusion completes the run
      const status = body.conclusion ? 'completed' : (body.status ?? 'queued');
      const at = now();
      const seq = recordsOf(repo).length;
      const record: CheckRunRecord = {
        id: nextId++,
        sha,
        name: body.name,
        status,
        conclusion: body.conclusion ?? null,
        detailsUrl: body.details_url ?? null,
        externalId: body.external_id ?? null,
        title: body.output?.title ?? null,
        summary: body.output?.summary ?? null,
        startedAt: at,
        completedAt: status === 'completed' ? at : null,
        seq,
      };
      recordsOf(repo).push(record);
      return { status: 201, body: checkRunJson(ctx, repo, record) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref}/check-runs',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'read');
      const sha = await commitOf(repo, ctx.params.ref!);
      const name = ctx.query.get('check_name');
      const status = ctx.query.get('status');
      const filter = ctx.query.get('filter') === 'all' ? 'all' : 'latest';
      let list = recordsOf(repo)
        .filter((r) => r.sha === sha && (name === null || r.name === name))
        .sort((a, b) => b.seq - a.seq);
      if (filter === 'latest') {
        const seen = new Set<string>();
        list = list.filter((r) => (seen.has(r.name) ? false : (seen.add(r.name), true)));
      }
      if (status !== null) list = list.filter((r) => r.status === status);
      const perPage = Math.min(100, Math.max(1, Number(ctx.query.get('per_page') ?? 30) || 30));
      const page = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
      return {
        status: 200,
        body: {
          total_count: list.length,
          check_runs: list.slice((page - 1) * perPage, page * perPage).map((r) => checkRunJson(ctx, repo, r)),
        },
      };
    },
  },
];
