import { createHttpTransport } from '@slipway/core';
/**
 * The STS double must reject what real STS rejects, or the integration tests
 * prove nothing: bad SigV4 signatures, tampered bodies, foreign or expired JWTs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, generateKeyPair } from 'jose';
import {
  assumeRole,
  assumeRoleWithWebIdentity,
  signRequest,
  stsQueryBody,
  StsError,
  type AssumedRole,
} from '@slipway/oidc';
import { startOidcIssuer, type OidcIssuer } from '../oidc-issuer/server.ts';
import { startStsDouble, type StsDouble } from './server.ts';

const WEB = 'arn:aws:iam::111122223333:role/web';
const NEXT = 'arn:aws:iam::444455556666:role/next';
const session = { roleArn: WEB, sessionName: 'double-test', durationSeconds: 3600 };
const http = createHttpTransport({ userAgent: 'slipway-test', timeoutMs: 5000 });

let issuer: OidcIssuer;
let sts: StsDouble;
let first: AssumedRole;

beforeAll(async () => {
  issuer = await startOidcIssuer();
  sts = await startStsDouble({
    issuer: issuer.issuer,
    jwksUrl: issuer.jwksUrl,
    roles: [
      { arn: WEB, webIdentity: { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/*' } },
      { arn: NEXT, trustedRoles: [WEB] },
    ],
  });
  first = await assumeRoleWithWebIdentity(http, sts.url, session, await issuer.sign('sts.amazonaws.com'));
});
afterAll(async () => {
  await sts.close();
  await issuer.close();
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'success',
    (error: unknown) => (error instanceof StsError ? `${error.code} ${error.status}` : String(error)),
  );

describe('STS double: AssumeRole signature checks', () => {
  it('accepts a correctly signed request', async () => {
    const next = await assumeRole(
      http,
      sts.url,
      'us-east-1',
      session,
      { roleArn: NEXT, tags: [] },
      first.credentials,
    );
    expect(next.arn).toBe('arn:aws:sts::444455556666:assumed-role/next/double-test');
  });

  it('rejects a wrong secret, a foreign region, and a stale date', async () => {
    const hop = { roleArn: NEXT, tags: [] };
    const wrong = { ...first.credentials, secretAccessKey: `${first.credentials.secretAccessKey}x` };
    expect(await codeOf(assumeRole(http, sts.url, 'us-east-1', session, hop, wrong))).toBe(
      'SignatureDoesNotMatch 403',
    );
    expect(await codeOf(assumeRole(http, sts.url, 'eu-west-1', session, hop, first.credentials))).toBe(
      'SignatureDoesNotMatch 403',
    );
    const stale = new Date(Date.now() - 20 * 60_000);
    expect(await codeOf(assumeRole(http, sts.url, 'us-east-1', session, hop, first.credentials, stale))).toBe(
      'SignatureDoesNotMatch 403',
    );
    const unknown = { ...first.credentials, accessKeyId: 'ASIAUNKNOWN0000000' };
    expect(await codeOf(assumeRole(http, sts.url, 'us-east-1', session, hop, unknown))).toBe(
      'InvalidClientTokenId 403',
    );
  });

  it('rejects a body changed after signing', async () => {
    const body = stsQueryBody('AssumeRole', { RoleArn: NEXT, RoleSessionName: 'double-test' });
    const headers = await signRequest(
      {
        method: 'POST',
        url: `${sts.url}/`,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body,
      },
      first.credentials,
      { region: 'us-east-1', service: 'sts' },
    );
    const response = await http({
      method: 'POST',
      url: `${sts.url}/`,
      headers,
      body: body.replace('double-test', 'other-name'),
    });
    expect(response.status).toBe(403);
    expect(response.body.toString()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});

describe('STS double: web identity checks', () => {
  it('rejects a token signed by another key, an expired token and a wrong subject', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ sub: 'repo:octo-org/octo-repo:ref:refs/heads/main' })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setIssuer(issuer.issuer)
      .setAudience('sts.amazonaws.com')
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(await codeOf(assumeRoleWithWebIdentity(http, sts.url, session, forged))).toBe(
      'InvalidIdentityToken 400',
    );
    const expired = await issuer.sign('sts.amazonaws.com', { exp: Math.floor(Date.now() / 1000) - 60 });
    expect(await codeOf(assumeRoleWithWebIdentity(http, sts.url, session, expired))).toBe(
      'ExpiredTokenException 400',
    );
    const otherRepo = await issuer.sign('sts.amazonaws.com', {
      sub: 'repo:evil-org/octo-repo:ref:refs/heads/main',
    });
    expect(await codeOf(assumeRoleWithWebIdentity(http, sts.url, session, otherRepo))).toBe(
      'AccessDenied 403',
    );
  });
});
