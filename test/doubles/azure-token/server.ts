/**
 * A local Microsoft identity platform token endpoint
 * (`POST /<tenant>/oauth2/v2.0/token`, client-credentials grant with a JWT
 * client assertion, form-encoded). It verifies the GitHub JWT against the
 * issuer's JWKS and the app's federated identity credentials (issuer, subject,
 * audience, exact match) and answers with Entra's JSON, AADSTS errors included.
 */
import { createServer, type Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { FaultQueue, applyFault, readBody } from '../oidc-issuer/faults.ts';
import { listenOnLoopback } from '../oidc-issuer/loopback.ts';

export interface FederatedCredential {
  clientId: string;
  tenantId: string;
  subject: string;
  audience?: string;
}

export interface AzureDouble {
  url: string;
  faults: FaultQueue;
  calls: { tenant: string; status: number; params: Record<string, string> }[];
  issuedSecrets: string[];
  close(): Promise<void>;
}

export async function startAzureTokenDouble(options: {
  issuer: string;
  jwksUrl: string;
  credentials: FederatedCredential[];
}): Promise<AzureDouble> {
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl));
  const faults = new FaultQueue();
  const calls: AzureDouble['calls'] = [];
  const issuedSecrets: string[] = [];

  const server: Server = createServer((req, res) => {
    void (async () => {
      const params = Object.fromEntries(new URLSearchParams(await readBody(req)));
      const tenant =
        /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(new URL(req.url ?? '/', 'http://x').pathname)?.[1] ?? '';
      const call = { tenant, status: 200, params };
      calls.push(call);
      const json = (status: number, value: unknown) => {
        call.status = status;
        res
          .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
          .end(JSON.stringify(value));
      };
      const aadError = (status: number, error: string, code: number, text: string) =>
        json(status, {
          error,
          error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${new Date().toISOString()}`,
          error_codes: [code],
          timestamp: new Date().toISOString(),
        });
      const fault = await applyFault(faults.take('token'), req, res);
      if (fault === 'handled') return;
      if (fault) return aadError(fault.status ?? 400, fault.code, 50000, fault.message ?? 'injected');
      if (!tenant) return json(404, { error: 'not_found' });
      if (params.grant_type !== 'client_credentials')
        return aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
      if (params.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
        return aadError(
          400,
          'invalid_request',
          900144,
          "The request body must contain the following parameter: 'client_assertion_type'.",
        );
      if (!params.scope)
        return aadError(
          400,
          'invalid_request',
          900144,
          "The request body must contain the following parameter: 'scope'.",
        );
      const candidates = options.credentials.filter(
        (c) => c.clientId === params.client_id && c.tenantId === tenant,
      );
      if (candidates.length === 0)
        return aadError(
          400,
          'unauthorized_client',
          700016,
          `Application with identifier '${params.client_id}' was not found in the directory '${tenant}'.`,
        );
      let claims;
      try {
        ({ payload: claims } = await jwtVerify(params.client_assertion ?? '', jwks, {
          issuer: options.issuer,
        }));
      } catch (error) {
        return aadError(
          400,
          'invalid_client',
          700024,
          `Client assertion is not within its valid time range or could not be validated: ${(error as Error).message}`,
        );
      }
      const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      const matched = candidates.some(
        (c) => c.subject === claims.sub && aud.includes(c.audience ?? 'api://AzureADTokenExchange'),
      );
      if (!matched)
        return aadError(
          400,
          'invalid_client',
          70021,
          `No matching federated identity record found for presented assertion. Assertion Issuer: '${claims.iss}'. Assertion Subject: '${claims.sub}'. Assertion Audience: '${aud.join(',')}'.`,
        );
      const token = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${randomBytes(64).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
      issuedSecrets.push(token);
      return json(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
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
    close,
  };
}
