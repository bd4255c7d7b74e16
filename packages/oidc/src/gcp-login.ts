import { InputError, UserError, maskSecret } from '@slipway/core';
import type { LoginIo } from './aws-login.ts';
import {
  checkGoogleResponse,
  checkServiceAccount,
  checkWorkloadIdentityProvider,
  defaultGoogleAudience,
  exchangeAtGoogleSts,
  stsAudience,
} from './gcp-sts.ts';
import { idTokenUrl, mintIdToken, type IdTokenRequestEnv } from './github-id-token.ts';
import { RetryableError } from '@slipway/core';
import { parseJsonBody } from './http-endpoint.ts';
import { retryLoginStep, unreachable } from './login-retry.ts';

export type GoogleTokenFormat = 'none' | 'access_token' | 'id_token';

export interface GcpLoginOptions {
  workloadIdentityProvider: string;
  serviceAccount?: string;
  audience?: string;
  tokenFormat: GoogleTokenFormat;
  accessTokenLifetimeSeconds: number;
  accessTokenScopes: readonly string[];
  idTokenAudience?: string;
  stsEndpoint: string;
  iamCredentialsEndpoint: string;
}

export interface GcpLoginResult {
  /** Present for token-format access_token: the SA token, or the federated token without a service account. */
  accessToken?: string;
  idToken?: string;
  /** The external_account credentials document (JSON) for client libraries and gcloud. */
  credentialsJson: string;
}

/** Input checks that need no network. */
export function planGcpLogin(options: GcpLoginOptions): { audience: string } {
  checkWorkloadIdentityProvider(options.workloadIdentityProvider);
  if (options.serviceAccount) checkServiceAccount(options.serviceAccount);
  if (options.tokenFormat === 'id_token') {
    if (!options.serviceAccount)
      throw new InputError(
        'token-format',
        "is 'id_token' but service-account is not set",
        'a service-account to mint the ID token for',
      );
    if (!options.idTokenAudience)
      throw new InputError(
        'id-token-audience',
        "is required when token-format is 'id_token'",
        'the audience the ID token is for',
      );
  }
  return { audience: options.audience ?? defaultGoogleAudience(options.workloadIdentityProvider) };
}

/**
 * The `external_account` credentials document: client libraries fetch a fresh
 * GitHub token from the runner's URL themselves and exchange it at Google STS,
 * impersonating `serviceAccount` when set.
 */
export function externalAccountCredentials(
  options: GcpLoginOptions,
  audience: string,
  request: IdTokenRequestEnv,
): string {
  const document: Record<string, unknown> = {
    type: 'external_account',
    audience: stsAudience(options.workloadIdentityProvider),
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: `${options.stsEndpoint}/v1/token`,
    credential_source: {
      url: idTokenUrl(request.url, audience),
      headers: { Authorization: `Bearer ${request.requestToken}` },
      format: { type: 'json', subject_token_field_name: 'value' },
    },
  };
  if (options.serviceAccount) {
    document.service_account_impersonation_url = `${options.iamCredentialsEndpoint}/v1/projects/-/serviceAccounts/${options.serviceAccount}:generateAccessToken`;
  }
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** GitHub token -> Google STS federated token -> (optionally) IAM Credentials access or ID token. */
export async function gcpLogin(
  options: GcpLoginOptions,
  audience: string,
  request: IdTokenRequestEnv,
  io: LoginIo,
): Promise<GcpLoginResult> {
  const credentialsJson = externalAccountCredentials(options, audience, request);
  if (options.tokenFormat === 'none') return { credentialsJson };

  let federated: string;
  try {
    federated = await retryLoginStep(
      'Google STS token exchange',
      async () => {
        const githubToken = await mintIdToken(request, audience, io.http, io.mask);
        return (
          await exchangeAtGoogleSts(
            io.http,
            options.stsEndpoint,
            options.workloadIdentityProvider,
            githubToken,
            io.mask,
          )
        ).accessToken;
      },
      io.retry,
      io.log,
    );
  } catch (error) {
    throw unreachable('Google STS token exchange', options.stsEndpoint, error);
  }
  io.log(`Exchanged the GitHub OIDC token at Google STS for ${options.workloadIdentityProvider}`);

  const account = options.serviceAccount;
  if (!account) return { accessToken: federated, credentialsJson };
  const method = options.tokenFormat === 'access_token' ? 'generateAccessToken' : 'generateIdToken';
  const url = `${options.iamCredentialsEndpoint}/v1/projects/-/serviceAccounts/${encodeURIComponent(account)}:${method}`;
  const body =
    method === 'generateAccessToken'
      ? { scope: options.accessTokenScopes, lifetime: `${options.accessTokenLifetimeSeconds}s` }
      : { audience: options.idTokenAudience, includeEmail: true };
  let token: string;
  try {
    token = await retryLoginStep(
      `IAM Credentials ${method}`,
      async () => {
        const response = await io.http({
          method: 'POST',
          url,
          headers: {
            authorization: `Bearer ${federated}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify(body),
        });
        checkGoogleResponse(
          response,
          `IAM Credentials ${method}`,
          (detail) =>
            new UserError(
              `IAM Credentials ${method} for ${account} failed (HTTP ${response.status}: ${detail}).`,
              {
                hint: `Grant roles/iam.workloadIdentityUser on ${account} to the workload identity principal (principalSet://iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/attribute.repository/<owner>/<repo>)${method === 'generateIdToken' ? '' : ', and keep access-token-lifetime within the allowed maximum (3600s unless the org policy allows more)'}.`,
              },
            ),
        );
        const parsed = parseJsonBody(response.body.toString());
        const value = method === 'generateAccessToken' ? parsed?.accessToken : parsed?.token;
        if (typeof value !== 'string' || value === '')
          throw new RetryableError(`${method} answered without a token`);
        return maskSecret(value, io.mask);
      },
      io.retry,
      io.log,
    );
  } catch (error) {
    throw unreachable(`IAM Credentials ${method}`, options.iamCredentialsEndpoint, error);
  }
  io.log(`Impersonated ${account} (${method})`);
  return method === 'generateAccessToken'
    ? { accessToken: token, credentialsJson }
    : { idToken: token, credentialsJson };
}
