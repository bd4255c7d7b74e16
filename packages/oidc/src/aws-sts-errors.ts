import type { RetryDecision } from '@slipway/core';
import { isTransientStatus } from './http-endpoint.ts';
import { GITHUB_COM_ISSUER } from './jwt-claims.ts';

/** An STS answer other than success: the XML error code (or `HTTP <status>` when the body had none). */
export class StsError extends Error {
  constructor(
    readonly code: string,
    readonly stsMessage: string,
    readonly status: number,
    readonly requestId?: string,
  ) {
    super(`STS ${code} (HTTP ${status})${stsMessage ? `: ${stsMessage}` : ''}`);
    this.name = 'StsError';
  }
}

/** Codes that fail at once: retrying cannot change the answer. */
export const FAIL_FAST_CODES = new Set([
  'AccessDenied',
  'IDPRejectedClaim',
  'ValidationError',
  'RegionDisabledException',
  'MalformedPolicyDocument',
  'PackedPolicyTooLarge',
]);

/** `InvalidIdentityToken` is transient only when STS could not fetch the issuer's keys (JWKS). */
export function isJwksFetchFailure(message: string): boolean {
  return /verification key|jwks|retrieve.*key|keys? from/i.test(message);
}

/** Whether an STS failure may succeed on another attempt (with a freshly minted token). */
export function isRetryableSts(error: StsError): boolean {
  if (FAIL_FAST_CODES.has(error.code)) return false;
  switch (error.code) {
    case 'IDPCommunicationError':
    case 'Throttling':
    case 'ThrottlingException':
    case 'RequestLimitExceeded':
    case 'ServiceUnavailable':
    case 'InternalFailure':
    case 'ExpiredTokenException':
      return true;
    case 'InvalidIdentityToken':
      return isJwksFetchFailure(error.stsMessage);
    default:
      return isTransientStatus(error.status);
  }
}

export function classifyStsFailure(error: unknown): RetryDecision | undefined {
  return error instanceof StsError ? { retry: isRetryableSts(error) } : undefined;
}

/** Whether the failure comes from the role's trust policy or the IAM OIDC provider, so the token's claims explain it. */
export function isTrustRejection(error: StsError): boolean {
  return (
    error.code === 'AccessDenied' ||
    error.code === 'IDPRejectedClaim' ||
    (error.code === 'InvalidIdentityToken' && !isJwksFetchFailure(error.stsMessage))
  );
}

/** The message the job shows for an STS failure on role `roleArn`, saying what to do. */
export function describeStsFailure(
  error: StsError,
  roleArn: string,
  region: string,
  webIdentity: boolean,
  /** The GitHub token's issuer (GitHub.com's unless on GHES). */
  issuer: string = GITHUB_COM_ISSUER,
): string {
  const said = error.stsMessage ? ` STS said: "${error.stsMessage}".` : '';
  const request = error.requestId ? ` (request id ${error.requestId})` : '';
  switch (error.code) {
    case 'AccessDenied':
      return webIdentity
        ? `AWS denied AssumeRoleWithWebIdentity for ${roleArn}${request}.${said} The role's trust policy must name the IAM OIDC provider for ${issuer.replace(/^https:\/\//, '')} as Federated principal, and its conditions on the token's aud and sub must match the claims below.`
        : `AWS denied AssumeRole for ${roleArn}${request}.${said} The role's trust policy must allow the previous role in role-chain (and match its external id and tags), and that role needs sts:AssumeRole${error.stsMessage.includes('TagSession') ? ' and sts:TagSession' : ''} on it.`;
    case 'IDPRejectedClaim':
      return `The IAM OIDC provider rejected a claim of the GitHub token for ${roleArn}${request}.${said} Check the provider's audience list includes the token's aud and that the role's conditions match the claims below.`;
    case 'InvalidIdentityToken':
      return `STS rejected the GitHub token for ${roleArn}${request}.${said} Create an IAM OIDC identity provider for ${issuer} in the role's account with audience sts.amazonaws.com (or the audience input).`;
    case 'ValidationError':
      return `STS rejected a parameter for ${roleArn}${request}.${said} Check role-to-assume, role-session-name, role-duration-seconds (at most the role's maximum session duration) and the session policies.`;
    case 'RegionDisabledException':
      return `STS is not activated in ${region} for the account of ${roleArn}${request}.${said} Activate the region under IAM > Account settings, or set aws-region to an active region.`;
    case 'MalformedPolicyDocument':
      return `STS rejected the session policy for ${roleArn}${request}.${said} Fix session-policy (a valid IAM policy document) or managed-session-policies.`;
    case 'PackedPolicyTooLarge':
      return `The session policies and tags for ${roleArn} are too large after packing${request}.${said} Shorten session-policy, or use fewer managed-session-policies or session tags.`;
    default:
      return `STS failed to assume ${roleArn} with ${error.code} (HTTP ${error.status})${request}.${said}`;
  }
}
