/**
 * Test fixture: the actions' GitHub client on the GitHub double, without retries or write
 * spacing, and with room for races of more than the plugin's 10 requests in flight.
 */
import { createGitHub, endpointsFor, type GitHub, type GitHubOptions } from '@slipway/github';
import type { GitHubDouble } from './index.ts';

export function clientOnDouble(double: GitHubDouble, options: Partial<GitHubOptions> = {}): GitHub {
  return createGitHub({
    token: 't',
    endpoints: endpointsFor(double.url, { graphqlUrl: double.graphqlUrl, serverUrl: double.serverUrl }),
    retries: 0,
    spacing: { writeMs: 0, notificationMs: 0, maxConcurrent: 64 },
    ...options,
  });
}
