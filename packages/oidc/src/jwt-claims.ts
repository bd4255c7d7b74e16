/**
 * Reads the claims of a JWT for diagnostics only. Nothing here verifies a
 * signature: the cloud provider does that; we only show the user what the
 * provider's trust policy was matched against.
 */

/** The claims trust policies match on, in the order we print them. None is secret. */
export const TRUST_CLAIMS = [
  'sub',
  'aud',
  'iss',
  'repository',
  'ref',
  'environment',
  'job_workflow_ref',
] as const;

export function decodeClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One line per trust claim, `  sub: repo:octo-org/octo-repo:ref:refs/heads/main`;
 * claims the token does not carry show as `(not in token)`. Never includes the token.
 */
export function describeTrustClaims(token: string): string {
  const claims = decodeClaims(token);
  if (!claims) return 'The token claims could not be decoded.';
  const lines = TRUST_CLAIMS.map((name) => {
    const value = claims[name];
    const shown =
      value === undefined ? '(not in token)' : typeof value === 'string' ? value : JSON.stringify(value);
    return `  ${name}: ${shown}`;
  });
  return [
    'The GitHub OIDC token presented these claims (compare them with the trust policy):',
    ...lines,
  ].join('\n');
}

/** GitHub.com's Actions OIDC issuer; GHES tokens carry `https://HOST/_services/token`. */
export const GITHUB_COM_ISSUER = 'https://token.actions.githubusercontent.com';

/** The token's `iss` (what a trust policy must name), GitHub.com's issuer when it cannot be read. */
export function tokenIssuer(token: string | undefined): string {
  const iss = token === undefined ? undefined : decodeClaims(token)?.iss;
  return typeof iss === 'string' && iss !== '' ? iss : GITHUB_COM_ISSUER;
}

/** The `exp` claim as a Date, when present. */
export function tokenExpiry(token: string): Date | undefined {
  const exp = decodeClaims(token)?.exp;
  return typeof exp === 'number' ? new Date(exp * 1000) : undefined;
}
