/**
 * The GitHub calls pin-check makes: a GraphQL query, and the REST compare and
 * release-by-tag endpoints. Built on octokit through @actions/github (proxy aware), with the
 * throttling plugin for primary and secondary rate limits (it honours
 * `retry-after` and the reset headers) and @slipway/core `retry` for 5xx and
 * network failures, under a total time cap. Every request has a timeout.
 */
import { getOctokit } from '@actions/github';
import { defaults as githubDefaults } from '@actions/github/lib/utils';
import { throttling } from '@octokit/plugin-throttling';
import {
  octokitNoResponse,
  octokitNoResponseError,
  retry,
  UserError,
  statusOf,
  type RetryOptions,
  githubApiUrl,
} from '@slipway/core';
import { CouldNotVerifyError } from './could-not-verify.ts';

export interface GraphqlResponse {
  data?: Record<string, unknown> | null;
  errors?: { type?: string; message: string; path?: (string | number)[] }[];
}

export type CompareStatus = 'ahead' | 'behind' | 'identical' | 'diverged';

export interface GitHubApi {
  graphql(query: string, variables: Record<string, unknown>): Promise<GraphqlResponse>;
  /** `GET /repos/{owner}/{repo}/compare/{base}...{head}`; undefined when GitHub answers 404. */
  compare(owner: string, repo: string, base: string, head: string): Promise<CompareStatus | undefined>;
  /**
   * `GET /repos/{owner}/{repo}/releases/tags/{tag}`: the published release of a tag, with its
   * `immutable` flag (absent on a server that predates immutable releases); undefined on 404.
   */
  releaseByTag(owner: string, repo: string, tag: string): Promise<{ immutable?: boolean } | undefined>;
}

export interface GitHubApiOptions {
  token: string;
  /** REST base, `GITHUB_API_URL` (https://api.github.com or https://ghes/api/v3). */
  apiUrl: string;
  /** `GITHUB_GRAPHQL_URL`; derived from apiUrl when absent. */
  graphqlUrl?: string;
  /**
   * Where apiUrl came from, named in the hints of network errors so the user checks the right
   * setting: the CLI's `--api-url` flag, or by default the `GITHUB_API_URL` variable.
   */
  apiUrlSource?: string;
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** Replaces fetch (tests); by default @actions/github's proxy-aware fetch. */
  fetch?: typeof fetch;
  /** Rate-limit retries the throttling plugin may make per request. */
  rateLimitRetries?: number;
  log?: (message: string) => void;
}

/** The GraphQL endpoint GitHub uses for a REST base: /graphql on github.com, /api/graphql on GHES. */
export function graphqlUrlFor(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, '');
  return base.endsWith('/api/v3') ? `${base.slice(0, -'/v3'.length)}/graphql` : `${base}/graphql`;
}

/** Reads API endpoints from the runner's environment. */
export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): {
  apiUrl: string;
  graphqlUrl: string;
} {
  const apiUrl = githubApiUrl(env);
  return { apiUrl, graphqlUrl: env.GITHUB_GRAPHQL_URL?.trim() || graphqlUrlFor(apiUrl) };
}

export function createGitHubApi(options: GitHubApiOptions): GitHubApi {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const rateLimitRetries = options.rateLimitRetries ?? 3;
  const log = options.log ?? (() => {});
  const octokit = getOctokit(
    options.token,
    {
      baseUrl: options.apiUrl.replace(/\/+$/, ''),
      request: { fetch: fetchWithTimeout(options.fetch ?? proxyAwareFetch(), timeoutMs) },
      throttle: {
        onRateLimit: (after: number, _o: unknown, _k: unknown, count: number) => {
          log(`GitHub rate limit reached; retrying in ${after}s`);
          return count < rateLimitRetries;
        },
        onSecondaryRateLimit: (after: number, _o: unknown, _k: unknown, count: number) => {
          log(`GitHub secondary rate limit reached; retrying in ${after}s`);
          return count < rateLimitRetries;
        },
      },
    } as Parameters<typeof getOctokit>[1],
    throttling,
  );
  const graphqlUrl = options.graphqlUrl ?? graphqlUrlFor(options.apiUrl);
  const withRetry = <T>(what: string, call: () => Promise<T>) =>
    retry(call, {
      ...options.retry,
      onRetry: ({ attempt, delayMs, error }) =>
        log(`${what} failed (attempt ${attempt}, ${describe(error)}); retrying in ${delayMs} ms`),
    }).catch((error: unknown) => {
      const userError = toUserError(what, error, options.apiUrlSource ?? 'GITHUB_API_URL');
      // Every failure of a lookup that GitHub (or the network) caused is "could not verify".
      throw userError instanceof UserError
        ? new CouldNotVerifyError(userError.message, {
            ...(userError.hint ? { hint: userError.hint } : {}),
            cause: error,
          })
        : userError;
    });

  return {
    graphql: (query, variables) =>
      withRetry('GitHub GraphQL request', async () => {
        const response = await octokit.request({
          method: 'POST',
          url: graphqlUrl,
          query,
          variables,
        });
        return response.data as GraphqlResponse;
      }),
    compare: (owner, repo, base, head) =>
      withRetry(`GitHub compare ${owner}/${repo} ${base}...${head}`, async () => {
        try {
          const response = await octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
            owner,
            repo,
            basehead: `${base}...${head}`,
            per_page: 1,
          });
          return (response.data as { status: CompareStatus }).status;
        } catch (error) {
          if (statusOf(error) === 404) return undefined;
          throw error;
        }
      }),
    releaseByTag: (owner, repo, tag) =>
      withRetry(`GitHub release ${owner}/${repo} ${tag}`, async () => {
        try {
          const response = await octokit.request('GET /repos/{owner}/{repo}/releases/tags/{tag}', {
            owner,
            repo,
            tag,
          });
          const immutable = (response.data as { immutable?: unknown }).immutable;
          return typeof immutable === 'boolean' ? { immutable } : {};
        } catch (error) {
          if (statusOf(error) === 404) return undefined;
          throw error;
        }
      }),
  };
}

/** @actions/github's fetch, which honours HTTPS_PROXY and NO_PROXY. */
function proxyAwareFetch(): typeof fetch {
  return (githubDefaults.request?.fetch as typeof fetch | undefined) ?? fetch;
}

/**
 * The timeout starts when the request is sent: octokit's throttling plugin may
 * hold a request back first (it spaces GraphQL requests a second apart).
 */
function fetchWithTimeout(base: typeof fetch, timeoutMs: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return base(input, { ...init, signal });
  };
}

function describe(error: unknown): string {
  const failed = octokitNoResponse(error);
  if (failed) return `no response: ${failed.message}`;
  const status = statusOf(error);
  if (status !== undefined) return `HTTP ${status}`;
  return error instanceof Error ? error.message : String(error);
}

function toUserError(what: string, error: unknown, apiUrlSource: string): unknown {
  const status = statusOf(error);
  if (status === 401)
    return new UserError(`${what}: GitHub rejected the token (HTTP 401)`, {
      hint: 'Check that the token is valid and not expired.',
      cause: error,
    });
  if (status === 403)
    return new UserError(`${what}: access denied (HTTP 403)`, {
      hint: 'The token needs read access to the repositories named in your workflows.',
      cause: error,
    });
  // octokit reports a fetch that never answered as status 500 with the abort reason as message
  if (error instanceof Error && /aborted due to timeout/.test(error.message))
    return new UserError(`${what} timed out`, {
      hint: `Check the network or ${apiUrlSource}.`,
      cause: error,
    });
  const noResponse = octokitNoResponseError(what, error);
  if (noResponse)
    return apiUrlSource === 'GITHUB_API_URL'
      ? noResponse
      : new UserError(noResponse.message, {
          hint: `Check ${apiUrlSource} and the network; behind a proxy, HTTPS_PROXY/HTTP_PROXY and NO_PROXY.`,
          cause: error,
        });
  if (status !== undefined) return new UserError(`${what} failed with HTTP ${status}`, { cause: error });
  return error;
}
