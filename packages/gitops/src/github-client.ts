/**
 * @deprecated Superseded by @slipway/github `createGitHub`; kept only while
 * packages/terraform and the tf-plan/tf-apply actions still build their client
 * from an octokit (removed with their conversion).
 */
import {
  classifyTransient,
  octokitNoResponseError,
  retry,
  statusOf,
  type RetryDecision,
  type RetryOptions,
} from '@slipway/core';
import { graphqlErrors, type GitHubClient } from '@slipway/github';

export interface OctokitLike {
  request(route: string, params?: Record<string, unknown>): Promise<{ data: unknown }>;
  graphql(request: Record<string, unknown>): Promise<unknown>;
}

export interface GitHubClientOptions {
  /** GITHUB_GRAPHQL_URL; octokit derives it from the REST base URL when absent. */
  graphqlUrl?: string;
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  now?: () => number;
}

function header(error: unknown, name: string): string | undefined {
  const e = error as { response?: { headers?: Record<string, unknown> }; headers?: Record<string, unknown> };
  const value = e?.response?.headers?.[name] ?? e?.headers?.[name];
  return value === undefined || value === null ? undefined : String(value);
}

function messageOf(error: unknown): string {
  const e = error as { response?: { data?: { message?: unknown } }; message?: unknown };
  const data = e?.response?.data?.message;
  return typeof data === 'string' ? data : typeof e?.message === 'string' ? e.message : '';
}

/**
 * Retry decision for GitHub: rate limits wait for `retry-after` or the reset time;
 * a secondary rate limit without either waits a minute, as GitHub asks.
 */
export function classifyGitHubError(error: unknown, now: () => number = Date.now): RetryDecision {
  const status = statusOf(error);
  const retryAfter = header(error, 'retry-after');
  if ((status === 403 || status === 429) && retryAfter !== undefined && /^\d+$/.test(retryAfter)) {
    return { retry: true, afterMs: Number(retryAfter) * 1000 };
  }
  if ((status === 403 || status === 429) && header(error, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(error, 'x-ratelimit-reset'));
    return {
      retry: true,
      afterMs: Number.isFinite(reset) ? Math.max(0, reset * 1000 - now()) + 1000 : 60_000,
    };
  }
  if ((status === 403 || status === 429) && /secondary rate limit/i.test(messageOf(error))) {
    return { retry: true, afterMs: 60_000 };
  }
  if (graphqlErrors(error).some((e) => e.type === 'RATE_LIMITED')) return { retry: true, afterMs: 60_000 };
  return classifyTransient(error);
}

export function createGitHubClient(octokit: OctokitLike, options: GitHubClientOptions = {}): GitHubClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const now = options.now ?? Date.now;
  const retryOptions: Partial<RetryOptions> = {
    maxAttempts: 6,
    totalTimeoutMs: 180_000,
    ...options.retry,
    classify: (error) => classifyGitHubError(error, now),
  };
  const explained = (what: string) => (error: unknown) => {
    throw octokitNoResponseError(what, error) ?? error;
  };
  return {
    rest: <T>(route: string, params: Record<string, unknown> = {}) =>
      retry(async () => {
        const response = await octokit.request(route, {
          ...params,
          request: { signal: AbortSignal.timeout(timeoutMs) },
        });
        return response.data as T;
      }, retryOptions).catch(explained(`GitHub ${route.split(' ')[0] ?? ''} request`)),
    graphql: <T>(query: string, variables: Record<string, unknown> = {}) =>
      retry(
        async () =>
          // the object form: `url` (GITHUB_GRAPHQL_URL) is an option there, not a variable
          (await octokit.graphql({
            ...variables,
            query,
            ...(options.graphqlUrl ? { url: options.graphqlUrl } : {}),
            request: { signal: AbortSignal.timeout(timeoutMs) },
          })) as T,
        retryOptions,
      ).catch(explained('GitHub GraphQL request')),
  };
}
