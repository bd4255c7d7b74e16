/**
 * Sigstore public-good stand-ins on one loopback HTTP server, from @sigstore/mock:
 * Fulcio (`POST /api/v2/signingCert`) and Rekor (`POST /api/v1/log/entries`, with
 * `dsse` entries canonicalised as real Rekor does: rekor-canonical.ts),
 * plus a minimal GitHub Actions OIDC token endpoint (`GET /oidc/token?audience=…`
 * with `Authorization: Bearer <request token>`, answering `{"value": "<jwt>"}`)
 * as the runner exposes it through ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN, and that
 * issuer's public key as a JWKS (`GET /oidc/jwks`), for a cloud double that trusts
 * the same tokens (e.g. AWS STS's AssumeRoleWithWebIdentity).
 *
 * The mock Fulcio puts the token's `fulcio_san` claim in the certificate's URI
 * SAN and its `iss` in the issuer extension; the token endpoint sets
 * `fulcio_san` to `https://github.com/<job_workflow_ref>`, the identity real
 * Fulcio derives for GitHub Actions tokens. `trustedRoot()` is the matching
 * Sigstore TrustedRoot JSON for offline verification.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fulcioHandler, initializeTLog, rekorHandler } from '@sigstore/mock';
import { SignJWT, exportJWK } from 'jose';
import { createFulcioCA } from './fulcio-ca.ts';
import { canonicalRekorEntry } from './rekor-canonical.ts';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

export interface TokenClaims {
  repository: string;
  ref: string;
  sha: string;
  workflowPath: string;
  issuer: string;
  /**
   * `owner/repo/<path>@<ref>` of the workflow file that ran the job, when it is
   * not the repository's own (a reusable workflow called from another repository:
   * the certificate SAN names it, the repository claims name the caller).
   */
  jobWorkflowRef?: string;
  /** `event_name`: the certificate's trigger (.1.2, .1.20). */
  eventName: string;
  /** `repository_id` and `repository_owner_id` (.1.15, .1.17). */
  repositoryId: string;
  repositoryOwnerId: string;
  /**
   * `workflow_ref`, the caller's top-level workflow (.1.18 Build Config URI), when it is not
   * `<repository>/<workflowPath>@<ref>`.
   */
  workflowRef?: string;
  /**
   * The certificate subject instead of the workflow identity, e.g. an email address
   * (an rfc822Name SAN, as for cosign's own release signer) with a Google issuer.
   */
  subject?: string;
}

export interface SigstoreServices {
  url: string;
  fulcioUrl: string;
  rekorUrl: string;
  /** Environment a step needs to mint an OIDC token here. */
  oidcEnv: { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  /** The JWKS of the key that signs those tokens. */
  jwksUrl: string;
  /** The certificate identity a signature made with the default claims carries. */
  identity: string;
  /** Tokens minted so far (tests check they were masked and never printed). */
  tokens: string[];
  counts: { fulcio: number; rekor: number; oidc: number };
  /** Change the claims of the next tokens (another workflow, another issuer). */
  setClaims(claims: Partial<TokenClaims>): void;
  trustedRoot(): object;
  stop(): Promise<void>;
}

const DEFAULT_CLAIMS: TokenClaims = {
  repository: 'octo-org/octo-repo',
  ref: 'refs/heads/main',
  sha: 'ffac537e6cbbf934b08745a378932722df287a53',
  workflowPath: '.github/workflows/release.yml',
  issuer: GITHUB_ISSUER,
  eventName: 'push',
  repositoryId: '700001',
  repositoryOwnerId: '900001',
};

const ecKeyPair = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const b64 = (bytes: Buffer) => bytes.toString('base64');

export interface SigstoreServicesOptions {
  /** Run a CT log and embed its SCT in every certificate (default true, as public-good Fulcio). */
  ctLog?: boolean;
}

export async function startSigstoreServices(
  options: SigstoreServicesOptions = {},
): Promise<SigstoreServices> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The CA is ours (fulcio-ca.ts), served through the mock's Fulcio handler: the mock's own CA
  // embeds SCT lists that @sigstore/core cannot parse.
  const ctLogKey = options.ctLog === false ? undefined : ecKeyPair().privateKey;
  const ca = await createFulcioCA({ ctLogKey });
  const tlog = await initializeTLog(url, ecKeyPair());
  const fulcio = fulcioHandler(ca, { subjectClaim: 'fulcio_san' });
  const rekor = rekorHandler(tlog);
  const requestToken = randomBytes(16).toString('hex');
  const jwtKey = ecKeyPair();
  let claims = { ...DEFAULT_CLAIMS };
  const tokens: string[] = [];
  const counts = { fulcio: 0, rekor: 0, oidc: 0 };

  const jobWorkflowRefOf = (c: TokenClaims) =>
    c.jobWorkflowRef ?? `${c.repository}/${c.workflowPath}@${c.ref}`;
  const identityOf = (c: TokenClaims) => c.subject ?? `https://github.com/${jobWorkflowRefOf(c)}`;

  server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const path = new URL(req.url ?? '/', url);
        const body = Buffer.concat(chunks).toString('utf8');
        const handler =
          req.method === 'POST' && path.pathname === fulcio.path
            ? (counts.fulcio++, fulcio)
            : req.method === 'POST' && path.pathname === rekor.path
              ? (counts.rekor++, rekor)
              : undefined;
        if (handler) {
          let entry = body;
          if (handler === fulcio) entry = withBearerCredentials(body, req.headers.authorization);
          if (handler === rekor) {
            try {
              entry = canonicalRekorEntry(body);
            } catch (error) {
              res.writeHead(400, { 'content-type': 'text/plain' }).end((error as Error).message);
              return;
            }
          }
          const result = await handler.fn(entry);
          // Fulcio's v2 REST API answers 200 (sigstore-go, so cosign v3, refuses anything else);
          // the mock answers 201, as Fulcio's v1 API did
          if (handler === fulcio && result.statusCode === 201) result.statusCode = 200;
          res.writeHead(result.statusCode, {
            'content-type': result.contentType ?? 'text/plain',
            ...(handler === rekor && result.statusCode === 201 ? entryHeaders(result.response) : {}),
          });
          res.end(result.response);
          return;
        }
        if (req.method === 'GET' && path.pathname === '/oidc/jwks') {
          const jwk = { ...(await exportJWK(jwtKey.publicKey)), alg: 'ES256', use: 'sig' };
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
          return;
        }
        if (req.method === 'GET' && path.pathname === '/oidc/token') {
          counts.oidc++;
          // the auth scheme is case-insensitive (RFC 9110 11.1): cosign sends `bearer <token>`
          const presented = /^bearer +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
          if (presented !== requestToken) {
            res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Bad credentials"}');
            return;
          }
          const now = Math.floor(Date.now() / 1000);
          const jobWorkflowRef = jobWorkflowRefOf(claims);
          const token = await new SignJWT({
            repository: claims.repository,
            repository_owner: claims.repository.split('/')[0],
            ref: claims.ref,
            sha: claims.sha,
            repository_id: claims.repositoryId,
            repository_owner_id: claims.repositoryOwnerId,
            workflow: 'release',
            workflow_ref: claims.workflowRef ?? `${claims.repository}/${claims.workflowPath}@${claims.ref}`,
            workflow_sha: claims.sha,
            event_name: claims.eventName,
            job_workflow_ref: jobWorkflowRef,
            runner_environment: 'github-hosted',
            fulcio_san: identityOf(claims),
          })
            .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
            .setIssuer(claims.issuer)
            .setSubject(`repo:${claims.repository}:ref:${claims.ref}`)
            .setAudience(path.searchParams.get('audience') ?? 'https://github.com/octo-org')
            .setIssuedAt(now)
            .setNotBefore(now - 5)
            .setExpirationTime(now + 300)
            .setJti(randomBytes(8).toString('hex'))
            .sign(jwtKey.privateKey);
          tokens.push(token);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: token }));
          return;
        }
        res.writeHead(404).end('not found');
      })().catch((error: unknown) => res.writeHead(500).end(String(error)));
    });
  });

  const longAgo = '2020-01-01T00:00:00Z';
  return {
    url,
    fulcioUrl: url,
    rekorUrl: url,
    oidcEnv: {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${url}/oidc/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
    },
    jwksUrl: `${url}/oidc/jwks`,
    get identity() {
      return identityOf(claims);
    },
    tokens,
    counts,
    setClaims(next) {
      claims = { ...DEFAULT_CLAIMS, ...next };
    },
    trustedRoot: () => ({
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [
        {
          baseUrl: url,
          hashAlgorithm: 'SHA2_256',
          publicKey: {
            rawBytes: b64(tlog.publicKey),
            keyDetails: 'PKIX_ECDSA_P256_SHA_256',
            validFor: { start: longAgo },
          },
          logId: { keyId: b64(createHash('sha256').update(tlog.publicKey).digest()) },
        },
      ],
      certificateAuthorities: [
        {
          subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
          uri: url,
          certChain: { certificates: [{ rawBytes: b64(ca.rootCertificate) }] },
          validFor: { start: longAgo },
        },
      ],
      ctlogs: ca.ctLogPublicKey
        ? [
            {
              baseUrl: url,
              hashAlgorithm: 'SHA2_256',
              publicKey: {
                rawBytes: b64(ca.ctLogPublicKey),
                keyDetails: 'PKIX_ECDSA_P256_SHA_256',
                validFor: { start: longAgo },
              },
              logId: { keyId: b64(createHash('sha256').update(ca.ctLogPublicKey).digest()) },
            },
          ]
        : [],
      timestampAuthorities: [],
    }),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Fulcio's v2 REST API takes the OIDC token in the body (`credentials.oidcIdentityToken`, as
 * sigstore-js sends it) or as `Authorization: Bearer <token>` (as sigstore-go, so cosign v3,
 * sends it); the mock's handler reads only the body, so a header token is moved into it.
 */
function withBearerCredentials(body: string, authorization: string | undefined): string {
  const token = /^bearer +(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return body;
  try {
    const request = JSON.parse(body) as { credentials?: { oidcIdentityToken?: string } };
    if (request.credentials?.oidcIdentityToken) return body;
    return JSON.stringify({ ...request, credentials: { oidcIdentityToken: token } });
  } catch {
    return body;
  }
}

/**
 * Real Rekor names the new entry in `ETag` and `Location` too; go-swagger clients (sigstore-go,
 * so cosign v3) read the entry out of the response body by the ETag (without it cosign panics).
 */
function entryHeaders(response: string | Buffer): Record<string, string> {
  const uuid = Object.keys(JSON.parse(response.toString()) as Record<string, unknown>)[0];
  return uuid ? { etag: uuid, location: `/api/v1/log/entries/${uuid}` } : {};
}
