/**
 * A local GitHub Actions OIDC issuer: the runner's token endpoint
 * (`GET <ACTIONS_ID_TOKEN_REQUEST_URL>&audience=...` with
 * `Authorization: Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>`, answering `{"value": "<jwt>"}`),
 * RS256-signed JWTs with GitHub's claim set, OpenID discovery and the JWKS.
 * Listens on 127.0.0.1 with an ephemeral port.
 */
import { createServer, type Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { FaultQueue, applyFault } from './faults.ts';

export interface OidcIssuer {
  /** Issuer URL (the `iss` claim), e.g. http://127.0.0.1:41234 */
  issuer: string;
  jwksUrl: string;
  /** Environment a job with `id-token: write` sees. */
  env: { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  /** Claims added to (or overriding) the default GitHub claims of every token. */
  claims: Record<string, unknown>;
  /** Lifetime of minted tokens in seconds. */
  lifetimeSeconds: number;
  faults: FaultQueue;
  /** Every token minted through the endpoint, in order. */
  issued: string[];
  /** Token requests received (including refused and faulted ones). */
  requests: number;
  /** Signs a token directly (for tests that need one without HTTP). */
  sign(audience: string, extra?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export const DEFAULT_GITHUB_CLAIMS = {
  sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
  repository: 'octo-org/octo-repo',
  repository_owner: 'octo-org',
  repository_id: '123456789',
  ref: 'refs/heads/main',
  ref_type: 'branch',
  sha: 'ffac537e6cbbf934b08745a378932722df287a53',
  workflow: 'ci',
  job_workflow_ref: 'octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main',
  event_name: 'push',
  run_id: '1000001',
  run_attempt: '1',
  runner_environment: 'github-hosted',
};

export async function startOidcIssuer(): Promise<OidcIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomBytes(8).toString('hex');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const requestToken = randomBytes(24).toString('base64url');
  const state: OidcIssuer = {
    issuer: '',
    jwksUrl: '',
    env: { ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken },
    claims: {},
    lifetimeSeconds: 300,
    faults: new FaultQueue(),
    issued: [],
    requests: 0,
    sign: async (audience, extra = {}) => {
      const now = Math.floor(Date.now() / 1000);
      // registered claims first, so `extra` can override any of them (an expired exp, a wrong iss)
      return new SignJWT({
        jti: randomUUID(),
        iss: state.issuer,
        aud: audience,
        iat: now,
        nbf: now - 5,
        exp: now + state.lifetimeSeconds,
        ...DEFAULT_GITHUB_CLAIMS,
        ...state.claims,
        ...extra,
      })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .sign(privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', state.issuer);
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (url.pathname === '/.well-known/openid-configuration') {
        return json(200, {
          issuer: state.issuer,
          jwks_uri: state.jwksUrl,
          subject_types_supported: ['public', 'pairwise'],
          response_types_supported: ['id_token'],
          id_token_signing_alg_values_supported: ['RS256'],
          claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'repository'],
        });
      }
      if (url.pathname === '/.well-known/jwks') return json(200, { keys: [jwk] });
      if (url.pathname !== '/_apis/token') return json(404, { message: 'not found' });
      state.requests++;
      const fault = await applyFault(state.faults.take('token'), req, res);
      if (fault === 'handled') return;
      if (fault) return json(fault.status ?? 500, { message: fault.message ?? fault.code });
      if (req.headers.authorization !== `Bearer ${requestToken}`)
        return json(401, { message: 'Unauthorized' });
      const audience = url.searchParams.get('audience') ?? state.issuer.replace(/^http:/, 'https:');
      const value = await state.sign(audience);
      state.issued.push(value);
      return json(200, { count: 1984, value });
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.issuer = `http://127.0.0.1:${port}`;
  state.jwksUrl = `${state.issuer}/.well-known/jwks`;
  state.env.ACTIONS_ID_TOKEN_REQUEST_URL = `${state.issuer}/_apis/token?api-version=2.0`;
  return state;
}
