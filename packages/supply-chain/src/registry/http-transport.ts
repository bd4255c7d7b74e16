/**
 * The one HTTP seam of the registry client: a request with headers and an
 * optional body, answered by status, lower-cased headers and the raw body.
 * `httpClientTransport` implements it with @actions/http-client (proxy aware
 * through HTTPS_PROXY/NO_PROXY, redirects followed, Authorization dropped on a
 * redirect to another host) and a per-request socket timeout.
 */
import { HttpClient } from '@actions/http-client';
import { UserError, readBoundedBody } from '@slipway/core';

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Largest response body accepted (default MAX_RESPONSE_BYTES); a larger one is a ResponseTooLargeError. */
  maxBodyBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

export const USER_AGENT = 'slipway-supply-chain';

/** Default bound on one response body: blobs Slipway reads are bundles and attestations, not layers. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** A response body over its bound; never retried. */
export class ResponseTooLargeError extends UserError {
  constructor(
    readonly url: string,
    readonly limit: number,
  ) {
    super(
      `${url} sent more than ${limit} bytes, more than anything Slipway reads from a registry; refusing it.`,
      {
        hint: 'Check the image reference and the registry: something unexpected is attached to the image or answers for the registry.',
      },
    );
    this.name = 'ResponseTooLargeError';
  }
}

export function httpClientTransport(options: { timeoutMs: number }): HttpTransport {
  const client = new HttpClient(USER_AGENT, [], {
    socketTimeout: options.timeoutMs,
    allowRedirects: true,
    maxRedirects: 5,
  });
  return async (request) => {
    const response = await client.request(
      request.method,
      request.url,
      request.body ?? null,
      request.headers ?? {},
    );
    const limit = request.maxBodyBytes ?? MAX_RESPONSE_BYTES;
    const body = response.message.readable
      ? await readBoundedBody(response.message, limit, () => new ResponseTooLargeError(request.url, limit))
      : Buffer.alloc(0);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.message.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.message.statusCode ?? 0, headers, body };
  };
}
