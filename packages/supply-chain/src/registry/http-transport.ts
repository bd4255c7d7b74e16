/**
 * The registry client's HTTP seam is @slipway/core's transport (proxy aware,
 * per-request timeout, bounded bodies); this module only names the registry's
 * settings: its user agent, and redirects followed (blob downloads redirect to
 * storage; @actions/http-client drops Authorization on a redirect to another host).
 */
import { createHttpTransport, type HttpTransport } from '@slipway/core';

export {
  MAX_RESPONSE_BYTES,
  ResponseTooLargeError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
} from '@slipway/core';

export const USER_AGENT = 'slipway-supply-chain';

export function httpClientTransport(options: { timeoutMs: number }): HttpTransport {
  return createHttpTransport({ userAgent: USER_AGENT, timeoutMs: options.timeoutMs, maxRedirects: 5 });
}
