/**
 * A local Google STS (`POST /v1/token`, RFC 8693 token exchange in Google's JSON
 * form) and IAM Credentials API (`generateAccessToken`, `generateIdToken`),
 * on one loopback port. STS verifies the GitHub JWT against the issuer's JWKS,
 * the provider's allowed audience and an attribute condition; IAM Credentials
 * accepts only federated tokens it issued and checks the service account binding.
 */
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { FaultQueue, applyFault, readBody } from '../oidc-issuer/faults.ts';
import { listenOnLoopback } from '../oidc-issuer/loopback.ts';

export interface GoogleDoubleOptions {
  issuer: string;
  jwksUrl: string;
  /** `projects/<n>/locations/global/workloadIdentityPools/<pool>/providers/<p>` */
  provider: string;
  /** Attribute condition over the token claims (CEL in the real service). */
  condition?: (claims: JWTPayload) => boolean;
  /** service account email -> repositories (`attribute.repository`) allowed to impersonate it. */
  bindings?: Record<string, string[]>;
}

export interface GoogleDouble {
  url: string;
  faults: FaultQueue;
  calls: { route: string; status: number; body: Record<string, unknown> }[];
  issuedSecrets: string[];
  count(route: 'sts' | 'generateAccessToken' | 'generateIdToken'): number;
  close(): Promise<void>;
}

export async function startGoogleDouble(options: GoogleDoubleOptions): Promise<GoogleDouble> {
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl));
  const federated = new Map<string, JWTPayload>();
  const faults = new FaultQueue();
  const calls: GoogleDouble['calls'] = [];
  const issuedSecrets: string[] = [];
  const secret = (prefix: string) => {
    const value = `${prefix}${randomBytes(48).toString('base64url')}`;
    issuedSecrets.push(value);
    return value;
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw || '{}') as Record<string, unknown>;
      } catch {
        // stays empty: answered as a bad request below
      }
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const sa = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):(generateAccessToken|generateIdToken)$/.exec(
        path,
      );
      const route = path === '/v1/token' ? 'sts' : (sa?.[2] ?? 'unknown');
      const call = { route, status: 200, body };
      calls.push(call);
      const json = (status: number, value: unknown) => {
        call.status = status;
        res
          .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
          .end(JSON.stringify(value));
      };
      const oauthError = (status: number, error: string, description: string) =>
        json(status, { error, error_description: description });
      const apiError = (status: number, state: string, message: string) =>
        json(status, { error: { code: status, message, status: state } });
      const fault = await applyFault(faults.take(route), req, res);
      if (fault === 'handled') return;
      if (fault)
        return route === 'sts'
          ? oauthError(fault.status ?? 400, fault.code, fault.message ?? 'injected')
          : apiError(fault.status ?? 400, fault.code, fault.message ?? 'injected');

      if (route === 'sts') {
        if (body.grantType !== 'urn:ietf:params:oauth:grant-type:token-exchange')
          return oauthError(400, 'invalid_request', 'Invalid value for "grant_type".');
        if (body.subjectTokenType !== 'urn:ietf:params:oauth:token-type:jwt')
          return oauthError(400, 'invalid_request', 'Invalid value for "subject_token_type".');
        if (body.audience !== `//iam.googleapis.com/${options.provider}`)
          return oauthError(
            400,
            'invalid_target',
            'The target service indicated by the "audience" parameters is invalid.',
          );
        let claims: JWTPayload;
        try {
          ({ payload: claims } = await jwtVerify(String(body.subjectToken ?? ''), jwks, {
            issuer: options.issuer,
            audience: `https://iam.googleapis.com/${options.provider}`,
          }));
        } catch (error) {
          return oauthError(
            400,
            'invalid_grant',
            `The audience or signature in the ID Token is invalid: ${(error as Error).message}`,
          );
        }
        if (options.condition && !options.condition(claims))
          return oauthError(
            403,
            'unauthorized_client',
            'The given credential is rejected by the attribute condition.',
          );
        const token = secret('ya29.d.federated-');
        federated.set(token, claims);
        return json(200, {
          access_token: token,
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          token_type: 'Bearer',
          expires_in: 3599,
        });
      }
      if (sa) {
        const claims = federated.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
        if (!claims)
          return apiError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
        const account = decodeURIComponent(sa[1]!);
        const allowed = options.bindings?.[account] ?? [];
        if (!allowed.includes(String(claims.repository)))
          return apiError(
            403,
            'PERMISSION_DENIED',
            `Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).`,
          );
        if (sa[2] === 'generateAccessToken') {
          const lifetime = Number(String(body.lifetime ?? '3600s').replace(/s$/, ''));
          if (!Array.isArray(body.scope) || body.scope.length === 0)
            return apiError(400, 'INVALID_ARGUMENT', 'Scope required.');
          if (lifetime > 3600)
            return apiError(
              400,
              'INVALID_ARGUMENT',
              'The lifetime requested is larger than the allowed maximum 3600s.',
            );
          return json(200, {
            accessToken: secret('ya29.c.impersonated-'),
            expireTime: new Date(Date.now() + lifetime * 1000).toISOString(),
          });
        }
        if (typeof body.audience !== 'string' || body.audience === '')
          return apiError(400, 'INVALID_ARGUMENT', 'Audience required.');
        const idToken = `eyJhbGciOiJSUzI1NiJ9.${randomBytes(48).toString('base64url')}.${randomBytes(16).toString('base64url')}`;
        issuedSecrets.push(idToken);
        return json(200, { token: idToken });
      }
      return json(404, { error: { code: 404, message: 'Not Found', status: 'NOT_FOUND' } });
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    faults,
    calls,
    issuedSecrets,
    count: (route) => calls.filter((c) => c.route === route).length,
    close,
  };
}
