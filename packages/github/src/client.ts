/**
 * The one GitHub client: octokit with the throttling plugin (primary and
 * secondary rate limits: it waits for `retry-after` or the reset time, and
 * spaces writes and GraphQL requests as GitHub asks) and the retry plugin (5xx
 * and no response, growing waits), the endpoints decided once from the runner,
 * a proxy-aware fetch with a per-request timeout, and typed errors.
 *
 * Waits are bounded: a rate-limit wait longer than `maxRateLimitWaitMs`, or
 * more than `rateLimitRetries` of them, ends the call with a
 * GitHubRateLimitError instead. A 429 that names no secondary limit (which the
 * throttling plugin passes through) is retried after its `retry-after` here.
 */
import { Octokit } from '@octokit/core';
import { retry as retryPlugin } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';
import { retryAfterMs, statusOf } from '@slipway/core';
import { githubEndpoints, type GitHubEndpoints } from './endpoints.ts';
import { toGitHubError, type GraphqlError } from './errors.ts';
import { proxyAwareFetch } from './proxy-fetch.ts';

export interface GitHubClient {
  /** `octokit.request(route, params)`, answering the response data. */
  rest<T>(route: string, params?: Record<string, unknown>): Promise<T>;
  /** A GraphQL query or mutation; GraphQL errors are thrown (as typed errors carrying `errors`). */
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export interface GraphqlResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphqlError[];
}

export interface GitHub extends GitHubClient {
  readonly octokit: Octokit;
  readonly endpoints: GitHubEndpoints;
  /** The GraphQL answer with its `errors` (partial data kept), for queries where some parts may not exist. */
  graphqlResponse(query: string, variables?: Record<string, unknown>): Promise<GraphqlResponse>;
  /** Requests sent so far, retries included. */
  requests(): number;
}

export interface GitHubOptions {
  token: string;
  /** Default: from the runner's environment (`githubEndpoints`). */
  endpoints?: GitHubEndpoints;
  /** Per request, from send to response headers (default 30 s). */
  timeoutMs?: number;
  /** Retries of a 5xx or a request without response (default 3). */
  retries?: number;
  /** Rate-limit waits per request (default 3). */
  rateLimitRetries?: number;
  /** A rate-limit wait longer than this is not made (default 5 minutes). */
  maxRateLimitWaitMs?: number;
  /** Length of the `retry-after` unit; 1000 (a second) but in tests. */
  retryAfterUnitMs?: number;
  /**
   * Spacing of writes/GraphQL and of notification-triggering writes, and requests in flight at once
   * (default 1 s, 3 s and 10, the throttling plugin's: what GitHub asks of an integration).
   */
  spacing?: { writeMs: number; notificationMs: number; maxConcurrent?: number };
  userAgent?: string;
  log?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const SlipwayOctokit = Octokit.plugin(throttling, retryPlugin);

export function createGitHub(options: GitHubOptions): GitHub {
  const endpoints = options.endpoints ?? githubEndpoints();
  const unit = options.retryAfterUnitMs ?? 1000;
  const rateLimitRetries = options.rateLimitRetries ?? 3;
  const maxWaitMs = options.maxRateLimitWaitMs ?? 300_000;
  const log = options.log ?? (() => undefined);
  const sleep = options.sleep ?? realSleep;
  const userAgent = options.userAgent ?? 'slipway';
  const onLimit =
    (kind: string) =>
    (after: number, request: { method?: string; url?: string }, _o: unknown, count: number) => {
      const waitMs = after * 1000;
      const go = count < rateLimitRetries && waitMs <= maxWaitMs;
      log(
        go
          ? `GitHub ${kind} rate limit on ${request.method ?? ''} ${request.url ?? ''}; retrying in ${after} s`
          : `GitHub ${kind} rate limit on ${request.method ?? ''} ${request.url ?? ''}; not waiting ${after} s (${count} retries made)`,
      );
      return go;
    };
  const spacing = options.spacing
    ? {
        write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.spacing.writeMs }),
        notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.spacing.notificationMs }),
        // not in the plugin's option types, but read like `write`: state.global ?? its own group
        ...(options.spacing.maxConcurrent
          ? { global: new Bottleneck.Group({ maxConcurrent: options.spacing.maxConcurrent }) }
          : {}),
      }
    : {};
  let sent = 0;
  const octokit = new SlipwayOctokit({
    auth: options.token,
    baseUrl: endpoints.apiUrl,
    userAgent,
    request: {
      fetch: proxyAwareFetch(options.timeoutMs ?? 30_000, userAgent, {
        sent: () => {
          sent++;
        },
        failed: (method, url, reason) => log(`GitHub ${method} ${url}: ${reason}`),
      }),
    },
    throttle: {
      retryAfterBaseValue: unit,
      ...spacing,
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
    },
    // 429 is ours below: the retry plugin would wait 1, 4, 9 s whatever retry-after says
    retry: {
      retries: options.retries ?? 3,
      retryAfterBaseValue: unit,
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
  });
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let count = 0; ; count++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const headers = headersOf(error);
        // the throttling plugin handled (and gave up on) secondary and primary limits already
        const throttled =
          /secondary rate/i.test(String((error as Error).message)) ||
          headers['x-ratelimit-remaining'] === '0';
        if (statusOf(error) !== 429 || throttled) throw error;
        const after = retryAfterMs(headers);
        const waitMs = after === undefined ? 60_000 : after;
        if (count >= rateLimitRetries || waitMs > maxWaitMs) throw error;
        log(
          `GitHub answered 429 to ${requestOptions.method} ${requestOptions.url}; retrying in ${waitMs / 1000} s`,
        );
        await sleep((waitMs / 1000) * unit);
      }
    }
  });

  const method = (route: string) => route.split(' ')[0] ?? '';
  return {
    octokit,
    endpoints,
    requests: () => sent,
    rest: async <T>(route: string, params: Record<string, unknown> = {}) => {
      try {
        return (await octokit.request(route, params)).data as T;
      } catch (error) {
        throw toGitHubError(`GitHub ${method(route)} request`, error);
      }
    },
    graphql: async <T>(query: string, variables: Record<string, unknown> = {}) => {
      try {
        // the object form: `url` is an option there, not a variable
        return (await octokit.graphql({ ...variables, query, ...graphqlTarget(endpoints.graphqlUrl) })) as T;
      } catch (error) {
        throw toGitHubError('GitHub GraphQL request', error);
      }
    },
    graphqlResponse: async (query: string, variables: Record<string, unknown> = {}) => {
      try {
        const response = await octokit.request({
          method: 'POST',
          ...graphqlTarget(endpoints.graphqlUrl),
          query,
          variables,
        });
        return response.data as GraphqlResponse;
      } catch (error) {
        throw toGitHubError('GitHub GraphQL request', error);
      }
    },
  };
}

/**
 * The GraphQL endpoint as octokit options. The throttling plugin knows a GraphQL request by its
 * path starting with /graphql (to retry a RATE_LIMITED answer and its non-401 failures), and sees
 * the path before the base URL is joined: GHES's absolute https://<host>/api/graphql looked like
 * an ordinary write. So an endpoint ending in /graphql is sent as base URL + '/graphql'.
 */
function graphqlTarget(graphqlUrl: string): { baseUrl?: string; url: string } {
  const url = new URL(graphqlUrl);
  if (!url.search && url.pathname.endsWith('/graphql'))
    return { baseUrl: graphqlUrl.slice(0, -'/graphql'.length), url: '/graphql' };
  return { url: graphqlUrl };
}

function headersOf(error: unknown): Record<string, string> {
  const raw = (error as { response?: { headers?: Record<string, unknown> } })?.response?.headers ?? {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw))
    if (value !== undefined && value !== null) out[name.toLowerCase()] = String(value);
  return out;
}
