/** The Azure token double must refuse what Entra ID refuses. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport } from '@slipway/core';
import { startOidcIssuer, type OidcIssuer } from '../oidc-issuer/server.ts';
import { startAzureTokenDouble, type AzureDouble } from './server.ts';

const CLIENT = '11111111-2222-4333-8444-555555555555';
const TENANT = '99999999-8888-4777-8666-555555555555';
const http = createHttpTransport({ userAgent: 'slipway-test', timeoutMs: 5000 });
let issuer: OidcIssuer;
let azure: AzureDouble;

beforeAll(async () => {
  issuer = await startOidcIssuer();
  azure = await startAzureTokenDouble({
    issuer: issuer.issuer,
    jwksUrl: issuer.jwksUrl,
    credentials: [
      { clientId: CLIENT, tenantId: TENANT, subject: 'repo:octo-org/octo-repo:ref:refs/heads/main' },
    ],
  });
});
afterAll(async () => {
  await azure.close();
  await issuer.close();
});

async function exchange(assertion: string, tenant = TENANT) {
  const response = await http({
    method: 'POST',
    url: `${azure.url}/${tenant}/oauth2/v2.0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: CLIENT,
      scope: 'https://management.azure.com/.default',
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }).toString(),
  });
  const body = JSON.parse(response.body.toString()) as {
    error?: string;
    error_codes?: number[];
    token_type?: string;
  };
  return [response.status, body.error ?? body.token_type, body.error_codes?.[0]];
}

describe('Azure token double', () => {
  it('issues for a matching federated credential only', async () => {
    expect(await exchange(await issuer.sign('api://AzureADTokenExchange'))).toEqual([
      200,
      'Bearer',
      undefined,
    ]);
    expect(await exchange(await issuer.sign('sts.amazonaws.com'))).toEqual([400, 'invalid_client', 70021]);
    expect(
      await exchange(
        await issuer.sign('api://AzureADTokenExchange', { sub: 'repo:octo-org/octo-repo:pull_request' }),
      ),
    ).toEqual([400, 'invalid_client', 70021]);
    const expired = await issuer.sign('api://AzureADTokenExchange', {
      exp: Math.floor(Date.now() / 1000) - 60,
    });
    expect(await exchange(expired)).toEqual([400, 'invalid_client', 700024]);
    expect(await exchange(await issuer.sign('api://AzureADTokenExchange'), 'other-tenant.example')).toEqual([
      400,
      'unauthorized_client',
      700016,
    ]);
  });
});
