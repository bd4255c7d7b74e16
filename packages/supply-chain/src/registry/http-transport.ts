/**
 * The one HTTP seam of the registry client: a request with headers and an
 * optional body, answered by status, lower-cased headers and the raw body.
 * `httpClientTransport` implements it with @actions/http-client (proxy aware
 * through HTTPS_PROXY/NO_PROXY, redirects followed, Authorization dropped on a
 * redirect to another host) and a per-request socket timeout.
 */
import { HttpClient } from '@actions/http-client';

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

export const USER_AGENT = 'slipway-supply-chain';

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
    const body = response.message.readable
      ? response.readBodyBuffer
        ? await response.readBodyBuffer()
        : Buffer.from(await response.readBody(), 'utf8')
      : Buffer.alloc(0);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.message.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.message.statusCode ?? 0, headers, body };
  };
}
