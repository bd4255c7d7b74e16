/**
 * GraphQL mutations: createCommitOnBranch (serialised per repository, STALE_DATA on
 * an expectedHeadOid mismatch, compare-and-swap ref update) and enablePullRequestAutoMerge.
 */
import { writeTreeWithChanges, entryAtPath, type TreeChange } from '../git/tree-writer.ts';
import { HttpError } from '../http-error.ts';
import type { HostedRepo } from '../repo-store.ts';
import { PR_AUTHOR } from '../shapes/pull-shape.ts';
import { checkAccess, type AccessLevel, type PermissionCategory } from '../tokens.ts';
import { GitHubGraphqlError } from './graphql-errors.ts';
import { objectNode, refNode } from './object-nodes.ts';
import { findNode } from './pull-request-resolvers.ts';
import { visibleRepository } from './repository-resolvers.ts';
import type { GraphqlContext, Resolvers } from './resolver-types.ts';

interface CreateCommitOnBranchInput {
  clientMutationId?: string;
  branch: { repositoryNameWithOwner?: string; branchName?: string; id?: string };
  expectedHeadOid: string;
  message: { headline: string; body?: string };
  fileChanges?: {
    additions?: Array<{ path: string; contents: string }>;
    deletions?: Array<{ path: string }>;
  };
}

/** GitHub's message, with its two spaces before "Pull" (as in captured real responses). */
function staleData(expectedHeadOid: string): GitHubGraphqlError {
  return new GitHubGraphqlError(
    'STALE_DATA',
    `Expected branch to point to "${expectedHeadOid}" but it did not.  Pull and try again.`,
  );
}

function requirePermission(
  ctx: GraphqlContext,
  repo: HostedRepo,
  category: PermissionCategory,
  level: AccessLevel,
) {
  try {
    checkAccess(ctx.caller, repo, category, level);
  } catch (error) {
    if (error instanceof HttpError)
      throw new GitHubGraphqlError('FORBIDDEN', 'Resource not accessible by integration');
    throw error;
  }
}

function branchRepository(ctx: GraphqlContext, branch: CreateCommitOnBranchInput['branch']): HostedRepo {
  if (branch.repositoryNameWithOwner) {
    const [owner = '', name = ''] = branch.repositoryNameWithOwner.split('/');
    return visibleRepository(ctx, owner, name);
  }
  const node = branch.id ? findNode(ctx, branch.id) : null;
  if (node?.__typename === 'Repository') return node.repo;
  throw new GitHubGraphqlError(
    'NOT_FOUND',
    `Could not resolve to a node with the global id of '${branch.id ?? ''}'`,
  );
}

async function createCommitOnBranch(input: CreateCommitOnBranchInput, ctx: GraphqlContext) {
  const repo = branchRepository(ctx, input.branch);
  requirePermission(ctx, repo, 'contents', 'write');
  const branchName = (input.branch.branchName ?? '').replace(/^refs\/heads\//, '');
  const ref = `refs/heads/${branchName}`;
  return repo.serialize(async () => {
    const head = await repo.git.revParse(ref);
    if (!head) throw new GitHubGraphqlError('NOT_FOUND', `Could not resolve to a Ref named '${ref}'.`);
    if (head !== input.expectedHeadOid) {
      throw staleData(input.expectedHeadOid);
    }
    const baseTree = (await repo.git.readCommit(head)).tree;
    const changes: TreeChange[] = [];
    for (const deletion of input.fileChanges?.deletions ?? []) {
      if (!(await entryAtPath(repo.git, baseTree, deletion.path))) {
        throw new GitHubGraphqlError(
          'UNPROCESSABLE',
          `A path was requested for deletion which does not exist as of commit oid \`${head}\``,
        );
      }
      changes.push({ path: deletion.path, delete: true });
    }
    for (const addition of input.fileChanges?.additions ?? []) {
      changes.push({ path: addition.path, content: Buffer.from(addition.contents, 'base64') });
    }
    const tree = await writeTreeWithChanges(repo.git, baseTree, changes);
    const body = input.message.body ? `\n\n${input.message.body}` : '';
    const oid = await repo.git.writeCommit({
      tree,
      parents: [head],
      message: `${input.message.headline}${body}`,
      author: { name: PR_AUTHOR, email: `${PR_AUTHOR}@users.noreply.github.com` },
      committer: { name: 'GitHub', email: 'noreply@github.com' },
    });
    if (!(await repo.git.compareAndSwapRef(ref, oid, head))) {
      throw staleData(input.expectedHeadOid);
    }
    const record = await repo.git.readRef(ref);
    return {
      clientMutationId: input.clientMutationId ?? null,
      commit: objectNode(repo, oid, 'commit'),
      ref: record ? refNode(repo, record, 'refs/heads/') : null,
    };
  });
}

export const mutationResolvers: Resolvers = {
  Mutation: {
    createCommitOnBranch: (_root: unknown, args: { input: CreateCommitOnBranchInput }, ctx: GraphqlContext) =>
      createCommitOnBranch(args.input, ctx),
    enablePullRequestAutoMerge: async (
      _root: unknown,
      args: {
        input: {
          pullRequestId: string;
          mergeMethod?: 'MERGE' | 'SQUASH' | 'REBASE';
          clientMutationId?: string;
        };
      },
      ctx: GraphqlContext,
    ) => {
      const node = findNode(ctx, args.input.pullRequestId);
      if (node?.__typename !== 'PullRequest') {
        throw new GitHubGraphqlError(
          'NOT_FOUND',
          `Could not resolve to a node with the global id of '${args.input.pullRequestId}'`,
        );
      }
      requirePermission(ctx, node.repo, 'pull_requests', 'write');
      node.pr.autoMerge = { mergeMethod: args.input.mergeMethod ?? 'MERGE' };
      return { clientMutationId: args.input.clientMutationId ?? null, pullRequest: node, actor: null };
    },
  },
};
