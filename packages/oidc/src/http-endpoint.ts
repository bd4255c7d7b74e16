/**
 * Endpoint inputs and answers of the login flows. The transport itself is
 * @slipway/core `createHttpTransport` (one for every package).
 */
import { UserError } from '@slipway/core';

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
