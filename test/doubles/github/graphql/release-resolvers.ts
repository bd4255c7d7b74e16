/** GraphQL releases: Repository.releases / release(tagName) / latestRelease and the Release fields. */
import { latestRelease, releasesNewestFirst, type ReleaseRecord } from '../release-record.ts';
import type { HostedRepo } from '../repo-store.ts';
import { cursorFor, indexFromCursor, objectNode, refNode } from './object-nodes.ts';
import type { RepositoryNode } from './repository-resolvers.ts';
import { refOf, type GraphqlContext, type Resolvers } from './resolver-types.ts';

interface ReleaseNode {
  __typename: 'Release';
  repo: HostedRepo;
  release: ReleaseRecord;
}

interface ReleasesArgs {
  first?: number;
  last?: number;
  after?: string;
  orderBy?: { field: 'CREATED_AT' | 'NAME'; direction: 'ASC' | 'DESC' };
}

function node(repo: HostedRepo, release: ReleaseRecord | undefined): ReleaseNode | null {
  return release ? { __typename: 'Release', repo, release } : null;
}

function ordered(releases: readonly ReleaseRecord[], orderBy: ReleasesArgs['orderBy']): ReleaseRecord[] {
  if (!orderBy) return releasesNewestFirst(releases);
  const direction = orderBy.direction === 'DESC' ? -1 : 1;
  return [...releases].sort((a, b) =>
    orderBy.field === 'NAME'
      ? direction * (a.name ?? a.tagName).localeCompare(b.name ?? b.tagName)
      : direction * a.createdAt.localeCompare(b.createdAt) || direction * (a.id - b.id),
  );
}

export const releaseResolvers: Resolvers = {
  Repository: {
    latestRelease: (repo: RepositoryNode) => node(repo.repo, latestRelease(repo.repo.releases)),
    release: (repo: RepositoryNode, args: { tagName: string }) =>
      node(
        repo.repo,
        repo.repo.releases.find((r) => r.tagName === args.tagName),
      ),
    releases: (repo: RepositoryNode, args: ReleasesArgs) => {
      const all = ordered(repo.repo.releases, args.orderBy);
      const start = indexFromCursor(args.after);
      let end = args.first === undefined ? all.length : Math.min(all.length, start + args.first);
      const from = args.last === undefined ? start : Math.max(start, end - args.last);
      end = Math.max(end, from);
      const edges = all
        .slice(from, end)
        .map((r, i) => ({ node: node(repo.repo, r)!, cursor: cursorFor(from + i) }));
      return {
        totalCount: all.length,
        nodes: edges.map((e) => e.node),
        edges,
        pageInfo: {
          hasNextPage: end < all.length,
          hasPreviousPage: from > 0,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges[edges.length - 1]?.cursor ?? null,
        },
      };
    },
  },
  Release: {
    id: (r: ReleaseNode) => r.release.nodeId,
    databaseId: (r: ReleaseNode) => r.release.id,
    name: (r: ReleaseNode) => r.release.name,
    tagName: (r: ReleaseNode) => r.release.tagName,
    description: (r: ReleaseNode) => r.release.body,
    isDraft: (r: ReleaseNode) => r.release.draft,
    isPrerelease: (r: ReleaseNode) => r.release.prerelease,
    isLatest: (r: ReleaseNode) => latestRelease(r.repo.releases) === r.release,
    createdAt: (r: ReleaseNode) => r.release.createdAt,
    updatedAt: (r: ReleaseNode) => r.release.createdAt,
    publishedAt: (r: ReleaseNode) => r.release.publishedAt,
    url: (r: ReleaseNode, _args: unknown, ctx: GraphqlContext) =>
      `${ctx.state.serverUrl}/${r.repo.fullName}/releases/tag/${r.release.tagName}`,
    tag: async (r: ReleaseNode, _args: unknown, ctx: GraphqlContext) => {
      const record = await refOf(ctx, r.repo, `refs/tags/${r.release.tagName}`);
      return record ? refNode(r.repo, record, 'refs/tags/') : null;
    },
    tagCommit: async (r: ReleaseNode) => {
      const oid = await r.repo.git.revParse(`refs/tags/${r.release.tagName}^{commit}`);
      return oid ? objectNode(r.repo, oid, 'commit') : null;
    },
    repository: (r: ReleaseNode) => ({ __typename: 'Repository', repo: r.repo }),
  },
};
