/**
 * What a failed GitHub call was, as a type: no response (network, proxy), no
 * response in time, rate limited, not found, permission denied, or another
 * status. Each is a UserError (the person running the job can act on it) and
 * keeps `status`, `response` and GraphQL `errors`, so callers that explain a
 * failure in their own words (which permission a step needs) still can.
 */
import { NO_RESPONSE_HINT, UserError, octokitNoResponse, retryAfterMs, statusOf } from '@slipway/core';

/** A GraphQL error entry as GitHub returns it. */
export interface GraphqlError {
  type?: string;
  message: string;
  path?: (string | number)[];
}

export interface GitHubErrorDetails {
  status?: number | undefined;
  url?: string | undefined;
  response?: { status: number; headers: Record<string, string>; data: unknown } | undefined;
  errors?: GraphqlError[];
  hint?: string;
  cause?: unknown;
}

export class GitHubError extends UserError {
  readonly status: number | undefined;
  readonly url: string | undefined;
  readonly response: GitHubErrorDetails['response'];
  readonly errors: GraphqlError[];

  constructor(message: string, details: GitHubErrorDetails = {}) {
    super(message, { ...(details.hint ? { hint: details.hint } : {}), cause: details.cause });
    this.name = 'GitHubError';
    this.status = details.status;
    this.url = details.url;
    this.response = details.response;
    this.errors = details.errors ?? [];
  }
}

/** No HTTP response at all: DNS, refused, reset, an unreachable proxy. */
export class GitHubNoResponseError extends GitHubError {
  constructor(message: string, details: GitHubErrorDetails = {}) {
    super(message, { hint: NO_RESPONSE_HINT, ...details });
    this.name = 'GitHubNoResponseError';
  }
}

/** No response within the request timeout; the message names the call and its URL. */
export class GitHubTimeoutError extends GitHubNoResponseError {
  constructor(
    what: string,
    url: string | undefined,
    readonly timeoutMs: number,
    cause?: unknown,
  ) {
    super(`${what}${url === undefined ? '' : ` to ${url}`} got no response within ${timeoutMs} ms`, {
      url,
      cause,
    });
    this.name = 'GitHubTimeoutError';
  }
}

/** A primary or secondary rate limit that outlasted the retries; `retryAfterMs` is GitHub's wait, when it said. */
export class GitHubRateLimitError extends GitHubError {
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
    details: GitHubErrorDetails = {},
  ) {
    super(message, details);
    this.name = 'GitHubRateLimitError';
  }
}

/** 404 or GraphQL NOT_FOUND: it does not exist, or the token cannot see it. */
export class GitHubNotFoundError extends GitHubError {
  constructor(message: string, details: GitHubErrorDetails = {}) {
    super(message, details);
    this.name = 'GitHubNotFoundError';
  }
}

/** 401 (bad token) or 403 / GraphQL FORBIDDEN. */
export class GitHubPermissionError extends GitHubError {
  /** GitHub's x-accepted-github-permissions ("contents=write"), when it sent one. */
  get accepted(): string | undefined {
    return this.response?.headers['x-accepted-github-permissions'];
  }

  constructor(message: string, details: GitHubErrorDetails = {}) {
    super(message, details);
    this.name = 'GitHubPermissionError';
  }
}

export function graphqlErrors(error: unknown): GraphqlError[] {
  const errors = (error as { errors?: unknown })?.errors;
  return Array.isArray(errors) ? (errors as GraphqlError[]) : [];
}

/** Marks a request our fetch gave up on after `timeoutMs`; octokit wraps it as a status-500 RequestError. */
export class RequestTimeout extends Error {
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`no response within ${timeoutMs} ms`);
    this.name = 'RequestTimeout';
  }
}

function responseOf(error: unknown): GitHubErrorDetails['response'] {
  const r = (error as { response?: { status?: unknown; headers?: unknown; data?: unknown } })?.response;
  if (!r || typeof r.status !== 'number') return undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries((r.headers ?? {}) as Record<string, unknown>))
    if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
  return { status: r.status, headers, data: r.data };
}

/**
 * What GitHub said about a failed call: the REST body's `message` and the messages of its `errors`
 * (a 422's details, e.g. "Reference already exists"), then the GraphQL errors' messages; the
 * error's own message when the answer said nothing.
 */
export function apiMessage(error: unknown): string {
  const data = (error as { response?: { data?: { message?: unknown; errors?: unknown } } })?.response?.data;
  const parts: string[] = [];
  if (typeof data?.message === 'string') parts.push(data.message);
  if (Array.isArray(data?.errors))
    for (const detail of data.errors) {
      const text = typeof detail === 'string' ? detail : (detail as { message?: unknown })?.message;
      if (typeof text === 'string') parts.push(text);
    }
  for (const e of graphqlErrors(error)) if (typeof e.message === 'string') parts.push(e.message);
  if (parts.length > 0) return parts.join('; ');
  return error instanceof Error ? error.message : String(error);
}

const RATE_LIMIT = /rate limit/i;

/**
 * The typed error for a failed octokit call; `what` names the call ("GitHub GET
 * request"). A non-HTTP error (a bug) is returned unchanged.
 */
export function toGitHubError(what: string, error: unknown, now: () => number = Date.now): unknown {
  if (error instanceof GitHubError) return error;
  const noResponse = octokitNoResponse(error);
  if (noResponse) {
    const target = noResponse.url === undefined ? '' : ` to ${noResponse.url}`;
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof RequestTimeout)
      return new GitHubTimeoutError(what, noResponse.url, cause.timeoutMs, error);
    return new GitHubNoResponseError(`${what}${target} got no response: ${noResponse.message}`, {
      url: noResponse.url,
      cause: error,
    });
  }
  const response = responseOf(error);
  const errors = graphqlErrors(error);
  const status = statusOf(error) ?? response?.status;
  const url = (error as { request?: { url?: unknown } })?.request?.url;
  const types = errors.map((e) => e.type);
  if (status === undefined && errors.length === 0) return error;
  const message = apiMessage(error);
  const details: GitHubErrorDetails = {
    status,
    url: typeof url === 'string' ? url : undefined,
    response,
    errors,
    cause: error,
  };
  const label = status === undefined ? what : `${what} failed with HTTP ${status}`;
  const headers = response?.headers ?? {};
  if (
    ((status === 403 || status === 429) &&
      (RATE_LIMIT.test(message) || headers['x-ratelimit-remaining'] === '0' || 'retry-after' in headers)) ||
    types.includes('RATE_LIMITED')
  ) {
    const wait = retryAfterMs(headers, now);
    return new GitHubRateLimitError(`${label}: ${message}`, wait, {
      ...details,
      hint:
        wait === undefined
          ? 'GitHub rate-limited the token; run the job again later.'
          : `GitHub rate-limited the token; it can try again in ${Math.ceil(wait / 1000)} s.`,
    });
  }
  if (status === 404 || types.includes('NOT_FOUND'))
    return new GitHubNotFoundError(`${label}: ${message}`, {
      ...details,
      hint: 'It does not exist, or the token cannot see it (a private repository needs a token with access to it).',
    });
  if (status === 401 || status === 403 || types.includes('FORBIDDEN')) {
    const accepted = headers['x-accepted-github-permissions'];
    return new GitHubPermissionError(`${label}: ${message}`, {
      ...details,
      hint:
        status === 401
          ? 'GitHub rejected the token: it is invalid or expired.'
          : `The token lacks a permission${accepted ? ` (GitHub accepts ${accepted})` : ''}; grant it in the workflow's \`permissions:\` or use a token that has it.`,
    });
  }
  return new GitHubError(`${label}: ${message}`, details);
}
