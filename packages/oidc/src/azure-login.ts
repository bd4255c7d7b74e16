import { InputError, RetryableError, UserError, maskSecret } from '@slipway/core';
import type { LoginIo } from './aws-login.ts';
import { mintIdToken, type IdTokenRequestEnv } from './github-id-token.ts';
import type { HttpResponse } from '@slipway/core';
import { isTransientStatus, parseJsonBody } from './http-endpoint.ts';
import { describeTrustClaims, tokenIssuer } from './jwt-claims.ts';
import { retryLoginStep, unreachable } from './login-retry.ts';

export const AZURE_DEFAULT_AUDIENCE = 'api://AzureADTokenExchange';
export const AZURE_PUBLIC_AUTHORITY = 'https://login.microsoftonline.com';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9][a-z0-9.-]*\.[a-z]{2,})$/i;

export interface AzureLoginOptions {
  clientId: string;
  tenantId: string;
  subscriptionId?: string;
  audience?: string;
  authorityHost: string;
  /** When set, exchange the token for an access token for this scope (e.g. https://management.azure.com/.default). */
  scope?: string;
}

export interface AzureLoginResult {
  /** The GitHub OIDC token, for the federated token file. */
  githubToken: string;
  accessToken?: string;
  expiresIn?: number;
}

export function planAzureLogin(options: AzureLoginOptions): { audience: string } {
  if (!GUID.test(options.clientId))
    throw new InputError(
      'client-id',
      `has the value '${options.clientId}'`,
      'the application (client) ID, a GUID',
    );
  if (!TENANT.test(options.tenantId))
    throw new InputError(
      'tenant-id',
      `has the value '${options.tenantId}'`,
      'the directory (tenant) ID, a GUID or a verified domain',
    );
  if (options.subscriptionId !== undefined && !GUID.test(options.subscriptionId))
    throw new InputError(
      'subscription-id',
      `has the value '${options.subscriptionId}'`,
      'a subscription ID, a GUID',
    );
  return { audience: options.audience ?? AZURE_DEFAULT_AUDIENCE };
}

/** The environment Azure SDKs (workload identity), azd and Terraform's azurerm provider read. */
export function azureEnvironment(options: AzureLoginOptions, tokenFile: string): Record<string, string> {
  const env: Record<string, string> = {
    AZURE_CLIENT_ID: options.clientId,
    AZURE_TENANT_ID: options.tenantId,
    AZURE_FEDERATED_TOKEN_FILE: tokenFile,
    AZURE_AUTHORITY_HOST: `${options.authorityHost}/`,
    ARM_USE_OIDC: 'true',
    ARM_CLIENT_ID: options.clientId,
    ARM_TENANT_ID: options.tenantId,
    ARM_OIDC_TOKEN_FILE_PATH: tokenFile,
  };
  if (options.subscriptionId) {
    env.AZURE_SUBSCRIPTION_ID = options.subscriptionId;
    env.ARM_SUBSCRIPTION_ID = options.subscriptionId;
  }
  return env;
}

function entraError(response: HttpResponse): { code: string; description: string } {
  const body = parseJsonBody(response.body.toString());
  return {
    code: typeof body?.error === 'string' ? body.error : `HTTP ${response.status}`,
    description: typeof body?.error_description === 'string' ? body.error_description.split(/\r?\n/)[0]! : '',
  };
}

/**
 * Mints the GitHub token and, when `scope` is set, exchanges it at the Microsoft
 * identity platform (`/<tenant>/oauth2/v2.0/token`, client-credentials grant with
 * a JWT client assertion). Each attempt mints a fresh GitHub token.
 */
export async function azureLogin(
  options: AzureLoginOptions,
  audience: string,
  request: IdTokenRequestEnv,
  io: LoginIo,
): Promise<AzureLoginResult> {
  const tokenUrl = `${options.authorityHost}/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`;
  let githubToken = '';
  try {
    return await retryLoginStep(
      options.scope ? 'Microsoft identity platform token exchange' : 'GitHub OIDC token',
      async () => {
        githubToken = await mintIdToken(request, audience, io.http, io.mask);
        if (!options.scope) return { githubToken };
        const response = await io.http({
          method: 'POST',
          url: tokenUrl,
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({
            client_id: options.clientId,
            scope: options.scope,
            grant_type: 'client_credentials',
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: githubToken,
          }).toString(),
        });
        if (response.status !== 200) {
          const { code, description } = entraError(response);
          if (isTransientStatus(response.status))
            throw Object.assign(
              new RetryableError(`token endpoint answered HTTP ${response.status} ${code}`),
              {
                status: response.status,
              },
            );
          throw new UserError(
            `The Microsoft identity platform refused the token exchange for client ${options.clientId} (HTTP ${response.status} ${code}: ${description}). Check the app registration's federated credential (issuer ${tokenIssuer(githubToken)}, subject and audience) against the claims below.\n${describeTrustClaims(githubToken)}`,
          );
        }
        const body = parseJsonBody(response.body.toString());
        if (typeof body?.access_token !== 'string' || body.access_token === '')
          throw new RetryableError('token endpoint answered without an access_token');
        return {
          githubToken,
          accessToken: maskSecret(body.access_token, io.mask),
          ...(typeof body.expires_in === 'number' ? { expiresIn: body.expires_in } : {}),
        };
      },
      io.retry,
      io.log,
    );
  } catch (error) {
    throw unreachable(
      options.scope ? 'The token exchange' : 'Minting the GitHub OIDC token',
      tokenUrl,
      error,
    );
  }
}
