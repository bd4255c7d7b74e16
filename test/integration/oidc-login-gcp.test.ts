import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAction, type ActionRunResult } from '../harness/run-action.ts';
import { startOidcIssuer, type OidcIssuer } from '../doubles/oidc-issuer/server.ts';
import { findOidcLeaks } from '../doubles/oidc-issuer/leaks.ts';
import { startGoogleDouble, type GoogleDouble } from '../doubles/google-sts/server.ts';
import { errorOf, watchTokenTraffic } from './support/oidc-login.ts';

const actionDir = resolve(import.meta.dirname, '../../actions/oidc-login');
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
    condition: (claims) => claims.repository_owner === 'octo-org' && claims.ref === 'refs/heads/main',
    bindings: { [SA]: ['octo-org/octo-repo'], [STRANGER]: ['octo-org/elsewhere'] },
  });
});
const { calls, minted, secrets } = watchTokenTraffic(() => ({ issuer, cloud: google }));

function login(
  inputs: Record<string, string>,
  options: { skipPost?: boolean } = {},
): Promise<ActionRunResult> {
  return runAction({
    actionDir,
    inputs: {
      provider: 'gcp',
      'workload-identity-provider': PROVIDER,
      'google-sts-endpoint': google.url,
      'google-iam-credentials-endpoint': google.url,
      ...inputs,
    },
    env: issuer.env,
    ...options,
  });
}

describe('oidc-login gcp', () => {
  it('writes an external_account credentials file under RUNNER_TEMP without calling Google (token-format none)', async () => {
    const result = await login({ 'project-id': 'my-project' }, { skipPost: true });
    expect(result.exitCode).toBe(0);
    expect(calls()).toEqual([]);
    const file = result.outputs['credentials-file']!;
    expect(file.startsWith(join(result.runnerTemp, 'oidc-login-'))).toBe(true);
    expect(file.endsWith('/gcp-credentials.json')).toBe(true);
    expect(result.main.env).toEqual({
      GOOGLE_APPLICATION_CREDENTIALS: file,
      CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: file,
      GOOGLE_CLOUD_PROJECT: 'my-project',
      CLOUDSDK_CORE_PROJECT: 'my-project',
    });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      type: 'external_account',
      audience: `//iam.googleapis.com/${PROVIDER}`,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: `${google.url}/v1/token`,
      credential_source: {
        url: `${issuer.env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${encodeURIComponent(`https://iam.googleapis.com/${PROVIDER}`)}`,
        headers: { Authorization: `Bearer ${issuer.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
        format: { type: 'json', subject_token_field_name: 'value' },
      },
    });
    expect(findOidcLeaks(result, secrets())).toEqual([]);
  });

  it('exchanges at Google STS for a federated access token and the post step deletes the file', async () => {
    const result = await login({ 'token-format': 'access_token' });
    expect(result.exitCode).toBe(0);
    expect(calls().map((c) => [c.route, c.status])).toEqual([['sts', 200]]);
    expect(calls()[0]!.body).toEqual({
      grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience: `//iam.googleapis.com/${PROVIDER}`,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      requestedTokenType: 'urn:ietf:params:oauth:token-type:access_token',
      subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt',
      subjectToken: minted()[0],
    });
    const federated = google.issuedSecrets.at(-1)!;
    expect(result.outputs['access-token']).toBe(federated);
    expect(result.masks).toContain(federated);
    expect(existsSync(result.outputs['credentials-file']!)).toBe(false);
    expect(result.env.GOOGLE_APPLICATION_CREDENTIALS).toBe('');
    expect(findOidcLeaks(result, secrets())).toEqual([]);
  });

  it('impersonates a service account for an access token, project taken from its email', async () => {
    const result = await login(
      { 'service-account': SA, 'token-format': 'access_token', 'access-token-lifetime': '30m' },
      { skipPost: true },
    );
    expect(result.exitCode).toBe(0);
    expect(calls().map((c) => [c.route, c.status])).toEqual([
      ['sts', 200],
      ['generateAccessToken', 200],
    ]);
    expect(calls()[1]!.body).toEqual({
      scope: ['https://www.googleapis.com/auth/cloud-platform'],
      lifetime: '1800s',
    });
    expect(result.outputs['access-token']).toBe(google.issuedSecrets.at(-1));
    expect(result.outputs['project-id']).toBe('my-project');
    expect(result.main.env.GOOGLE_CLOUD_PROJECT).toBe('my-project');
    const file = JSON.parse(readFileSync(result.outputs['credentials-file']!, 'utf8')) as Record<
      string,
      unknown
    >;
    expect(file.service_account_impersonation_url).toBe(
      `${google.url}/v1/projects/-/serviceAccounts/${SA}:generateAccessToken`,
    );
    expect(findOidcLeaks(result, secrets())).toEqual([]);
  });

  it('mints an ID token through the service account', async () => {
    const result = await login({
      'service-account': SA,
      'token-format': 'id_token',
      'id-token-audience': 'https://run.example',
    });
    expect(result.exitCode).toBe(0);
    expect(calls().map((c) => c.route)).toEqual(['sts', 'generateIdToken']);
    expect(calls()[1]!.body).toEqual({ audience: 'https://run.example', includeEmail: true });
    expect(result.outputs['id-token']).toBe(google.issuedSecrets.at(-1));
    expect(result.masks).toContain(result.outputs['id-token']);
    expect(findOidcLeaks(result, secrets())).toEqual([]);
  });

  it('retries Google STS 503s and a dropped IAM connection, minting a fresh token each STS attempt', async () => {
    google.faults.push(
      { kind: 'status', route: 'sts', status: 503 },
      { kind: 'status', route: 'sts', status: 503 },
    );
    google.faults.push({ kind: 'drop', route: 'generateAccessToken' });
    const result = await login({ 'service-account': SA, 'token-format': 'access_token' });
    expect(result.exitCode).toBe(0);
    expect(calls().map((c) => c.route)).toEqual([
      'sts',
      'sts',
      'sts',
      'generateAccessToken',
      'generateAccessToken',
    ]);
    expect(new Set(minted()).size).toBe(3);
    expect(
      calls()
        .filter((c) => c.route === 'sts')
        .map((c) => c.body.subjectToken),
    ).toEqual(minted());
  });

  it('fails fast when the attribute condition rejects the token, printing the claims', async () => {
    issuer.claims = { ref: 'refs/heads/feature', sub: 'repo:octo-org/octo-repo:ref:refs/heads/feature' };
    try {
      const result = await login({ 'token-format': 'access_token' });
      expect(result.exitCode).toBe(1);
      expect(calls().map((c) => [c.route, c.status])).toEqual([['sts', 403]]);
      const message = errorOf(result);
      expect(message).toContain(
        `Google STS rejected the GitHub token for ${PROVIDER} (HTTP 403: unauthorized_client: The given credential is rejected by the attribute condition.)`,
      );
      expect(message).toContain('  sub: repo:octo-org/octo-repo:ref:refs/heads/feature');
      expect(message).toContain('  ref: refs/heads/feature');
      expect(findOidcLeaks(result, secrets())).toEqual([]);
    } finally {
      issuer.claims = {};
    }
  });

  it('fails fast on PERMISSION_DENIED with the binding to add', async () => {
    const result = await login({ 'service-account': STRANGER, 'token-format': 'access_token' });
    expect(result.exitCode).toBe(1);
    expect(calls().map((c) => [c.route, c.status])).toEqual([
      ['sts', 200],
      ['generateAccessToken', 403],
    ]);
    expect(errorOf(result)).toContain(
      `IAM Credentials generateAccessToken for ${STRANGER} failed (HTTP 403: PERMISSION_DENIED`,
    );
    expect(errorOf(result)).toContain('Grant roles/iam.workloadIdentityUser on');
  });

  it.each([
    [{ 'token-format': 'id_token' }, "Input 'token-format' is 'id_token' but service-account is not set."],
    [
      { 'workload-identity-provider': 'github-pool' },
      "Input 'workload-identity-provider' has the value 'github-pool', which is not a provider resource name.",
    ],
    [{ 'google-sts-endpoint': 'http://sts.example.com' }, "Input 'google-sts-endpoint'"],
  ])('%o fails before any request', async (inputs, message) => {
    const result = await login(inputs);
    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toContain(message);
    expect(calls()).toEqual([]);
    expect(minted()).toEqual([]);
  });
});
