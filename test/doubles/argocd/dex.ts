/**
 * Dex's token endpoint as Argo CD bundles it (`/api/dex/token`), for the RFC 8693
 * token exchange Argo CD documents for GitHub Actions: the public client
 * `argo-cd-cli` (HTTP Basic, empty secret), an `oidc` connector whose issuer is
 * the OIDC double, the GitHub JWT checked against that issuer's JWKS (signature,
 * iss, aud, exp). Success issues an opaque Argo CD bearer token.
 */
import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';

export interface DexConfig {
  /** The GitHub OIDC issuer the connector trusts (the OIDC double's URL). */
  issuer: string;
  jwksUrl: string;
  /** Audience the connector expects in the GitHub token. */
  audience: string;
  connectorId: string;
  clientId?: string;
  /** Subjects allowed (exact); any when absent. */
  subjects?: string[];
}

export interface DexAnswer {
  status: number;
  body: Record<string, unknown>;
}

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';

const jwksCache = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
const oauthError = (status: number, error: string, description: string): DexAnswer => ({
  status,
  body: { error, error_description: description },
});

export async function handleDexToken(
  config: DexConfig,
  authorization: string,
  rawBody: string,
): Promise<DexAnswer> {
  const clientId = config.clientId ?? 'argo-cd-cli';
  const basic = /^Basic (.+)$/.exec(authorization)?.[1];
  const client = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':')[0] : undefined;
  const form = new URLSearchParams(rawBody);
  if ((client ?? form.get('client_id')) !== clientId)
    return oauthError(401, 'invalid_client', 'Invalid client credentials.');
  if (form.get('grant_type') !== TOKEN_EXCHANGE) return oauthError(400, 'unsupported_grant_type', '');
  if (form.get('connector_id') !== config.connectorId) {
    return oauthError(400, 'invalid_request', 'Requested connector does not exist.');
  }
  if (form.get('subject_token_type') !== ID_TOKEN && form.get('subject_token_type') !== ACCESS_TOKEN) {
    return oauthError(400, 'invalid_request', 'Invalid subject_token_type.');
  }
  const subject = form.get('subject_token') ?? '';
  let jwks = jwksCache.get(config.jwksUrl);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(config.jwksUrl));
    jwksCache.set(config.jwksUrl, jwks);
  }
  try {
    const { payload } = await jwtVerify(subject, jwks, { issuer: config.issuer, audience: config.audience });
    if (config.subjects && !config.subjects.includes(String(payload.sub))) {
      return oauthError(403, 'access_denied', 'subject not allowed');
    }
  } catch (error) {
    return oauthError(401, 'access_denied', `failed to verify subject token: ${(error as Error).message}`);
  }
  const requested = form.get('requested_token_type') ?? ACCESS_TOKEN;
  return {
    status: 200,
    body: {
      access_token: `dex.${randomBytes(24).toString('base64url')}`,
      issued_token_type: requested,
      token_type: 'bearer',
      expires_in: 86_399,
    },
  };
}
