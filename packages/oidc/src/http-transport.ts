import { rootCertificates } from 'node:tls';
import { HttpClient } from '@actions/http-client';
import { UserError, isSocketTimeout, proxyRefusal } from '@slipway/core';

/** One HTTP exchange as the login flows see it: the body is always read whole as text. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

/** The network edge. Production uses `actionsHttpTransport`; tests talk to local doubles through it too. */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

/** A failed exchange that never produced a response (reset, refused, timed out). Carries a `code` for retry classification. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

/** TLS settings for a self-hosted server: skip verification, or trust extra CAs (PEM). */
export interface TransportTls {
  insecure?: boolean;
  /** PEM bundle trusted besides Node's default roots. */
  ca?: string;
}

/**
 * HTTP through @actions/http-client, which honours HTTPS_PROXY/HTTP_PROXY/NO_PROXY.
 * Its own retries are off: every retry goes through @slipway/core `retry` with a
 * total cap. `timeoutMs` bounds socket inactivity for each request. `tls.ca` is
 * set on the client's agent (direct or proxy tunnel) the way http-client itself
 * sets `rejectUnauthorized` for `ignoreSslError`.
 */
export function actionsHttpTransport(
  timeoutMs: number,
  userAgent = 'slipway-oidc-login',
  tls: TransportTls = {},
): HttpTransport {
  const client = new HttpClient(userAgent, [], {
    allowRetries: false,
    allowRedirects: false,
    socketTimeout: timeoutMs,
    keepAlive: false,
    ignoreSslError: tls.insecure === true,
  });
  const ca = tls.ca ? [...rootCertificates, tls.ca] : undefined;
  return async ({ method, url, headers = {}, body }) => {
    try {
      if (ca && url.startsWith('https:')) {
        const agent = client.getAgent(url) as { options?: Record<string, unknown> };
        agent.options = { ...agent.options, ca };
      }
      const response = await client.request(method, url, body ?? null, headers);
      const text = await response.readBody();
      return { status: response.message.statusCode ?? 0, headers: response.message.headers, body: text };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const message = error instanceof Error ? error.message : String(error);
      const refused = proxyRefusal(error, url);
      if (refused) throw new NetworkError(refused.message, refused.code, { cause: error });
      if (typeof code === 'string') throw new NetworkError(`${message} (${code})`, code, { cause: error });
      if (isSocketTimeout(error))
        throw new NetworkError(`no response within ${timeoutMs} ms`, 'ETIMEDOUT', { cause: error });
      if (/socket hang up|aborted/i.test(message))
        throw new NetworkError(message, 'ECONNRESET', { cause: error });
      throw error;
    }
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Validates an endpoint input: HTTPS always; plain HTTP only on loopback (local
 * doubles and test endpoints). Returns the URL without a trailing slash.
 */
export function endpointUrl(value: string, input: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(
      `Input '${input}' has the value '${value}', which is not a URL. Expected an https:// URL.`,
    );
  }
  const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (!allowed || url.search !== '' || url.hash !== '') {
    throw new UserError(
      `Input '${input}' has the value '${value}'. Expected an https:// URL without query or fragment (http:// is accepted only for 127.0.0.1/localhost).`,
    );
  }
  return url.toString().replace(/\/+$/, '');
}

/** Parses a JSON body, or returns undefined when it is not JSON (an HTML error page from a proxy). */
export function parseJsonBody(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A response status that means "try again later" (408, 429, 5xx). */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}
