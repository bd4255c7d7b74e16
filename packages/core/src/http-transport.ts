/**
 * The one HTTP transport: a request in, status + lower-cased headers + body out.
 * Built on @actions/http-client, so HTTPS_PROXY/HTTP_PROXY/NO_PROXY are honoured;
 * its own retries are off (every retry goes through `retry` with a total cap).
 * Each request has a socket timeout; a failure without a response is a
 * NetworkError naming the URL; TLS can trust an extra CA bundle or skip
 * verification for a self-hosted server; bodies are read with a size bound.
 * Any status comes back as a response: `checkStatus` turns a failed one into an
 * HttpStatusError carrying the server's retry-after.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { HttpClient } from '@actions/http-client';
import { UserError } from './errors.ts';
import { readBoundedBody } from './bounded-body.ts';
import { proxyRefusal } from './proxy-refusal.ts';
import { isSocketTimeout } from './retry.ts';

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Text is sent as UTF-8; a Buffer byte for byte; either with its Content-Length (never chunked). */
  body?: string | Buffer;
  /** Largest response body accepted (default the transport's); a larger one is a ResponseTooLargeError. */
  maxBodyBytes?: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The whole body (`body.toString()` for text). */
  body: Buffer;
}

/** The network edge every package takes as a parameter; tests pass `createHttpTransport` pointed at a double. */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

/** TLS settings for a self-hosted server: skip verification, or trust extra CAs (PEM). */
export interface TransportTls {
  insecure?: boolean;
  /** PEM bundle trusted besides Node's default roots. */
  ca?: string;
}

export interface HttpTransportOptions {
  userAgent: string;
  /** Socket inactivity bound for each request. */
  timeoutMs: number;
  tls?: TransportTls;
  /** Redirects to follow (default 0: a 3xx is returned); Authorization is dropped on one to another host. */
  maxRedirects?: number;
  /** Default bound on a response body (default 64 MiB). */
  maxBodyBytes?: number;
}

/** A request that never produced a response (reset, refused, timed out, proxy refused). */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown; url?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NetworkError';
    this.url = options?.url;
  }
  readonly url: string | undefined;
}

/**
 * A response whose status the caller does not accept: "<METHOD> <url> answered HTTP <status>";
 * `retryAfterMs` is the server's wait when it gave one, `bodyText` what it said.
 */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly url: string,
    readonly retryAfterMs: number | undefined = undefined,
    readonly bodyText = '',
  ) {
    super(`${method} ${url} answered HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
}

/** A response body over its bound; never retried. */
export class ResponseTooLargeError extends UserError {
  constructor(
    readonly url: string,
    readonly limit: number,
  ) {
    super(`${url} sent more than ${limit} bytes, more than Slipway expects from it; refusing it.`, {
      hint: 'Check the URL and what answers it: something unexpected is served there.',
    });
    this.name = 'ResponseTooLargeError';
  }
}

export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * Milliseconds to wait from a `retry-after` header (seconds or an HTTP date), else
 * from `x-ratelimit-reset` when `x-ratelimit-remaining` is 0; undefined when neither says.
 */
export function retryAfterMs(
  headers: Record<string, string | undefined>,
  now: () => number = Date.now,
): number | undefined {
  const value = headers['retry-after']?.trim();
  if (value) {
    if (/^\d+$/.test(value)) return Number(value) * 1000;
    const date = Date.parse(value);
    if (Number.isFinite(date)) return Math.max(0, date - now());
  }
  const reset = Number(headers['x-ratelimit-reset']);
  if (headers['x-ratelimit-remaining'] === '0' && Number.isFinite(reset) && reset > 0)
    return Math.max(0, reset * 1000 - now()) + 1000;
  return undefined;
}

/** The response when its status is accepted (default 2xx), else an HttpStatusError. */
export function checkStatus(
  response: HttpResponse,
  request: Pick<HttpRequest, 'method' | 'url'>,
  accepted: (status: number) => boolean = (status) => status >= 200 && status < 300,
  now: () => number = Date.now,
): HttpResponse {
  if (accepted(response.status)) return response;
  throw new HttpStatusError(
    response.status,
    request.method,
    request.url,
    retryAfterMs(response.headers, now),
    response.body.toString(),
  );
}

function lowerCased(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** http-client sets Content-Length for a string body only; a Buffer goes as a stream, so name its length. */
function withLength(headers: Record<string, string>, length: number): Record<string, string> {
  const named = Object.keys(headers).some((name) => name.toLowerCase() === 'content-length');
  return named ? headers : { ...headers, 'Content-Length': String(length) };
}

function networkError(error: unknown, url: string, timeoutMs: number): unknown {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const refused = proxyRefusal(error, url);
  if (refused) return new NetworkError(refused.message, refused.code, { cause: error, url });
  if (typeof code === 'string')
    return new NetworkError(message.includes(code) ? message : `${message} (${code})`, code, {
      cause: error,
      url,
    });
  if (isSocketTimeout(error))
    return new NetworkError(`no response within ${timeoutMs} ms from ${url}`, 'ETIMEDOUT', {
      cause: error,
      url,
    });
  if (/socket hang up|aborted/i.test(message))
    return new NetworkError(message, 'ECONNRESET', { cause: error, url });
  return error;
}

/** A response whose body is still a stream (read it to the end, or `resume()` it, to free the socket). */
export interface HttpStreamResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: IncomingMessage;
}

/** The transport for bodies too large to hold in memory (release archives): the body comes back unread. */
export type HttpStreamTransport = (request: Omit<HttpRequest, 'maxBodyBytes'>) => Promise<HttpStreamResponse>;

/**
 * The transport whose body is left unread, for the caller to stream (and bound) itself; also the one
 * @actions/http-client set-up behind createHttpTransport: its retries off, redirects as asked, the
 * socket timeout, the TLS settings, and a failure without a response turned into a NetworkError.
 */
export function createHttpStreamTransport(options: HttpTransportOptions): HttpStreamTransport {
  const maxRedirects = options.maxRedirects ?? 0;
  const client = new HttpClient(options.userAgent, [], {
    allowRetries: false,
    allowRedirects: maxRedirects > 0,
    maxRedirects,
    socketTimeout: options.timeoutMs,
    keepAlive: false,
    ignoreSslError: options.tls?.insecure === true,
  });
  const ca = options.tls?.ca ? [...rootCertificates, options.tls.ca] : undefined;
  return async ({ method, url, headers = {}, body }) => {
    try {
      // http-client sets no CA option of its own: extend the agent it picked (direct or proxy tunnel)
      if (ca && url.startsWith('https:')) {
        const agent = client.getAgent(url) as { options?: Record<string, unknown> };
        agent.options = { ...agent.options, ca };
      }
      const response = Buffer.isBuffer(body)
        ? await client.request(method, url, Readable.from([body]), withLength(headers, body.length))
        : await client.request(method, url, body ?? null, headers);
      const message = response.message;
      // a body left unread (resume()d after a refused status) must not crash the process when its
      // socket fails later; whoever reads the body still gets the error through its own listener
      message.on('error', () => undefined);
      return { status: message.statusCode ?? 0, headers: lowerCased(message.headers), body: message };
    } catch (error) {
      throw networkError(error, url, options.timeoutMs);
    }
  };
}

export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const send = createHttpStreamTransport(options);
  return async (request) => {
    const response = await send(request);
    const { url } = request;
    const limit = request.maxBodyBytes ?? options.maxBodyBytes ?? MAX_RESPONSE_BYTES;
    try {
      const bytes = response.body.readable
        ? await readBoundedBody(response.body, limit, () => new ResponseTooLargeError(url, limit))
        : Buffer.alloc(0);
      return { status: response.status, headers: response.headers, body: bytes };
    } catch (error) {
      throw networkError(error, url, options.timeoutMs);
    }
  };
}
