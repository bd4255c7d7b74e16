import { describe, expect, it } from 'vitest';
import { Octokit } from '@octokit/core';
import { NO_RESPONSE_HINT, UserError } from '@slipway/core';
import { createGitHubClient } from './github-client.ts';

describe('createGitHubClient: no response', () => {
  const octokit = new Octokit({ auth: 'ghs_test', baseUrl: 'http://api.nowhere.invalid' });
  const client = createGitHubClient(octokit, { retry: { maxAttempts: 1 } });
  const failureOf = (call: Promise<unknown>) =>
    call.then(
      () => undefined,
      (error: unknown) => error,
    );

  it('names the REST URL and the network error (a user-fixable failure, not a bug)', async () => {
    const error = await failureOf(client.rest('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'ops' }));
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(
      /^GitHub GET request to http:\/\/api\.nowhere\.invalid\/repos\/acme\/ops got no response: getaddrinfo (ENOTFOUND|EAI_AGAIN) api\.nowhere\.invalid$/,
    );
    expect((error as UserError).hint).toBe(NO_RESPONSE_HINT);
  });

  it('names the GraphQL URL', async () => {
    const error = await failureOf(client.graphql('query { viewer { login } }'));
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(
      /^GitHub GraphQL request to http:\/\/api\.nowhere\.invalid\/graphql got no response: getaddrinfo /,
    );
  });
});
