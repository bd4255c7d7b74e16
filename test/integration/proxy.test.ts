/**
 * oidc-login behind an HTTP proxy, through the committed bundle: the OIDC token
 * request and the AWS STS, Google STS/IAM and Azure token calls go through an
 * intercepting tunnel of the proxy double (doubles addressed by names that do not
 * resolve, see support/forward-proxies.ts); NO_PROXY sends a call directly (and
 * fails: ENOTFOUND); proxy credentials in the URL work and never show; a 407 is
 * reported with the tunnel it refused.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLeaks, runAction } from '../harness/run-action.ts';
import { startOidcIssuer, type OidcIssuer } from '../doubles/oidc-issuer/server.ts';
import { startStsDouble, type StsDouble } from '../doubles/aws-sts/server.ts';
import { startGoogleDouble, type GoogleDouble } from '../doubles/google-sts/server.ts';
import { startAzureTokenDouble, type AzureDouble } from '../doubles/azure-token/server.ts';
import { errorOf } from './support/oidc-login.ts';
import { ACTIONS_DIR, proxyCredentialLeaks, seen, useForwardProxies } from './support/forward-proxies.ts';

const proxies = useForwardProxies();

describe('oidc-login (aws) behind a proxy', () => {
  const ROLE = 'arn:aws:iam::111122223333:role/gha-deploy';
  let issuer: OidcIssuer;
  let sts: StsDouble;
  let tokenUrl: string;
  let stsUrl: string;
  beforeAll(async () => {
    issuer = await startOidcIssuer();
    sts = await startStsDouble({
      issuer: issuer.issuer,
      jwksUrl: issuer.jwksUrl,
      roles: [{ arn: ROLE, webIdentity: { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/octo-repo:*' } }],
    });
    tokenUrl = proxies.proxied(
      issuer.env.ACTIONS_ID_TOKEN_REQUEST_URL,
      'token.actions.proxied.test',
      'https',
    );
    stsUrl = proxies.proxied(sts.url, 'sts.proxied.test', 'https');
  });
  afterAll(async () => {
    await sts?.close();
    await issuer?.close();
  });

  const login = (env: Record<string, string>, inputs: Record<string, string> = {}) =>
    runAction({
      actionDir: join(ACTIONS_DIR, 'oidc-login'),
      inputs: {
        provider: 'aws',
        'aws-region': 'us-east-1',
        'sts-endpoint': stsUrl,
        'role-to-assume': ROLE,
        ...inputs,
      },
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: tokenUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
        ...env,
      },
      skipPost: true,
    });

  it('requests the GitHub token and calls STS through the proxy, and exports the credentials', async () => {
    const from = proxies.plain.log.length;
    const result = await login(proxies.plain.env());
    expect(errorOf(result)).toBe('');
    expect(result.exitCode).toBe(0);
    expect(seen(proxies.plain, from)).toEqual([
      'GET https://token.actions.proxied.test/_apis/token?api-version=2.0&audience=sts.amazonaws.com 200',
      'POST https://sts.proxied.test/ 200',
    ]);
    const [keyId, secret, sessionToken] = sts.issuedSecrets.slice(-3) as [string, string, string];
    expect(result.main.env.AWS_ACCESS_KEY_ID).toBe(keyId);
    expect(result.main.env.AWS_SECRET_ACCESS_KEY).toBe(secret);
    expect(result.main.env.AWS_SESSION_TOKEN).toBe(sessionToken);
    expect(result.outputs['aws-account-id']).toBe('111122223333');
  });

  it('sends the STS call directly when NO_PROXY lists its host (the name does not resolve: ENOTFOUND)', async () => {
    const from = proxies.plain.log.length;
    const result = await login(
      proxies.plain.env({ noProxy: 'localhost,.example.com,sts.proxied.test', names: 'lower' }),
      {
        'max-attempts': '1',
      },
    );
    expect(result.exitCode).toBe(1);
    expect(seen(proxies.plain, from)).toEqual([
      'GET https://token.actions.proxied.test/_apis/token?api-version=2.0&audience=sts.amazonaws.com 200',
    ]);
    expect(errorOf(result).split('\n')[0]).toBe(
      'AssumeRoleWithWebIdentity at https://sts.proxied.test did not succeed: getaddrinfo ENOTFOUND sts.proxied.test.',
    );
  });

  it('authenticates to a proxy with the credentials in its URL, which never show in the log', async () => {
    const from = proxies.auth.log.length;
    const result = await login(proxies.auth.env());
    expect(errorOf(result)).toBe('');
    expect(result.exitCode).toBe(0);
    expect(proxies.auth.log.slice(from).map((e) => `${e.kind} ${e.host} ${e.status}`)).toEqual([
      'connect token.actions.proxied.test 200',
      'tunnelled token.actions.proxied.test 200',
      'connect sts.proxied.test 200',
      'tunnelled sts.proxied.test 200',
    ]);
    expect(proxyCredentialLeaks(result)).toEqual([]);
    expect(findLeaks(result, sts.issuedSecrets.slice(-3))).toEqual([]);
  });

  it('fails at once, naming the tunnel, when the proxy wants credentials the URL does not carry (407)', async () => {
    const from = proxies.auth.log.length;
    const anonymous = `http://127.0.0.1:${proxies.auth.port}`;
    const result = await login({
      ...proxies.auth.env(),
      HTTPS_PROXY: anonymous,
      https_proxy: anonymous,
      HTTP_PROXY: anonymous,
      http_proxy: anonymous,
    });
    expect(result.exitCode).toBe(1);
    // not retried (max-attempts is 5): credentials do not appear by themselves
    expect(proxies.auth.log.slice(from).map((e) => `${e.kind} ${e.host} ${e.status}`)).toEqual([
      'connect token.actions.proxied.test 407',
    ]);
    expect(errorOf(result).split('\n')[0]).toBe(
      'AssumeRoleWithWebIdentity at https://sts.proxied.test did not succeed: the proxy answered HTTP 407 to CONNECT token.actions.proxied.test:443: it wants credentials, or refused the ones given (http://user:password@proxy:port in HTTPS_PROXY/HTTP_PROXY).',
    );
  });
});

describe('oidc-login (gcp, azure) behind a proxy', () => {
  const PROVIDER =
    'projects/123456789/locations/global/workloadIdentityPools/github/providers/github-actions';
  const SA = 'deploy@my-project.iam.gserviceaccount.com';
  const CLIENT = '11111111-2222-3333-4444-555555555555';
  const TENANT = '66666666-7777-8888-9999-000000000000';
  let issuer: OidcIssuer;
  let google: GoogleDouble;
  let azure: AzureDouble;
  let tokenEnv: Record<string, string>;
  beforeAll(async () => {
    issuer = await startOidcIssuer();
    google = await startGoogleDouble({
      issuer: issuer.issuer,
      jwksUrl: issuer.jwksUrl,
      provider: PROVIDER,
      condition: (claims) => claims.repository_owner === 'octo-org',
      bindings: { [SA]: ['octo-org/octo-repo'] },
    });
    azure = await startAzureTokenDouble({
      issuer: issuer.issuer,
      jwksUrl: issuer.jwksUrl,
      credentials: [
        { clientId: CLIENT, tenantId: TENANT, subject: 'repo:octo-org/octo-repo:ref:refs/heads/main' },
      ],
    });
    tokenEnv = {
      ACTIONS_ID_TOKEN_REQUEST_URL: proxies.proxied(
        issuer.env.ACTIONS_ID_TOKEN_REQUEST_URL,
        'token.multicloud.proxied.test',
        'https',
      ),
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
    };
  });
  afterAll(async () => {
    await azure?.close();
    await google?.close();
    await issuer?.close();
  });

  it('gcp: Google STS and IAM Credentials through the proxy', async () => {
    const from = proxies.plain.log.length;
    const result = await runAction({
      actionDir: join(ACTIONS_DIR, 'oidc-login'),
      inputs: {
        provider: 'gcp',
        'workload-identity-provider': PROVIDER,
        'google-sts-endpoint': proxies.proxied(google.url, 'sts.google.proxied.test', 'https'),
        'google-iam-credentials-endpoint': proxies.proxied(
          google.url,
          'iamcredentials.proxied.test',
          'https',
        ),
        'service-account': SA,
        'token-format': 'access_token',
      },
      env: { ...tokenEnv, ...proxies.plain.env({ names: 'lower' }) },
      skipPost: true,
    });
    expect(errorOf(result)).toBe('');
    expect(result.outputs['access-token']).toBe(google.issuedSecrets.at(-1));
    expect(seen(proxies.plain, from).map((line) => line.replace(/\?.*? /, '?… '))).toEqual([
      'GET https://token.multicloud.proxied.test/_apis/token?… 200',
      'POST https://sts.google.proxied.test/v1/token 200',
      `POST https://iamcredentials.proxied.test/v1/projects/-/serviceAccounts/${encodeURIComponent(SA)}:generateAccessToken 200`,
    ]);
  });

  it('azure: the Microsoft identity platform token call through the proxy', async () => {
    const from = proxies.plain.log.length;
    const result = await runAction({
      actionDir: join(ACTIONS_DIR, 'oidc-login'),
      inputs: {
        provider: 'azure',
        'client-id': CLIENT,
        'tenant-id': TENANT,
        'azure-authority-host': proxies.proxied(azure.url, 'login.microsoftonline.proxied.test', 'https'),
        'azure-scope': 'https://management.azure.com/.default',
      },
      env: { ...tokenEnv, ...proxies.plain.env({ names: 'upper' }) },
      skipPost: true,
    });
    expect(errorOf(result)).toBe('');
    expect(result.outputs['access-token']).toBe(azure.issuedSecrets.at(-1));
    expect(seen(proxies.plain, from).map((line) => line.replace(/\?.*? /, '?… '))).toEqual([
      'GET https://token.multicloud.proxied.test/_apis/token?… 200',
      `POST https://login.microsoftonline.proxied.test/${TENANT}/oauth2/v2.0/token 200`,
    ]);
  });
});
