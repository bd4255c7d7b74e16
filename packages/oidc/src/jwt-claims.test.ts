import { describe, expect, it } from 'vitest';
import { decodeClaims, describeTrustClaims, tokenExpiry, tokenIssuer } from './jwt-claims.ts';
import { idTokenRequestEnv, idTokenUrl } from './github-id-token.ts';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = `${b64({ alg: 'RS256' })}.${b64({
  sub: 'repo:octo-org/octo-repo:environment:prod',
  aud: ['sts.amazonaws.com'],
  iss: 'https://token.actions.githubusercontent.com',
  repository: 'octo-org/octo-repo',
  ref: 'refs/heads/main',
  environment: 'prod',
  job_workflow_ref: 'octo-org/infra/.github/workflows/deploy.yml@refs/tags/v1',
  exp: 1795672822,
})}.c2lnbmF0dXJl`;

describe('claims for diagnostics', () => {
  it('prints every trust claim, and never the token or its signature', () => {
    const text = describeTrustClaims(token);
    expect(text).toBe(
      [
        'The GitHub OIDC token presented these claims (compare them with the trust policy):',
        '  sub: repo:octo-org/octo-repo:environment:prod',
        '  aud: ["sts.amazonaws.com"]',
        '  iss: https://token.actions.githubusercontent.com',
        '  repository: octo-org/octo-repo',
        '  ref: refs/heads/main',
        '  environment: prod',
        '  job_workflow_ref: octo-org/infra/.github/workflows/deploy.yml@refs/tags/v1',
      ].join('\n'),
    );
    expect(text).not.toContain('c2lnbmF0dXJl');
    expect(tokenExpiry(token)?.toISOString()).toBe('2026-11-26T06:00:22.000Z');
  });

  it("reads the token's issuer, GitHub.com's when absent or unreadable", () => {
    const ghes = `${b64({ alg: 'RS256' })}.${b64({ iss: 'https://ghes.example.com/_services/token' })}.c2ln`;
    expect(tokenIssuer(ghes)).toBe('https://ghes.example.com/_services/token');
    expect(tokenIssuer(token)).toBe('https://token.actions.githubusercontent.com');
    expect(tokenIssuer(`${b64({})}.${b64({ iss: 7 })}.x`)).toBe(
      'https://token.actions.githubusercontent.com',
    );
    expect(tokenIssuer('not-a-jwt')).toBe('https://token.actions.githubusercontent.com');
    expect(tokenIssuer(undefined)).toBe('https://token.actions.githubusercontent.com');
  });

  it('survives tokens that are not JWTs', () => {
    expect(decodeClaims('not-a-jwt')).toBeUndefined();
    expect(describeTrustClaims('a.%%%.c')).toBe('The token claims could not be decoded.');
  });
});

describe('GitHub token request', () => {
  it('adds the audience to the runner URL, keeping its query', () => {
    expect(
      idTokenUrl(
        'https://pipelines.actions.githubusercontent.com/abc/_apis/token?api-version=2.0',
        'api://AzureADTokenExchange',
      ),
    ).toBe(
      'https://pipelines.actions.githubusercontent.com/abc/_apis/token?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange',
    );
  });

  it('says how to fix a missing id-token permission, and masks the request token', () => {
    const masked: string[] = [];
    expect(() =>
      idTokenRequestEnv({ ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x/token' }, (v) => masked.push(v)),
    ).toThrow(
      expect.objectContaining({
        hint: expect.stringContaining('Add `permissions: id-token: write` to the job'),
      }),
    );
    idTokenRequestEnv(
      { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token-1' },
      (v) => masked.push(v),
    );
    expect(masked).toContain('request-token-1');
  });
});
