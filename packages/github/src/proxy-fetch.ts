/**
 * The fetch octokit sends with: undici's fetch through the proxy
 * @actions/http-client picks for the URL (HTTPS_PROXY/HTTP_PROXY, NO_PROXY,
 * loopback never proxied), each request bounded by a timeout. The timeout
 * starts when the request is sent, not when it is queued: the throttling
 * plugin may hold a request back first.
 */
import { HttpClient } from '@actions/http-client';
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { RequestTimeout } from './errors.ts';

export interface FetchEvents {
  /** Every request sent, retries included. */
  sent?: () => void;
  /** A request without an answer, or answered 5xx (the retry plugin may try it again). */
  failed?: (method: string, url: string, reason: string) => void;
}

export function proxyAwareFetch(
  timeoutMs: number,
  userAgent: string,
  events: FetchEvents = {},
): typeof fetch {
  const dispatchers = new Map<string, Dispatcher | undefined>();
  const dispatcherFor = (url: URL): Dispatcher | undefined => {
    const key = url.origin;
    if (!dispatchers.has(key)) dispatchers.set(key, new HttpClient(userAgent).getAgentDispatcher(url.href));
    return dispatchers.get(key);
  };
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    events.sent?.();
    const method = init?.method ?? 'GET';
    try {
      const dispatcher = dispatcherFor(url);
      const response = await undiciFetch(url, {
        ...(init as Parameters<typeof undiciFetch>[1]),
        signal,
        ...(dispatcher ? { dispatcher } : {}),
      });
      if (response.status >= 500) events.failed?.(method, url.href, `HTTP ${response.status}`);
      return response as unknown as Response;
    } catch (error) {
      if (timeout.aborted && !init?.signal?.aborted) {
        events.failed?.(method, url.href, `no response within ${timeoutMs} ms`);
        throw new RequestTimeout(url.href, timeoutMs);
      }
      const cause = (error as { cause?: unknown }).cause;
      events.failed?.(
        method,
        url.href,
        `no response: ${cause instanceof Error ? cause.message : String(error)}`,
      );
      throw error;
    }
  };
}
