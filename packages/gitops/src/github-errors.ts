/**
 * Turning GitHub API failures into what the user must do: which token permission
 * is missing for which step, and which failures only mean "the branch moved under
 * us" (re-read and retry).
 */
import { UserError, statusOf } from '@slipway/core';
import { GitHubError, apiMessage, graphqlErrors } from '@slipway/github';

export type ApiStep = 'read' | 'branch' | 'commit' | 'pull-request' | 'labels' | 'assignees' | 'reviewers';

const NEEDS: Record<ApiStep, string> = {
  read: '`contents: read`',
  branch: '`contents: write`',
  commit: '`contents: write`',
  'pull-request': '`pull-requests: write`',
  labels: '`pull-requests: write` (or `issues: write`)',
  assignees: '`pull-requests: write` (or `issues: write`)',
  reviewers: '`pull-requests: write`',
};

/** The branch (or the PR for it) changed between our read and our write. */
export class BranchMovedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BranchMovedError';
  }
}

/** True for the answers GitHub gives when a ref is not where we expected it. */
export function isBranchMoved(error: unknown): boolean {
  if (error instanceof BranchMovedError) return true;
  if (graphqlErrors(error).some((e) => e.type === 'STALE_DATA')) return true;
  const status = statusOf(error);
  const message = apiMessage(error);
  if (status === 422 && /not a fast.forward|Reference already exists|Reference does not exist/i.test(message))
    return true;
  if (status === 409 && /does not match/i.test(message)) return true;
  return false;
}

/**
 * A UserError for permission and not-found failures, naming the repository, the
 * step and the permission the token lacks; any other error is returned unchanged.
 */
export function explainApiError(error: unknown, step: ApiStep, repository: string): unknown {
  // a GitHubError is a UserError too, but its words are generic: name the step and the permission
  if (error instanceof UserError && !(error instanceof GitHubError)) return error;
  const status = statusOf(error);
  const types = graphqlErrors(error).map((e) => e.type);
  const message = apiMessage(error);
  const tokenHint =
    'The workflow GITHUB_TOKEN only reaches the repository it runs in; for another repository pass a fine-grained PAT or GitHub App token as the `token` input.';
  if (status === 401) {
    return new UserError(
      `GitHub rejected the token (401 ${message}) while trying to ${verb(step)} ${repository}.`,
      {
        hint: 'The token is invalid or expired; mint a new one.',
      },
    );
  }
  if (status === 403 || types.includes('FORBIDDEN')) {
    if (/not permitted to create or approve pull requests/i.test(message)) {
      return new UserError(`GitHub Actions may not open pull requests in ${repository}: ${message}`, {
        hint: 'Enable "Allow GitHub Actions to create and approve pull requests" in the repository or organization settings, or use a GitHub App token.',
      });
    }
    return new UserError(
      `The token may not ${verb(step)} ${repository} (403: ${message}). It needs ${NEEDS[step]} on ${repository}.`,
      { hint: tokenHint },
    );
  }
  if (status === 404 || types.includes('NOT_FOUND')) {
    return new UserError(
      `${repository} was not found while trying to ${verb(step)} it (404: ${message}): it does not exist, or the token cannot see it. The token needs ${NEEDS[step]} on ${repository}.`,
      { hint: tokenHint },
    );
  }
  if (status === 422 && step === 'reviewers') {
    return new UserError(`Could not request reviewers on the pull request in ${repository}: ${message}`, {
      hint: 'Reviewers must be collaborators of the repository; teams are given as slugs without the organization.',
    });
  }
  return error;
}

function verb(step: ApiStep): string {
  switch (step) {
    case 'read':
      return 'read';
    case 'branch':
      return 'create or update a branch in';
    case 'commit':
      return 'commit to';
    case 'pull-request':
      return 'open or update a pull request in';
    case 'labels':
      return 'add labels in';
    case 'assignees':
      return 'assign the pull request in';
    case 'reviewers':
      return 'request reviewers in';
  }
}
