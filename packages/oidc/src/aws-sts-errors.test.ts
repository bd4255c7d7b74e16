import { describe, expect, it } from 'vitest';
import { StsError, describeStsFailure, isRetryableSts, isTrustRejection } from './aws-sts-errors.ts';
import { classifyLoginFailure } from './login-retry.ts';
import { NetworkError } from '@slipway/core';
import { UserError } from '@slipway/core';

const JWKS =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";

describe('STS error classification', () => {
  it.each([
    ['IDPCommunicationError', 400, '', true],
    ['InvalidIdentityToken', 400, JWKS, true],
    [
      'InvalidIdentityToken',
      400,
      'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com',
      false,
    ],
    ['Throttling', 400, 'Rate exceeded', true],
    ['HTTP503', 503, '', true],
    ['InternalFailure', 500, '', true],
    ['ExpiredTokenException', 400, 'Token is expired', true],
    ['AccessDenied', 403, '', false],
    ['IDPRejectedClaim', 403, '', false],
    ['ValidationError', 400, '', false],
    ['RegionDisabledException', 403, '', false],
    ['MalformedPolicyDocument', 400, '', false],
    ['PackedPolicyTooLarge', 400, '', false],
    ['SomethingNew', 400, '', false],
    ['SomethingNew', 502, '', true],
  ])('%s (HTTP %i, %j) retryable: %s', (code, status, message, expected) => {
    expect(isRetryableSts(new StsError(code, message, status))).toBe(expected);
    expect(classifyLoginFailure(new StsError(code, message, status))).toEqual({ retry: expected });
  });

  it('retries network errors and never UserErrors', () => {
    expect(classifyLoginFailure(new NetworkError('reset', 'ECONNRESET'))).toEqual({ retry: true });
    expect(classifyLoginFailure(new UserError('no'))).toEqual({ retry: false });
  });

  it('knows which failures the token claims explain', () => {
    expect(isTrustRejection(new StsError('AccessDenied', '', 403))).toBe(true);
    expect(isTrustRejection(new StsError('IDPRejectedClaim', '', 403))).toBe(true);
    expect(isTrustRejection(new StsError('InvalidIdentityToken', 'Incorrect token audience', 400))).toBe(
      true,
    );
    expect(isTrustRejection(new StsError('InvalidIdentityToken', JWKS, 400))).toBe(false);
    expect(isTrustRejection(new StsError('ValidationError', '', 400))).toBe(false);
  });

  it('writes a message that names the role, the STS message and the request id', () => {
    expect(
      describeStsFailure(
        new StsError('RegionDisabledException', 'STS is not activated in this region', 403, 'req-1'),
        'arn:aws:iam::111122223333:role/r',
        'ap-east-1',
        true,
      ),
    ).toBe(
      'STS is not activated in ap-east-1 for the account of arn:aws:iam::111122223333:role/r (request id req-1). STS said: "STS is not activated in this region". Activate the region under IAM > Account settings, or set aws-region to an active region.',
    );
  });

  it("names the token's own issuer in the trust hints (GHES: https://HOST/_services/token)", () => {
    const ghes = 'https://ghes.example.com/_services/token';
    const role = 'arn:aws:iam::111122223333:role/r';
    expect(
      describeStsFailure(new StsError('AccessDenied', '', 403), role, 'eu-west-1', true, ghes),
    ).toContain(
      'must name the IAM OIDC provider for ghes.example.com/_services/token as Federated principal',
    );
    expect(
      describeStsFailure(
        new StsError('InvalidIdentityToken', 'No OpenIDConnect provider found', 400),
        role,
        'eu-west-1',
        true,
        ghes,
      ),
    ).toContain(`Create an IAM OIDC identity provider for ${ghes} in the role's account`);
    expect(describeStsFailure(new StsError('AccessDenied', '', 403), role, 'eu-west-1', true)).toContain(
      'IAM OIDC provider for token.actions.githubusercontent.com as Federated principal',
    );
  });
});
