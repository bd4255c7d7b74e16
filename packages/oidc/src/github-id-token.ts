import { RetryableError, UserError, maskSecret, type MaskSink } from '@slipway/core';
import type { HttpTransport } from '@slipway/core';
import { isTransientStatus, parseJsonBody } from './http-endpoint.ts';

export const ID_TOKEN_PERMISSION_HINT =
  'Add `permissions: id-token: write` to the job (or the workflow) that runs this step; for a reusable workflow the caller job needs it too.';

/** Where the runner lets a job mint its OIDC token. */
export interface IdTokenRequestEnv {
  url: string;
  requestToken: string;
}

/**
 * Reads ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN. The runner
 * sets them only when the job has `id-token: write`.
 */
export function idTokenRequestEnv(env: NodeJS.ProcessEnv, mask: MaskSink): IdTokenRequestEnv {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL?.trim();
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN?.trim();
  if (!url || !requestToken) {
    throw new UserError(
      'This job cannot request a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set.',
      { hint: ID_TOKEN_PERMISSION_HINT },
    );
  }
  maskSecret(requestToken, mask);
  return { url, requestToken };
}

/** The runner's token URL with `audience` added to its query. */
export function idTokenUrl(requestUrl: string, audience: string): string {
  const url = new URL(requestUrl);
  url.searchParams.set('audience', audience);
  return url.toString();
}

/**
 * Mints one OIDC token for `audience`. This is the runner's protocol that
 * `@actions/core`'s `getIDToken` also speaks; we call it ourselves because
 * getIDToken retries internally (up to 10 times, no timeout we control) and so
 * cannot sit under our single retry loop with its total cap, nor mint a fresh
 * token per exchange attempt. Network failures and 408/429/5xx become
 * `RetryableError`/coded errors for the caller's retry loop; any other refusal is
 * a `UserError`. The token is masked before it is returned.
 */
export async function mintIdToken(
  request: IdTokenRequestEnv,
  audience: string,
  http: HttpTransport,
  mask: MaskSink,
): Promise<string> {
  const response = await http({
    method: 'GET',
    url: idTokenUrl(request.url, audience),
    headers: { Authorization: `Bearer ${request.requestToken}`, Accept: 'application/json' },
  });
  if (isTransientStatus(response.status)) {
    throw new RetryableError(`GitHub's OIDC token endpoint answered HTTP ${response.status}`);
  }
  if (response.status !== 200) {
    throw new UserError(
      `GitHub refused to mint an OIDC token for audience '${audience}' (HTTP ${response.status}).`,
      { hint: ID_TOKEN_PERMISSION_HINT },
    );
  }
  const value = parseJsonBody(response.body.toString())?.value;
  if (typeof value !== 'string' || value.split('.').length !== 3) {
    throw new RetryableError("GitHub's OIDC token endpoint answered without a JWT in `value`");
  }
  return maskSecret(value, mask);
}
