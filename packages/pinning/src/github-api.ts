/**
 * The GitHub calls pin-check makes: a GraphQL query (partial answers kept:
 * one missing repository must not hide the others), and the REST compare and
 * release-by-tag endpoints. All go through the one GitHub client (@slipway/github: rate
 * limits, retries, proxy, timeouts); this module only says what a failure means
 * for pin-check: every failure GitHub or the network caused is "could not verify".
 */
import { UserError } from '@slipway/core';
import { createGitHub, endpointsFor, type GraphqlResponse } from '@slipway/github';
// in the order toUserError checks them (a timeout is also a no-response)
import {
  GitHubTimeoutError,
  GitHubNoResponseError,
  GitHubRateLimitError,
  GitHubPermissionError,
  GitHubNotFoundError,
  GitHubError,
} from '@slipway/github';
import { CouldNotVerifyError } from './could-not-verify.ts';

export type { GraphqlResponse } from '@slipway/github';

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
  /** Retries of a 5xx or a request without response (default 3). */
  retries?: number;
  /** Length of a retry-after "second" (tests shorten it). */
  retryAfterUnitMs?: number;
  log?: (message: string) => void;
}

export function createGitHubApi(options: GitHubApiOptions): GitHubApi {
  const github = createGitHub({
    token: options.token,
    endpoints: endpointsFor(options.apiUrl, { graphqlUrl: options.graphqlUrl }),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.retryAfterUnitMs !== undefined ? { retryAfterUnitMs: options.retryAfterUnitMs } : {}),
    ...(options.log ? { log: options.log } : {}),
    // Everything this client sends only reads: GraphQL queries (POSTs without a mutation, 1 point
    // each for GitHub's secondary limit) and REST GETs. The throttling plugin spaces every GraphQL
    // request like a write (1 s apart, GitHub's advice for requests that create content); here
    // they go one at a time without that wait. A secondary-limit answer is still waited out.
    spacing: { writeMs: 0, notificationMs: 0 },
  });
  const source = options.apiUrlSource ?? 'GITHUB_API_URL';
  const explained = (what: string) => (error: unknown) => {
    const userError = toUserError(what, error, source);
    throw userError instanceof UserError
      ? new CouldNotVerifyError(userError.message, {
          ...(userError.hint ? { hint: userError.hint } : {}),
          cause: error,
        })
      : userError;
  };
  return {
    graphql: (query, variables) =>
      github.graphqlResponse(query, variables).catch(explained('GitHub GraphQL request')),
    compare: (owner, repo, base, head) =>
      github
        .rest<{ status: CompareStatus }>('GET /repos/{owner}/{repo}/compare/{basehead}', {
          owner,
          repo,
          basehead: `${base}...${head}`,
          per_page: 1,
        })
        .then((data) => data.status, undefinedIfNotFound)
        .catch(explained(`GitHub compare ${owner}/${repo} ${base}...${head}`)),
    releaseByTag: (owner, repo, tag) =>
      github
        .rest<{ immutable?: unknown }>('GET /repos/{owner}/{repo}/releases/tags/{tag}', {
          owner,
          repo,
          tag,
        })
        .then(
          (data): { immutable?: boolean } | undefined =>
            typeof data.immutable === 'boolean' ? { immutable: data.immutable } : {},
          undefinedIfNotFound,
        )
        .catch(explained(`GitHub release ${owner}/${repo} ${tag}`)),
  };
}

/** A 404 answer means "there is none" (no such compare base, no release for the tag). */
function undefinedIfNotFound(error: unknown): undefined {
  if (error instanceof GitHubNotFoundError) return undefined;
  throw error;
}

function toUserError(what: string, error: unknown, apiUrlSource: string): unknown {
  if (error instanceof GitHubTimeoutError)
    return new UserError(`${what} timed out`, {
      hint: `Check the network or ${apiUrlSource}.`,
      cause: error,
    });
  if (error instanceof GitHubNoResponseError)
    return new UserError(error.message, {
      hint: `Check ${apiUrlSource} and the network; behind a proxy, HTTPS_PROXY/HTTP_PROXY and NO_PROXY.`,
      cause: error,
    });
  if (error instanceof GitHubRateLimitError)
    return new UserError(`${what}: GitHub's rate limit (HTTP ${error.status ?? ''}) outlasted the retries`, {
      ...(error.hint ? { hint: error.hint } : {}),
      cause: error,
    });
  if (error instanceof GitHubPermissionError && error.status === 401)
    return new UserError(`${what}: GitHub rejected the token (HTTP 401)`, {
      hint: 'Check that the token is valid and not expired.',
      cause: error,
    });
  if (error instanceof GitHubPermissionError)
    return new UserError(`${what}: access denied (HTTP 403)`, {
      hint: 'The token needs read access to the repositories named in your workflows.',
      cause: error,
    });
  if (error instanceof GitHubError && error.status !== undefined)
    return new UserError(`${what} failed with HTTP ${error.status}`, { cause: error });
  return error;
}
