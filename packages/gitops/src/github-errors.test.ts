import { describe, expect, it } from 'vitest';
import { UserError } from '@slipway/core';
import { toGitHubError } from '@slipway/github';
import { BranchMovedError, explainApiError, isBranchMoved } from './github-errors.ts';

/** The shape @octokit/request-error gives a failed REST call. */
const restError = (status: number, message: string, headers: Record<string, string> = {}) => ({
  status,
  message,
  response: { status, headers, data: { message, documentation_url: 'https://docs.github.com/rest' } },
});

describe('isBranchMoved', () => {
  it.each([
    [restError(422, 'Update is not a fast forward'), true],
    [restError(422, 'Reference already exists'), true],
    [restError(409, 'apps/web/kustomization.yaml does not match 3f2a9c1'), true],
    [{ errors: [{ type: 'STALE_DATA', message: 'Expected branch to point to "abc" but it did not' }] }, true],
    [new BranchMovedError('moved'), true],
    [restError(422, 'Validation Failed'), false],
    [restError(409, 'Git Repository is empty.'), false],
    // as the GitHub client throws them
    [toGitHubError('GitHub POST request', restError(422, 'Reference already exists')), true],
    [toGitHubError('GitHub PATCH request', restError(422, 'Validation Failed')), false],
  ])('%#', (error, moved) => {
    expect(isBranchMoved(error)).toBe(moved);
  });
});

describe('explainApiError', () => {
  it('names the missing permission, the repository and the step', () => {
    // the typed error the GitHub client throws (a UserError in generic words) is worded for the step
    const denied = explainApiError(
      toGitHubError('GitHub POST request', restError(403, 'Resource not accessible by integration')),
      'commit',
      'acme/ops',
    );
    expect(denied).toBeInstanceOf(UserError);
    expect((denied as UserError).message).toBe(
      'The token may not commit to acme/ops (403: Resource not accessible by integration). It needs `contents: write` on acme/ops.',
    );
    expect((denied as UserError).hint).toContain('GITHUB_TOKEN only reaches the repository it runs in');
    const actions = explainApiError(
      restError(403, 'GitHub Actions is not permitted to create or approve pull requests.'),
      'pull-request',
      'acme/ops',
    ) as UserError;
    expect(actions.hint).toContain('Allow GitHub Actions to create and approve pull requests');
    expect(
      (explainApiError(restError(401, 'Bad credentials'), 'read', 'acme/ops') as UserError).message,
    ).toBe('GitHub rejected the token (401 Bad credentials) while trying to read acme/ops.');
    const plain = new Error('socket hang up');
    expect(explainApiError(plain, 'read', 'acme/ops')).toBe(plain);
  });
});
