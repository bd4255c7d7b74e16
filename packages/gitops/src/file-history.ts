/**
 * One file's history in the ops repository through GitHub's REST API: the
 * commits that touched it on a branch (`GET /repos/{o}/{r}/commits?path=`,
 * newest first, like `git log -- <file>`) and its text at each of them
 * (`GET /repos/{o}/{r}/contents/{path}?ref=`). Input for findRollbackTarget.
 */
import { UserError, statusOf } from '@slipway/core';
import type { GitHubClient } from '@slipway/github';
import type { FileAtCommit } from './rollback-target.ts';

export interface FileHistoryRequest {
  owner: string;
  repo: string;
  /** Branch, tag or commit to start from; undefined: the default branch. */
  ref?: string;
  path: string;
  /** Most commits to read (one page, at most 100). */
  limit: number;
  /** Stop reading the file at older commits once this is true of what was read (newest first). */
  until?: (history: readonly FileAtCommit[]) => boolean;
}

interface CommitListItem {
  sha: string;
}

interface ContentFile {
  type: string;
  encoding?: string;
  content?: string;
}

export async function readFileHistory(
  client: GitHubClient,
  request: FileHistoryRequest,
): Promise<FileAtCommit[]> {
  const { owner, repo, ref, path } = request;
  const limit = Math.min(100, Math.max(1, Math.floor(request.limit)));
  let commits: CommitListItem[];
  try {
    commits = await client.rest<CommitListItem[]>('GET /repos/{owner}/{repo}/commits', {
      owner,
      repo,
      ...(ref ? { sha: ref } : {}),
      path,
      per_page: limit,
    });
  } catch (error) {
    if (statusOf(error) === 404 || statusOf(error) === 409)
      throw new UserError(
        `${owner}/${repo} has no branch or commit '${ref ?? 'default branch'}' (or the token cannot read it).`,
        {
          cause: error,
          hint: 'Check the ops repository, its branch, and that the token has contents: read on it.',
        },
      );
    throw error;
  }
  const history: FileAtCommit[] = [];
  // sequential, stopping at `until`: the caller usually needs only the first few, and GitHub counts each request
  for (const commit of commits) {
    history.push({ commit: commit.sha, text: await readAt(client, request, commit.sha) });
    if (request.until?.(history)) break;
  }
  return history;
}

async function readAt(
  client: GitHubClient,
  request: FileHistoryRequest,
  commit: string,
): Promise<string | undefined> {
  try {
    const file = await client.rest<ContentFile>('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: request.owner,
      repo: request.repo,
      path: request.path,
      ref: commit,
    });
    if (file.type !== 'file' || file.encoding !== 'base64' || file.content === undefined)
      throw new UserError(`${request.path} at ${commit.slice(0, 12)} is not a file.`);
    return Buffer.from(file.content, 'base64').toString('utf8');
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}
