/**
 * "A descendant of the bumped commit" through the GitHub API: the ops repository's
 * compare of `expected...candidate` says `ahead` (or `identical`) when the
 * candidate contains the expected commit, e.g. a later bump merged before Argo CD
 * synced. Only commits of the ops repository are compared.
 */
import { statusOf } from '@slipway/core';
import type { GitHubClient } from '@slipway/github';

export function descendantCheck(
  github: GitHubClient,
  owner: string,
  repo: string,
  expected: string,
): (candidate: string) => Promise<boolean> {
  return async (candidate) => {
    try {
      const comparison = await github.rest<{ status?: string }>(
        'GET /repos/{owner}/{repo}/compare/{basehead}',
        {
          owner,
          repo,
          basehead: `${expected}...${candidate}`,
          per_page: 1,
        },
      );
      return comparison.status === 'ahead' || comparison.status === 'identical';
    } catch (error) {
      // an unknown commit (another repository's, a force-pushed one) is not a descendant
      if (statusOf(error) === 404) return false;
      throw error;
    }
  };
}
