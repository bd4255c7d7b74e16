import { InputError, RetryableError, UserError, maskSecret, type MaskSink } from '@slipway/core';
import type { HttpResponse, HttpTransport } from '@slipway/core';
import { isTransientStatus, parseJsonBody } from './http-endpoint.ts';
import { describeTrustClaims, tokenIssuer } from './jwt-claims.ts';

export const GOOGLE_STS_ENDPOINT = 'https://sts.googleapis.com';
export const GOOGLE_IAM_CREDENTIALS_ENDPOINT = 'https://iamcredentials.googleapis.com';
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

const PROVIDER =
  /^projects\/\d+\/locations\/global\/workloadIdentityPools\/[a-z0-9-]{4,32}\/providers\/[a-z0-9-]{4,32}$/;
const SERVICE_ACCOUNT =
  /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z0-9.-]+\.iam\.gserviceaccount\.com$|^[\w.+-]+@[\w.-]+$/;

export function checkWorkloadIdentityProvider(value: string): string {
  if (!PROVIDER.test(value)) {
    throw new InputError(
      'workload-identity-provider',
      `has the value '${value}', which is not a provider resource name`,
      'projects/<project number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>',
    );
  }
  return value;
}

export function checkServiceAccount(value: string): string {
  if (!SERVICE_ACCOUNT.test(value))
    throw new InputError(
      'service-account',
      `has the value '${value}'`,
      'a service account email such as deploy@my-project.iam.gserviceaccount.com',
    );
  return value;
}

/** GitHub token audience Google accepts by default for a provider: `https://iam.googleapis.com/<provider>`. */
export function defaultGoogleAudience(provider: string): string {
  return `https://iam.googleapis.com/${provider}`;
}

/** The STS `audience` parameter: the provider's full resource name. */
export function stsAudience(provider: string): string {
  return `//iam.googleapis.com/${provider}`;
}

/** Reads the message of a Google error body: OAuth (`error`, `error_description`) or API (`error.message`). */
export function googleErrorMessage(response: HttpResponse): string {
  const body = parseJsonBody(response.body.toString());
  const error = body?.error;
  if (typeof error === 'string') {
    const description = typeof body?.error_description === 'string' ? `: ${body.error_description}` : '';
    return `${error}${description}`;
  }
  if (typeof error === 'object' && error !== null) {
    const { status, message } = error as { status?: unknown; message?: unknown };
    return [status, message].filter((part) => typeof part === 'string').join(': ');
  }
  return `HTTP ${response.status}`;
}

/** Throws for a non-200 answer: retryable for 408/429/5xx, otherwise a UserError from `describe`. */
export function checkGoogleResponse(
  response: HttpResponse,
  step: string,
  describe: (detail: string) => UserError,
): void {
  if (response.status === 200) return;
  const detail = googleErrorMessage(response);
  if (isTransientStatus(response.status))
    throw Object.assign(new RetryableError(`${step} answered HTTP ${response.status} (${detail})`), {
      status: response.status,
    });
  throw describe(detail);
}

/**
 * Exchanges the GitHub token at Google STS (`/v1/token`, token-exchange grant,
 * JWT subject token) for a federated access token, masked before it is returned.
 */
export async function exchangeAtGoogleSts(
  http: HttpTransport,
  endpoint: string,
  provider: string,
  githubToken: string,
  mask: MaskSink,
): Promise<{ accessToken: string; expiresIn: number }> {
  const response = await http({
    method: 'POST',
    url: `${endpoint}/v1/token`,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience: stsAudience(provider),
      scope: CLOUD_PLATFORM_SCOPE,
      requestedTokenType: 'urn:ietf:params:oauth:token-type:access_token',
      subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt',
      subjectToken: githubToken,
    }),
  });
  checkGoogleResponse(
    response,
    'Google STS',
    (detail) =>
      new UserError(
        `Google STS rejected the GitHub token for ${provider} (HTTP ${response.status}: ${detail}). Check the provider's issuer (${tokenIssuer(githubToken)}), allowed audiences and attribute condition against the claims below.\n${describeTrustClaims(githubToken)}`,
      ),
  );
  const body = parseJsonBody(response.body.toString());
  const accessToken = body?.access_token;
  if (typeof accessToken !== 'string' || accessToken === '')
    throw new RetryableError('Google STS answered without an access_token');
  maskSecret(accessToken, mask);
  return { accessToken, expiresIn: typeof body?.expires_in === 'number' ? body.expires_in : 0 };
}
