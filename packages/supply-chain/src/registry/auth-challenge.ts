/**
 * Parses a `WWW-Authenticate` header as registries send it (RFC 7235 auth-params):
 * `Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/a:pull"`
 * or `Basic realm="Registry Realm"`. Quoted values may contain commas and
 * backslash-escaped characters.
 */
export interface AuthChallenge {
  scheme: 'bearer' | 'basic';
  params: Record<string, string>;
}

const PARAM = /\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/y;

export function parseAuthChallenge(header: string | undefined): AuthChallenge | undefined {
  if (!header) return undefined;
  const match = /^\s*(\S+)(?:\s+(.*))?$/s.exec(header);
  const scheme = match?.[1]?.toLowerCase();
  if (scheme !== 'bearer' && scheme !== 'basic') return undefined;
  const params: Record<string, string> = {};
  const rest = match?.[2] ?? '';
  PARAM.lastIndex = 0;
  while (PARAM.lastIndex < rest.length) {
    const start = PARAM.lastIndex;
    const param = PARAM.exec(rest);
    if (!param || PARAM.lastIndex === start) break;
    const name = (param[1] as string).toLowerCase();
    params[name] = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : (param[3] ?? '');
  }
  return { scheme, params };
}
