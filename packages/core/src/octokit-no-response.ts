/**
 * octokit reports a request that got no HTTP response at all (a host that does
 * not resolve, a refused connection, a proxy that cannot be reached, a timeout)
 * as a RequestError with status 500, no `response`, and the network error's
 * message (`getaddrinfo ENOTFOUND api.github.example`). Shown as "HTTP 500", or
 * as an unexpected error, that sends the user to the wrong place; these name the
 * URL and the network error and point at the endpoint and proxy settings.
 */
import { UserError } from './errors.ts';
import { statusOf } from './retry.ts';

export interface OctokitNoResponse {
  /** The request's URL, when octokit recorded it. */
  url: string | undefined;
  /** The network error's message. */
  message: string;
}

/** The URL and network error of an octokit request that got no response; undefined for anything else. */
export function octokitNoResponse(error: unknown): OctokitNoResponse | undefined {
  if (!(error instanceof Error) || statusOf(error) !== 500) return undefined;
  if ((error as { response?: unknown }).response !== undefined) return undefined;
  const url = (error as { request?: { url?: unknown } }).request?.url;
  return { url: typeof url === 'string' ? url : undefined, message: error.message };
}

export const NO_RESPONSE_HINT =
  'Check GITHUB_API_URL and the network; behind a proxy, HTTPS_PROXY/HTTP_PROXY and NO_PROXY.';

/** A UserError "<what> to <url> got no response: <network error>", or undefined when a response came. */
export function octokitNoResponseError(what: string, error: unknown): UserError | undefined {
  const failed = octokitNoResponse(error);
  if (!failed) return undefined;
  const target = failed.url === undefined ? '' : ` to ${failed.url}`;
  return new UserError(`${what}${target} got no response: ${failed.message}`, {
    hint: NO_RESPONSE_HINT,
    cause: error,
  });
}
