/** Refs: git/ref/{ref}, git/matching-refs/{ref}, tags and branches lists. */
import type { RefRecord } from '../git/git-repo.ts';
import { HttpError } from '../http-error.ts';
import { nodeIdFor, type HostedRepo } from '../repo-store.ts';
import { paginate, type DoubleState, type RestRoute } from '../rest-route.ts';
import { repoApiUrl } from '../shapes/repository-shape.ts';

export function gitRefJson(state: DoubleState, repo: HostedRepo, ref: RefRecord): Record<string, unknown> {
  const api = repoApiUrl(state, repo);
  const objectPath = ref.type === 'tag' ? 'tags' : ref.type === 'commit' ? 'commits' : `${ref.type}s`;
  return {
    ref: ref.ref,
    node_id: nodeIdFor('REF', `${repo.fullName}:${ref.ref}`),
    url: `${api}/git/${ref.ref}`,
    object: { type: ref.type, sha: ref.oid, url: `${api}/git/${objectPath}/${ref.oid}` },
  };
}

/** Orders tag names newest version first (numeric-aware), like GitHub's tags list. */
function byVersionDescending(a: string, b: string): number {
  return b.localeCompare(a, 'en', { numeric: true });
}

export const refRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/ref/{ref}',
    greedy: 'ref',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'read');
      const record = await repo.git.readRef(`refs/${ctx.params.ref}`);
      if (!record) throw new HttpError(404, 'Not Found');
      return { status: 200, body: gitRefJson(ctx.state, repo, record) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/matching-refs/{ref}',
    greedy: 'ref',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'read');
      const prefix = `refs/${ctx.params.ref}`;
      const records = (await repo.git.listRefs('refs/')).filter((r) => r.ref.startsWith(prefix));
      return paginate(
        ctx,
        records.map((r) => gitRefJson(ctx.state, repo, r)),
        100,
      );
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/tags',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'read');
      const api = repoApiUrl(ctx.state, repo);
      const tags = (await repo.git.listRefs('refs/tags/'))
        .map((r) => ({ name: r.ref.slice('refs/tags/'.length), sha: r.peeledOid ?? r.oid }))
        .sort((a, b) => byVersionDescending(a.name, b.name))
        .map(({ name, sha }) => ({
          name,
          commit: { sha, url: `${api}/commits/${sha}` },
          zipball_url: `${api}/zipball/refs/tags/${name}`,
          tarball_url: `${api}/tarball/refs/tags/${name}`,
          node_id: nodeIdFor('REF', `${repo.fullName}:refs/tags/${name}`),
        }));
      return paginate(ctx, tags);
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/branches',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'read');
      const api = repoApiUrl(ctx.state, repo);
      const branches = (await repo.git.listRefs('refs/heads/')).map((r) => ({
        name: r.ref.slice('refs/heads/'.length),
        commit: { sha: r.oid, url: `${api}/commits/${r.oid}` },
        protected: false,
      }));
      return paginate(ctx, branches);
    },
  },
];
