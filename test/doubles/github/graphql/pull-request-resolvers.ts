/** GraphQL PullRequest nodes: Repository.pullRequest(s), Query.node(s) and the PullRequest fields. */
import type { PullRequestRecord } from '../pull-request-record.ts';
import type { HostedRepo } from '../repo-store.ts';
import { cursorFor, indexFromCursor } from './object-nodes.ts';
import type { RepositoryNode } from './repository-resolvers.ts';
import type { GraphqlContext, Resolvers } from './resolver-types.ts';
import { checkAccess } from '../tokens.ts';

export interface PullRequestNode {
  __typename: 'PullRequest';
  repo: HostedRepo;
  pr: PullRequestRecord;
}

interface PullRequestsArgs {
  states?: Array<'OPEN' | 'CLOSED' | 'MERGED'>;
  headRefName?: string;
  baseRefName?: string;
  first?: number;
  after?: string;
  orderBy?: { field: 'CREATED_AT' | 'UPDATED_AT'; direction: 'ASC' | 'DESC' };
}

/** Finds a pull request or repository by node id among the repositories the caller can see. */
export function findNode(ctx: GraphqlContext, id: string): PullRequestNode | RepositoryNode | null {
  for (const repo of ctx.state.store.all()) {
    const visible = (() => {
      try {
        checkAccess(ctx.caller, repo, 'metadata', 'read');
        return true;
      } catch {
        return false;
      }
    })();
    if (!visible) continue;
    if (repo.nodeId === id) return { __typename: 'Repository', repo };
    const pr = repo.pulls.find((p) => p.nodeId === id);
    if (pr) return { __typename: 'PullRequest', repo, pr };
  }
  return null;
}

function prState(pr: PullRequestRecord): 'OPEN' | 'CLOSED' {
  return pr.state === 'open' ? 'OPEN' : 'CLOSED';
}

export const pullRequestResolvers: Resolvers = {
  Query: {
    node: (_root: unknown, args: { id: string }, ctx: GraphqlContext) => findNode(ctx, args.id),
    nodes: (_root: unknown, args: { ids: string[] }, ctx: GraphqlContext) =>
      args.ids.map((id) => findNode(ctx, id)),
  },
  Repository: {
    pullRequest: (node: RepositoryNode, args: { number: number }) => {
      const pr = node.repo.pulls.find((p) => p.number === args.number);
      return pr ? { __typename: 'PullRequest', repo: node.repo, pr } : null;
    },
    pullRequests: (node: RepositoryNode, args: PullRequestsArgs) => {
      let pulls = node.repo.pulls.filter(
        (p) =>
          (!args.states || args.states.includes(prState(p))) &&
          (!args.headRefName || p.head.ref === args.headRefName) &&
          (!args.baseRefName || p.base === args.baseRefName),
      );
      const field = args.orderBy?.field === 'UPDATED_AT' ? 'updatedAt' : 'createdAt';
      const direction = args.orderBy?.direction === 'DESC' ? -1 : 1;
      pulls = [...pulls].sort(
        (a, b) => direction * (a[field].localeCompare(b[field]) || a.number - b.number),
      );
      const start = indexFromCursor(args.after);
      const page = pulls.slice(start, args.first === undefined ? undefined : start + args.first);
      const edges = page.map((pr, i) => ({
        node: { __typename: 'PullRequest', repo: node.repo, pr },
        cursor: cursorFor(start + i),
      }));
      return {
        totalCount: pulls.length,
        nodes: edges.map((e) => e.node),
        edges,
        pageInfo: {
          hasNextPage: start + page.length < pulls.length,
          hasPreviousPage: start > 0,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges[edges.length - 1]?.cursor ?? null,
        },
      };
    },
  },
  PullRequest: {
    id: (node: PullRequestNode) => node.pr.nodeId,
    databaseId: (node: PullRequestNode) => node.pr.id,
    number: (node: PullRequestNode) => node.pr.number,
    title: (node: PullRequestNode) => node.pr.title,
    body: (node: PullRequestNode) => node.pr.body ?? '',
    state: (node: PullRequestNode) => prState(node.pr),
    isDraft: (node: PullRequestNode) => node.pr.draft,
    closed: (node: PullRequestNode) => node.pr.state === 'closed',
    merged: () => false,
    url: (node: PullRequestNode, _args: unknown, ctx: GraphqlContext) =>
      `${ctx.state.serverUrl}/${node.repo.fullName}/pull/${node.pr.number}`,
    permalink: (node: PullRequestNode, _args: unknown, ctx: GraphqlContext) =>
      `${ctx.state.serverUrl}/${node.repo.fullName}/pull/${node.pr.number}`,
    headRefName: (node: PullRequestNode) => node.pr.head.ref,
    headRefOid: async (node: PullRequestNode) =>
      node.pr.head.repo.git.revParse(`refs/heads/${node.pr.head.ref}`),
    baseRefName: (node: PullRequestNode) => node.pr.base,
    baseRefOid: async (node: PullRequestNode) => node.repo.git.revParse(`refs/heads/${node.pr.base}`),
    createdAt: (node: PullRequestNode) => node.pr.createdAt,
    updatedAt: (node: PullRequestNode) => node.pr.updatedAt,
    autoMergeRequest: (node: PullRequestNode) =>
      node.pr.autoMerge ? { mergeMethod: node.pr.autoMerge.mergeMethod, enabledAt: node.pr.updatedAt } : null,
    repository: (node: PullRequestNode) => ({ __typename: 'Repository', repo: node.repo }),
    // a pull request from a fork: its head branch lives in another repository of the network
    isCrossRepository: (node: PullRequestNode) => node.pr.head.repo !== node.repo,
    headRepository: (node: PullRequestNode) => ({ __typename: 'Repository', repo: node.pr.head.repo }),
    headRepositoryOwner: (node: PullRequestNode) => ({
      __typename: 'Organization',
      login: node.pr.head.repo.owner,
    }),
  },
};
