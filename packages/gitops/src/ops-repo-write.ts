/**
 * Writing to the ops repository without a clone: branch refs through REST, the
 * commit through GraphQL `createCommitOnBranch` (signed by GitHub, so it shows as
 * Verified) guarded by `expectedHeadOid`, and, where that mutation does not exist
 * (older GHES), the REST Git Data API: one tree with inline contents on top of
 * the base tree, one commit, one ref update with `force: false`.
 */
import type { GitHubClient } from '@slipway/github';
import { graphqlErrors } from '@slipway/github';
import { BranchMovedError, explainApiError, isBranchMoved } from './github-errors.ts';

export interface RepoCoordinates {
  owner: string;
  repo: string;
}

export interface FileWrite {
  path: string;
  text: string;
  /** Git mode of the existing file (kept). */
  mode: string;
}

export interface CommitRequest extends RepoCoordinates {
  branch: string;
  expectedHeadOid: string;
  /** Tree of the expected head commit (for the REST fallback). */
  baseTreeOid: string;
  headline: string;
  body: string;
  files: readonly FileWrite[];
}

export interface CommitResult {
  oid: string;
  url: string;
  /** Which API made the commit. */
  via: 'graphql' | 'rest';
}

const COMMIT_MUTATION = `mutation ($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid url } }
}`;

const slugOf = (r: RepoCoordinates) => `${r.owner}/${r.repo}`;

/** True when the server has no `createCommitOnBranch` mutation (GHES before 3.6). */
export function isMissingCommitMutation(error: unknown): boolean {
  return graphqlErrors(error).some(
    (e) =>
      /createCommitOnBranch/.test(e.message) &&
      /doesn't exist|does not exist|undefined|unknown/i.test(e.message),
  );
}

export async function commitFiles(
  client: GitHubClient,
  request: CommitRequest,
  options: { preferRest?: boolean } = {},
): Promise<CommitResult> {
  if (!options.preferRest) {
    try {
      const data = await client.graphql<{ createCommitOnBranch: { commit: { oid: string; url: string } } }>(
        COMMIT_MUTATION,
        {
          input: {
            branch: { repositoryNameWithOwner: slugOf(request), branchName: request.branch },
            expectedHeadOid: request.expectedHeadOid,
            message: { headline: request.headline, ...(request.body ? { body: request.body } : {}) },
            fileChanges: {
              additions: request.files.map((f) => ({
                path: f.path,
                contents: Buffer.from(f.text, 'utf8').toString('base64'),
              })),
            },
          },
        },
      );
      return { ...data.createCommitOnBranch.commit, via: 'graphql' };
    } catch (error) {
      if (isBranchMoved(error)) throw new BranchMovedError(`${request.branch} moved`, { cause: error });
      if (!isMissingCommitMutation(error)) throw explainApiError(error, 'commit', slugOf(request));
    }
  }
  return commitWithGitData(client, request);
}

async function commitWithGitData(client: GitHubClient, request: CommitRequest): Promise<CommitResult> {
  const base = `/repos/${request.owner}/${request.repo}`;
  try {
    const tree = await client.rest<{ sha: string }>(`POST ${base}/git/trees`, {
      base_tree: request.baseTreeOid,
      tree: request.files.map((f) => ({ path: f.path, mode: f.mode, type: 'blob', content: f.text })),
    });
    const message = request.body ? `${request.headline}\n\n${request.body}` : request.headline;
    const commit = await client.rest<{ sha: string; html_url: string }>(`POST ${base}/git/commits`, {
      message,
      tree: tree.sha,
      parents: [request.expectedHeadOid],
    });
    await client.rest(`PATCH ${base}/git/refs/heads/${encodeRef(request.branch)}`, {
      sha: commit.sha,
      force: false,
    });
    return { oid: commit.sha, url: commit.html_url, via: 'rest' };
  } catch (error) {
    if (isBranchMoved(error)) throw new BranchMovedError(`${request.branch} moved`, { cause: error });
    throw explainApiError(error, 'commit', slugOf(request));
  }
}

/** Creates `refs/heads/<branch>` at `oid`; a branch created meanwhile by another run is a BranchMovedError. */
export async function createBranch(
  client: GitHubClient,
  target: RepoCoordinates & { branch: string; oid: string },
): Promise<void> {
  try {
    await client.rest(`POST /repos/${target.owner}/${target.repo}/git/refs`, {
      ref: `refs/heads/${target.branch}`,
      sha: target.oid,
    });
  } catch (error) {
    if (isBranchMoved(error))
      throw new BranchMovedError(`${target.branch} was created meanwhile`, { cause: error });
    throw explainApiError(error, 'branch', slugOf(target));
  }
}

/** Points a leftover bump branch (its pull request was closed or merged) back at the base head. */
export async function resetBranch(
  client: GitHubClient,
  target: RepoCoordinates & { branch: string; oid: string },
): Promise<void> {
  try {
    await client.rest(
      `PATCH /repos/${target.owner}/${target.repo}/git/refs/heads/${encodeRef(target.branch)}`,
      {
        sha: target.oid,
        force: true,
      },
    );
  } catch (error) {
    throw explainApiError(error, 'branch', slugOf(target));
  }
}

/** Branch names keep their slashes in the ref path; every other reserved character is encoded. */
function encodeRef(branch: string): string {
  return branch.split('/').map(encodeURIComponent).join('/');
}
