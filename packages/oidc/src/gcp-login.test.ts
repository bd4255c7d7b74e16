// gcpLogin against the Google STS/IAM Credentials and OIDC-issuer doubles over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '@slipway/core';
import { startOidcIssuer, type OidcIssuer } from '../../../test/doubles/oidc-issuer/server.ts';
import { startGoogleDouble, type GoogleDouble } from '../../../test/doubles/google-sts/server.ts';
import { gcpLogin, planGcpLogin, type GcpLoginOptions } from './gcp-login.ts';
import { recordingIo, tokenRequest } from './login-io.fixture.ts';

const PROVIDER = 'projects/123456789/locations/global/workloadIdentityPools/github/providers/github-actions';
const SA = 'deploy@my-project.iam.gserviceaccount.com';
const STRANGER = 'stranger@my-project.iam.gserviceaccount.com';

let issuer: OidcIssuer;
let google: GoogleDouble;

beforeAll(async () => {
  issuer = await startOidcIssuer();
  google = await startGoogleDouble({
    issuer: issuer.issuer,
    jwksUrl: issuer.jwksUrl,
    provider: PROVIDER,
    bindings: { [SA]: ['octo-org/octo-repo'], [STRANGER]: ['octo-org/elsewhere'] },
  });
});
afterAll(async () => {
  await google.close();
  await issuer.close();
});

function options(overrides: Partial<GcpLoginOptions> = {}): GcpLoginOptions {
  return {
    workloadIdentityProvider: PROVIDER,
    serviceAccount: SA,
    tokenFormat: 'access_token',
    accessTokenLifetimeSeconds: 600,
    accessTokenScopes: ['https://www.googleapis.com/auth/cloud-platform'],
    stsEndpoint: google.url,
    iamCredentialsEndpoint: google.url,
    ...overrides,
  };
}

async function login(opts: GcpLoginOptions, io = recordingIo()) {
  return { result: await gcpLogin(opts, planGcpLogin(opts).audience, tokenRequest(issuer), io), io };
}

describe('gcpLogin against the Google doubles', () => {
  it('token-format none writes the credentials document and calls nobody', async () => {
    const before = google.calls.length;
    const minted = issuer.issued.length;
    const { result } = await login(options({ tokenFormat: 'none' }));
    expect(google.calls.length).toBe(before);
    expect(issuer.issued.length).toBe(minted);
    expect(JSON.parse(result.credentialsJson)).toMatchObject({
      type: 'external_account',
      audience: `//iam.googleapis.com/${PROVIDER}`,
      token_url: `${google.url}/v1/token`,
      service_account_impersonation_url: `${google.url}/v1/projects/-/serviceAccounts/${SA}:generateAccessToken`,
    });
  });

  it('exchanges at STS, impersonates the service account, and masks both tokens', async () => {
    const before = google.calls.length;
    const { result, io } = await login(options());
    expect(google.calls.slice(before).map((c) => [c.route, c.status])).toEqual([
      ['sts', 200],
      ['generateAccessToken', 200],
    ]);
    const [federated, access] = google.issuedSecrets.slice(-2);
    expect(result.accessToken).toBe(access);
    expect(io.masked).toEqual(expect.arrayContaining([federated, access, issuer.issued.at(-1)]));
    expect(io.lines).toEqual([
      `Exchanged the GitHub OIDC token at Google STS for ${PROVIDER}`,
      `Impersonated ${SA} (generateAccessToken)`,
    ]);
  });

  it('without a service account the federated token is the access token', async () => {
    const { result } = await login(options({ serviceAccount: undefined }));
    expect(result.accessToken).toBe(google.issuedSecrets.at(-1));
  });

  it('a 503 from STS is retried with a fresh GitHub token', async () => {
    const minted = issuer.issued.length;
    google.faults.push({ kind: 'status', route: 'sts', status: 503 });
    const { io } = await login(options({ tokenFormat: 'id_token', idTokenAudience: 'https://app.example' }));
    expect(issuer.issued.length - minted).toBe(2);
    expect(io.lines[0]).toMatch(/^Google STS token exchange: attempt 1 failed .*503/);
    expect(io.lines.at(-1)).toBe(`Impersonated ${SA} (generateIdToken)`);
  });

  it('a service account the repository may not impersonate is a UserError with the binding to grant', async () => {
    const error = await login(options({ serviceAccount: STRANGER })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      new RegExp(`^IAM Credentials generateAccessToken for ${STRANGER} failed \\(HTTP 403: `),
    );
    expect((error as UserError).hint).toContain(`Grant roles/iam.workloadIdentityUser on ${STRANGER}`);
  });
});
