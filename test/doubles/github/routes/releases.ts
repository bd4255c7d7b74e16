/** Releases: list, latest, by tag. */
import { HttpError } from '../http-error.ts';
import { latestRelease, releasesNewestFirst, type ReleaseRecord } from '../release-record.ts';
import type { HostedRepo } from '../repo-store.ts';
import { paginate, type DoubleState, type RestRoute } from '../rest-route.ts';
import { repoApiUrl, repoHtmlUrl, simpleUserJson } from '../shapes/repository-shape.ts';

function releaseJson(state: DoubleState, repo: HostedRepo, release: ReleaseRecord) {
  const api = repoApiUrl(state, repo);
  const url = `${api}/releases/${release.id}`;
  return {
    url,
    html_url: `${repoHtmlUrl(state, repo)}/releases/tag/${release.tagName}`,
    assets_url: `${url}/assets`,
    upload_url: `${state.apiUrl}/uploads/repos/${repo.fullName}/releases/${release.id}/assets{?name,label}`,
    tarball_url: `${api}/tarball/${release.tagName}`,
    zipball_url: `${api}/zipball/${release.tagName}`,
    id: release.id,
    node_id: release.nodeId,
    tag_name: release.tagName,
    target_commitish: repo.defaultBranch,
    name: release.name,
    body: release.body,
    draft: release.draft,
    prerelease: release.prerelease,
    immutable: release.immutable,
    created_at: release.createdAt,
    published_at: release.publishedAt,
    author: simpleUserJson(state, repo.owner),
    assets: [],
  };
}

export const releaseRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/releases',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'read');
      const releases = releasesNewestFirst(repo.releases).map((r) => releaseJson(ctx.state, repo, r));
      return paginate(ctx, releases);
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/releases/latest',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'read');
      const latest = latestRelease(repo.releases);
      if (!latest) throw new HttpError(404, 'Not Found');
      return { status: 200, body: releaseJson(ctx.state, repo, latest) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/releases/tags/{tag}',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'read');
      const release = repo.releases.find((r) => r.tagName === ctx.params.tag && !r.draft);
      if (!release) throw new HttpError(404, 'Not Found');
      return { status: 200, body: releaseJson(ctx.state, repo, release) };
    },
  },
];
