/**
 * The files a pull request changes, from `GET pulls/{n}/files` (no clone).
 * GitHub lists at most 3000 files; a list that reaches the cap may be missing
 * some, so it is reported as incomplete and the caller plans every root.
 */
import type { GitHubClient } from '@slipway/github';
import { explainApiError } from '@slipway/gitops';

/** GitHub's documented maximum for the pull request files list. */
export const PULL_FILES_LIMIT = 3000;
const PER_PAGE = 100;

export interface ChangedFile {
  path: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  /** The old path of a renamed file. */
  previousPath?: string;
}

export interface ChangedFiles {
  files: ChangedFile[];
  /** False when the list reached GitHub's cap and may be missing files. */
  complete: boolean;
}

interface DiffEntry {
  filename: string;
  status: ChangedFile['status'];
  previous_filename?: string;
}

export async function listPullRequestFiles(
  client: GitHubClient,
  coordinates: { owner: string; repo: string },
  pullNumber: number,
): Promise<ChangedFiles> {
  const { owner, repo } = coordinates;
  const files: ChangedFile[] = [];
  for (let page = 1; page <= PULL_FILES_LIMIT / PER_PAGE; page += 1) {
    const entries = await client
      .rest<DiffEntry[]>(`GET /repos/${owner}/${repo}/pulls/${pullNumber}/files`, {
        per_page: PER_PAGE,
        page,
      })
      .catch((error: unknown) => {
        throw explainApiError(error, 'read', `${owner}/${repo}`);
      });
    for (const e of entries) {
      files.push({
        path: e.filename,
        status: e.status,
        ...(e.previous_filename !== undefined ? { previousPath: e.previous_filename } : {}),
      });
    }
    if (entries.length < PER_PAGE) break;
  }
  return { files, complete: files.length < PULL_FILES_LIMIT };
}
