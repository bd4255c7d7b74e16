/** REST JSON for commits (`commit` schema) and git users. */
import type { ParsedCommit, GitSignature } from '../git/object-parsers.ts';
import type { HostedRepo } from '../repo-store.ts';
import { nodeIdFor } from '../repo-store.ts';
import type { DoubleState } from '../rest-route.ts';
import { repoApiUrl, repoHtmlUrl } from './repository-shape.ts';

export function gitUserJson(signature: GitSignature): Record<string, unknown> {
  return { name: signature.name, email: signature.email, date: signature.date };
}

export const UNSIGNED = {
  verified: false,
  reason: 'unsigned',
  signature: null,
  payload: null,
  verified_at: null,
};

/** The `commit` schema as GET /repos/{owner}/{repo}/commits/{ref} returns it (files omitted). */
export function commitJson(
  state: DoubleState,
  repo: HostedRepo,
  commit: ParsedCommit,
): Record<string, unknown> {
  const api = repoApiUrl(state, repo);
  const html = repoHtmlUrl(state, repo);
  return {
    sha: commit.oid,
    node_id: nodeIdFor('C', commit.oid),
    url: `${api}/commits/${commit.oid}`,
    html_url: `${html}/commit/${commit.oid}`,
    comments_url: `${api}/commits/${commit.oid}/comments`,
    commit: {
      url: `${api}/git/commits/${commit.oid}`,
      author: gitUserJson(commit.author),
      committer: gitUserJson(commit.committer),
      message: commit.message.replace(/\n$/, ''),
      comment_count: 0,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      verification: UNSIGNED,
    },
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: `${html}/commit/${sha}`,
    })),
  };
}
