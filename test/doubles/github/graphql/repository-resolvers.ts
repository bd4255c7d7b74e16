/** GraphQL Query.repository and the Repository fields pin-check reads (refs, objects, fork parent). */
import type { RefRecord } from '../git/git-repo.ts';
import type { HostedRepo } from '../repo-store.ts';
import { HttpError } from '../http-error.ts';
import { ownerIdFor } from '../repo-store.ts';
import { checkAccess } from '../tokens.ts';
import { GitHubGraphqlError } from './graphql-errors.ts';
import { cursorFor, indexFromCursor, objectNode, objectNodeFor, refNode } from './object-nodes.ts';
import { refOf, refsOf, type GraphqlContext, type Resolvers } from './resolver-types.ts';

export interface RepositoryNode {
  __typename: 'Repository';
  repo: HostedRepo;
}

interface RefsArgs {
  refPrefix: string;
  first?: number;
  last?: number;
  after?: string;
  before?: string;
  query?: string;
  orderBy?: { field: 'TAG_COMMIT_DATE' | 'ALPHABETICAL'; direction: 'ASC' | 'DESC' };
  /** Deprecated in GitHub's schema in favour of orderBy, still accepted. */
  direction?: 'ASC' | 'DESC';
}

/** Finds a repository the caller may read, or throws GitHub's NOT_FOUND. */
export function visibleRepository(ctx: GraphqlContext, owner: string, name: string): HostedRepo {
  const repo = ctx.state.store.get(owner, name);
  const notFound = new GitHubGraphqlError(
    'NOT_FOUND',
    `Could not resolve to a Repository with the name '${owner}/${name}'.`,
  );
  if (!repo) throw notFound;
  try {
    checkAccess(ctx.caller, repo, 'metadata', 'read');
  } catch (error) {
    if (error instanceof HttpError) throw notFound;
    throw error;
  }
  return repo;
}

/** GitHub's `ref(qualifiedName:)`: a full name, else refs/heads/<name>, else refs/tags/<name>. */
async function findRef(
  ctx: GraphqlContext,
  repo: HostedRepo,
  qualifiedName: string,
): Promise<RefRecord | null> {
  const candidates = qualifiedName.startsWith('refs/')
    ? [qualifiedName]
    : [`refs/heads/${qualifiedName}`, `refs/tags/${qualifiedName}`];
  for (const candidate of candidates) {
    const record = await refOf(ctx, repo, candidate);
    if (record) return record;
  }
  return null;
}

async function refsConnection(ctx: GraphqlContext, node: RepositoryNode, args: RefsArgs) {
  if (!args.refPrefix.endsWith('/')) {
    throw new GitHubGraphqlError('UNPROCESSABLE', 'refPrefix must end with a slash (/)');
  }
  let records = (await refsOf(ctx, node.repo)).filter((r) => r.ref.startsWith(args.refPrefix));
  if (args.query) records = records.filter((r) => r.ref.slice(args.refPrefix.length).includes(args.query!));
  const field = args.orderBy?.field ?? 'ALPHABETICAL';
  const direction = (args.orderBy?.direction ?? args.direction) === 'DESC' ? -1 : 1;
  records.sort((a, b) => {
    const primary = field === 'TAG_COMMIT_DATE' ? (a.commitDate ?? '').localeCompare(b.commitDate ?? '') : 0;
    return primary !== 0
      ? direction * primary
      : direction * (field === 'ALPHABETICAL' ? a.ref.localeCompare(b.ref) : 0) || a.ref.localeCompare(b.ref);
  });
  let start = indexFromCursor(args.after);
  let end = args.before ? indexFromCursor(args.before) - 1 : records.length;
  if (args.first !== undefined) end = Math.min(end, start + args.first);
  if (args.last !== undefined) start = Math.max(start, end - args.last);
  const page = records.slice(start, end);
  const edges = page.map((record, i) => ({
    node: refNode(node.repo, record, args.refPrefix),
    cursor: cursorFor(start + i),
  }));
  return {
    totalCount: records.length,
    nodes: edges.map((e) => e.node),
    edges,
    pageInfo: {
      hasNextPage: end < records.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

export const repositoryResolvers: Resolvers = {
  Query: {
    repository: (
      _root: unknown,
      args: { owner: string; name: string },
      ctx: GraphqlContext,
    ): RepositoryNode => ({
      __typename: 'Repository',
      repo: visibleRepository(ctx, args.owner, args.name),
    }),
    rateLimit: (_root: unknown, _args: unknown, ctx: GraphqlContext) => {
      const { limit, graphqlUsed, reset } = ctx.state.rateLimit;
      return {
        cost: 1,
        limit,
        nodeCount: 0,
        remaining: Math.max(0, limit - graphqlUsed),
        used: graphqlUsed,
        resetAt: new Date(reset * 1000).toISOString(),
      };
    },
  },
  Repository: {
    id: (node: RepositoryNode) => node.repo.nodeId,
    databaseId: (node: RepositoryNode) => node.repo.id,
    name: (node: RepositoryNode) => node.repo.name,
    nameWithOwner: (node: RepositoryNode) => node.repo.fullName,
    owner: (node: RepositoryNode) => ({ __typename: 'Organization', login: node.repo.owner }),
    description: (node: RepositoryNode) => node.repo.description,
    isFork: (node: RepositoryNode) => node.repo.parent !== null,
    isPrivate: (node: RepositoryNode) => node.repo.private,
    isArchived: (node: RepositoryNode) => node.repo.archived,
    visibility: (node: RepositoryNode) => (node.repo.private ? 'PRIVATE' : 'PUBLIC'),
    url: (node: RepositoryNode, _args: unknown, ctx: GraphqlContext) =>
      `${ctx.state.serverUrl}/${node.repo.fullName}`,
    createdAt: (node: RepositoryNode) => node.repo.createdAt,
    parent: (node: RepositoryNode) =>
      node.repo.parent ? { __typename: 'Repository', repo: node.repo.parent } : null,
    defaultBranchRef: async (node: RepositoryNode, _args: unknown, ctx: GraphqlContext) => {
      const record = await refOf(ctx, node.repo, `refs/heads/${node.repo.defaultBranch}`);
      return record ? refNode(node.repo, record, 'refs/heads/') : null;
    },
    ref: async (node: RepositoryNode, args: { qualifiedName: string }, ctx: GraphqlContext) => {
      const record = await findRef(ctx, node.repo, args.qualifiedName);
      return record ? refNode(node.repo, record) : null;
    },
    refs: (node: RepositoryNode, args: RefsArgs, ctx: GraphqlContext) => refsConnection(ctx, node, args),
    object: async (node: RepositoryNode, args: { oid?: string; expression?: string }) => {
      if (args.oid !== undefined) return objectNodeFor(node.repo, args.oid);
      if (args.expression === undefined) return null;
      const oid = await node.repo.git.revParse(args.expression);
      if (!oid) return null;
      const type = await node.repo.git.objectType(oid);
      return type ? objectNode(node.repo, oid, type) : null;
    },
  },
  Organization: {
    login: (owner: { login: string }) => owner.login,
    databaseId: (owner: { login: string }) => ownerIdFor(owner.login),
  },
};
