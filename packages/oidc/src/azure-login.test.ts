// azureLogin against the Microsoft identity platform and OIDC-issuer doubles over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '@slipway/core';
import { startOidcIssuer, type OidcIssuer } from '../../../test/doubles/oidc-issuer/server.ts';
import { startAzureTokenDouble, type AzureDouble } from '../../../test/doubles/azure-token/server.ts';
import { azureLogin, planAzureLogin, type AzureLoginOptions } from './azure-login.ts';
import { recordingIo, tokenRequest } from './login-io.fixture.ts';

const CLIENT = '11111111-2222-3333-4444-555555555555';
const TENANT = '99999999-8888-7777-6666-555555555555';
const SCOPE = 'https://containerregistry.azure.net/.default';

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

const options = (overrides: Partial<AzureLoginOptions> = {}): AzureLoginOptions => ({
  clientId: CLIENT,
  tenantId: TENANT,
  authorityHost: azure.url,
  ...overrides,
});

async function login(opts: AzureLoginOptions, io = recordingIo()) {
  return azureLogin(opts, planAzureLogin(opts).audience, tokenRequest(issuer), io);
}

describe('azureLogin against the Entra double', () => {
  it('without a scope it only mints the GitHub token for the federated token file', async () => {
    const before = azure.calls.length;
    const result = await login(options());
    expect(azure.calls.length).toBe(before);
    expect(result).toEqual({ githubToken: issuer.issued.at(-1) });
  });

  it('with a scope it sends a client-credentials grant with the GitHub token as assertion', async () => {
    const io = recordingIo();
    const result = await login(options({ scope: SCOPE }), io);
    const call = azure.calls.at(-1)!;
    expect(call.tenant).toBe(TENANT);
    expect(call.params).toEqual({
      client_id: CLIENT,
      scope: SCOPE,
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: result.githubToken,
    });
    expect(result.accessToken).toBe(azure.issuedSecrets.at(-1));
    expect(io.masked).toEqual(expect.arrayContaining([result.githubToken, result.accessToken]));
  });

  it('a client without a matching federated credential is a UserError with the token claims', async () => {
    const other = '00000000-1111-2222-3333-444444444444';
    const error = await login(options({ clientId: other, scope: SCOPE }), recordingIo(1)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).toMatch(
      new RegExp(
        `^The Microsoft identity platform refused the token exchange for client ${other} \\(HTTP 400 `,
      ),
    );
    expect(message).toContain('sub: repo:octo-org/octo-repo:ref:refs/heads/main');
    expect(message).not.toContain(issuer.issued.at(-1)!);
  });

  it('a 503 from the token endpoint is retried with a fresh GitHub token', async () => {
    const minted = issuer.issued.length;
    azure.faults.push({ kind: 'status', status: 503 });
    const io = recordingIo();
    await login(options({ scope: SCOPE }), io);
    expect(issuer.issued.length - minted).toBe(2);
    expect(io.lines[0]).toMatch(/^Microsoft identity platform token exchange: attempt 1 failed .*503/);
  });
});
