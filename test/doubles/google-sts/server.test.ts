/** The Google double must refuse what Google refuses, or the gcp integration tests prove nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, generateKeyPair } from 'jose';
import { createHttpTransport } from '@slipway/core';
import { exchangeAtGoogleSts } from '@slipway/oidc';
import { startOidcIssuer, type OidcIssuer } from '../oidc-issuer/server.ts';
import { startGoogleDouble, type GoogleDouble } from './server.ts';

const PROVIDER = 'projects/42/locations/global/workloadIdentityPools/pool/providers/github';
const AUDIENCE = `https://iam.googleapis.com/${PROVIDER}`;
const http = createHttpTransport({ userAgent: 'slipway-test', timeoutMs: 5000 });
let issuer: OidcIssuer;
let google: GoogleDouble;

beforeAll(async () => {
  issuer = await startOidcIssuer();
  google = await startGoogleDouble({ issuer: issuer.issuer, jwksUrl: issuer.jwksUrl, provider: PROVIDER });
});
afterAll(async () => {
  await google.close();
  await issuer.close();
});

const exchange = (token: string) =>
  exchangeAtGoogleSts(http, google.url, PROVIDER, token, () => {}).then(
    () => 'ok',
    (error: Error) => error.message.split('\n')[0],
  );

describe('Google double', () => {
  it('exchanges a valid token and refuses forged, wrongly addressed and unknown-bearer requests', async () => {
    expect(await exchange(await issuer.sign(AUDIENCE))).toBe('ok');
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'RS256', kid: 'other' })
      .setIssuer(issuer.issuer)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(await exchange(forged)).toMatch(
      /HTTP 400: invalid_grant: The audience or signature in the ID Token is invalid/,
    );
    expect(await exchange(await issuer.sign('sts.amazonaws.com'))).toMatch(/HTTP 400: invalid_grant/);
    const response = await http({
      method: 'POST',
      url: `${google.url}/v1/projects/-/serviceAccounts/a@p.iam.gserviceaccount.com:generateAccessToken`,
      headers: { authorization: 'Bearer ya29.not-issued-here', 'content-type': 'application/json' },
      body: '{"scope":["s"]}',
    });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body.toString())).toEqual({
      error: {
        code: 401,
        message: 'Request had invalid authentication credentials.',
        status: 'UNAUTHENTICATED',
      },
    });
  });
});
