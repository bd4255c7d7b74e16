/**
 * A proxy that refused a CONNECT, as @actions/http-client's tunnel agent reports
 * it: "tunneling socket could not be established, statusCode=<n>" (code
 * ECONNRESET), without naming the host the tunnel was for. Callers name it, so a
 * refused tunnel to one service is not read as a failure of another.
 */

export interface ProxyRefusal {
  /** "the proxy answered HTTP 502 to CONNECT registry.example:443" (+ what to do for a 407). */
  message: string;
  /** EPROXYAUTH for a 407 (credentials missing or refused: not worth a retry), else ECONNRESET. */
  code: 'EPROXYAUTH' | 'ECONNRESET';
}

export function proxyRefusal(error: unknown, url: string): ProxyRefusal | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const status = /^tunneling socket could not be established, statusCode=(\d+)/.exec(message)?.[1];
  if (status === undefined) return undefined;
  const target = new URL(url);
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const tunnel = `the proxy answered HTTP ${status} to CONNECT ${target.hostname}:${port}`;
  return status === '407'
    ? {
        message: `${tunnel}: it wants credentials, or refused the ones given (http://user:password@proxy:port in HTTPS_PROXY/HTTP_PROXY)`,
        code: 'EPROXYAUTH',
      }
    : { message: tunnel, code: 'ECONNRESET' };
}
