import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAction, type ActionRunResult } from '../harness/run-action.ts';
import { startOidcIssuer, type OidcIssuer } from '../doubles/oidc-issuer/server.ts';
import { findOidcLeaks } from '../doubles/oidc-issuer/leaks.ts';
import { startAzureTokenDouble, type AzureDouble } from '../doubles/azure-token/server.ts';
import { errorOf, watchTokenTraffic } from './support/oidc-login.ts';

const actionDir = resolve(import.meta.dirname, '../../actions/oidc-login');
const CLIENT = '6f1c2b3a-0d4e-4f5a-9b8c-7d6e5f4a3b2c';
const OTHER_CLIENT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const SUBSCRIPTION = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const SCOPE = 'https://management.azure.com/.default';

let issuer: OidcIssuer;
let azure: AzureDouble;

beforeAll(async () => {
  issuer = await startOidcIssuer();
  azure = await startAzureTokenDouble({
    issuer: issuer.issuer,
    jwksUrl: issuer.jwksUrl,
    credentials: [
      { clientId: CLIENT, tenantId: TENANT, subject: 'repo:octo-org/octo-repo:ref:refs/heads/main' },
      { clientId: OTHER_CLIENT, tenantId: TENANT, subject: 'repo:octo-org/octo-repo:environment:prod' },
    ],
  });
});
const { calls, minted, secrets } = watchTokenTraffic(() => ({ issuer, cloud: azure }));

function login(
  inputs: Record<string, string>,
  options: { skipPost?: boolean } = {},
): Promise<ActionRunResult> {
  return runAction({
    actionDir,
    inputs: {
      provider: 'azure',
      'client-id': CLIENT,
      'tenant-id': TENANT,
      'azure-authority-host': azure.url,
      ...inputs,
    },
    env: issuer.env,
    ...options,
  });
}

describe('oidc-login azure', () => {
  it('writes the federated token file and exports the workload-identity and Terraform variables', async () => {
    const result = await login({ 'subscription-id': SUBSCRIPTION }, { skipPost: true });
    expect(result.exitCode).toBe(0);
    expect(calls()).toEqual([]);
    expect(minted()).toHaveLength(1);
    const file = result.outputs['federated-token-file']!;
    expect(file).toBe(join(file.slice(0, file.lastIndexOf('/')), 'azure-federated-token'));
    expect(file.startsWith(join(result.runnerTemp, 'oidc-login-'))).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(minted()[0]);
    expect(result.main.env).toEqual({
      AZURE_CLIENT_ID: CLIENT,
      AZURE_TENANT_ID: TENANT,
      AZURE_FEDERATED_TOKEN_FILE: file,
      AZURE_AUTHORITY_HOST: `${azure.url}/`,
      ARM_USE_OIDC: 'true',
      ARM_CLIENT_ID: CLIENT,
      ARM_TENANT_ID: TENANT,
      ARM_OIDC_TOKEN_FILE_PATH: file,
      AZURE_SUBSCRIPTION_ID: SUBSCRIPTION,
      ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
    });
    // the token was minted for Azure's audience
    const claims = JSON.parse(Buffer.from(minted()[0]!.split('.')[1]!, 'base64url').toString()) as {
      aud: string;
    };
    expect(claims.aud).toBe('api://AzureADTokenExchange');
    expect(findOidcLeaks(result, secrets())).toEqual([]);
  });

  it('exchanges the token for an access token when azure-scope is set; the post step deletes the file', async () => {
    const result = await login({ 'azure-scope': SCOPE });
    expect(result.exitCode).toBe(0);
    expect(calls().map((c) => [c.tenant, c.status])).toEqual([[TENANT, 200]]);
    expect(calls()[0]!.params).toEqual({
      client_id: CLIENT,
      scope: SCOPE,
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: minted()[0],
    });
    expect(result.outputs['access-token']).toBe(azure.issuedSecrets.at(-1));
    expect(result.masks).toContain(result.outputs['access-token']);
    expect(existsSync(result.outputs['federated-token-file']!)).toBe(false);
    expect(result.env.AZURE_FEDERATED_TOKEN_FILE).toBe('');
    expect(result.env.ARM_OIDC_TOKEN_FILE_PATH).toBe('');
    expect(result.env.AZURE_CLIENT_ID).toBe(CLIENT);
    expect(findOidcLeaks(result, secrets())).toEqual([]);
  });

  it('fails fast on AADSTS70021 and prints the claims to compare with the federated credential', async () => {
    const result = await login({ 'client-id': OTHER_CLIENT, 'azure-scope': SCOPE });
    expect(result.exitCode).toBe(1);
    expect(calls().map((c) => c.status)).toEqual([400]);
    const message = errorOf(result);
    expect(message).toContain(
      `The Microsoft identity platform refused the token exchange for client ${OTHER_CLIENT} (HTTP 400 invalid_client: AADSTS70021: No matching federated identity record found for presented assertion.`,
    );
    expect(message).toContain('  sub: repo:octo-org/octo-repo:ref:refs/heads/main');
    expect(message).toContain('  aud: api://AzureADTokenExchange');
    expect(message).not.toContain('Trace ID');
    expect(findOidcLeaks(result, secrets())).toEqual([]);
  });

  it('retries a 503 and a dropped connection with a fresh GitHub token each attempt', async () => {
    azure.faults.push({ kind: 'status', route: 'token', status: 503 }, { kind: 'drop', route: 'token' });
    const result = await login({ 'azure-scope': SCOPE });
    expect(result.exitCode).toBe(0);
    expect(calls()).toHaveLength(3);
    expect(new Set(minted()).size).toBe(3);
    expect(calls().map((c) => c.params.client_assertion)).toEqual(minted());
    // the file holds the token of the attempt that succeeded
    expect(result.outputs['access-token']).toBe(azure.issuedSecrets.at(-1));
  });

  it.each([
    [
      { 'client-id': 'my-app' },
      "Input 'client-id' has the value 'my-app'. Expected the application (client) ID, a GUID.",
    ],
    [{ 'tenant-id': '' }, "Input 'tenant-id' is required but was not set."],
    [{ 'azure-authority-host': 'http://login.example.com' }, "Input 'azure-authority-host'"],
  ])('%o fails before any request', async (inputs, message) => {
    const result = await login(inputs);
    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toContain(message);
    expect(minted()).toEqual([]);
  });

  it('fails with the permissions fix when the OIDC request variables are missing', async () => {
    const result = await runAction({
      actionDir,
      inputs: { provider: 'azure', 'client-id': CLIENT, 'tenant-id': TENANT },
    });
    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toContain(
      'This job cannot request a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set.\nAdd `permissions: id-token: write` to the job',
    );
  });
});
