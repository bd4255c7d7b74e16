import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAction, type ActionRunResult } from '../harness/run-action.ts';
import { node24Path } from '../harness/node-versions.ts';
import { startOidcIssuer, type OidcIssuer } from '../doubles/oidc-issuer/server.ts';
import { findOidcLeaks } from '../doubles/oidc-issuer/leaks.ts';
import type { Fault } from '../doubles/oidc-issuer/faults.ts';
import { startStsDouble, type StsDouble } from '../doubles/aws-sts/server.ts';
import { errorOf, watchTokenTraffic } from './support/oidc-login.ts';

const actionDir = resolve(import.meta.dirname, '../../actions/oidc-login');
const DEPLOY = 'arn:aws:iam::111122223333:role/gha-deploy';
const DENIED = 'arn:aws:iam::111122223333:role/other-repo-only';
const TARGET = 'arn:aws:iam::444455556666:role/target';
const FINAL = 'arn:aws:iam::777788889999:role/final';
const SESSION = 'GitHubActions-octo-repo-1000001-1';
const JWKS_FAILURE =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";

let issuer: OidcIssuer;
let sts: StsDouble;

beforeAll(async () => {
  issuer = await startOidcIssuer();
  sts = await startStsDouble({
    issuer: issuer.issuer,
    jwksUrl: issuer.jwksUrl,
    roles: [
      {
        arn: DEPLOY,
        maxSessionDuration: 7200,
        webIdentity: { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/octo-repo:*' },
      },
      { arn: DENIED, webIdentity: { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/other:*' } },
      { arn: TARGET, trustedRoles: [DEPLOY], externalId: 'ext-123' },
      { arn: FINAL, trustedRoles: [TARGET] },
    ],
  });
});

const { calls: stsCalls, minted, secrets } = watchTokenTraffic(() => ({ issuer, cloud: sts }));

/** A role ARN as the log shows it with mask-account-id at its default (true). */
const masked = (arn: string) => arn.replace(/::\d{12}:/, '::***:');

function login(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRunResult> {
  return runAction({
    actionDir,
    inputs: {
      provider: 'aws',
      'aws-region': 'us-east-1',
      'sts-endpoint': sts.url,
      'role-to-assume': DEPLOY,
      ...inputs,
    },
    env: { ...issuer.env, ...env },
  });
}

describe('oidc-login aws: success', () => {
  it('assumes the role with a fresh GitHub token, exports credentials, and the post step blanks them', async () => {
    const result = await login({});
    expect(result.exitCode).toBe(0);
    const calls = stsCalls();
    expect(calls.map((c) => [c.action, c.status])).toEqual([['AssumeRoleWithWebIdentity', 200]]);
    const params = calls[0]!.params;
    expect(params).toEqual({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: DEPLOY,
      RoleSessionName: SESSION,
      DurationSeconds: '3600',
      WebIdentityToken: minted()[0],
    });
    const [keyId, secret, sessionToken] = sts.issuedSecrets.slice(-3) as [string, string, string];
    expect(result.main.env).toEqual({
      AWS_ACCESS_KEY_ID: keyId,
      AWS_SECRET_ACCESS_KEY: secret,
      AWS_SESSION_TOKEN: sessionToken,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
    });
    expect(result.outputs['aws-account-id']).toBe('111122223333');
    expect(result.outputs.arn).toBe(`arn:aws:sts::111122223333:assumed-role/gha-deploy/${SESSION}`);
    expect(result.outputs.expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Math.abs(Date.parse(result.outputs.expiration!) - Date.now() - 3600_000)).toBeLessThan(60_000);
    // post: credentials blanked, region kept
    expect(result.post?.exitCode).toBe(0);
    expect(result.env.AWS_ACCESS_KEY_ID).toBe('');
    expect(result.env.AWS_SECRET_ACCESS_KEY).toBe('');
    expect(result.env.AWS_SESSION_TOKEN).toBe('');
    expect(result.env.AWS_REGION).toBe('us-east-1');
    expect(findOidcLeaks(result, secrets())).toEqual([]);
    // The account id is masked by default (mask-account-id), in the summary as in the log.
    expect(result.summary).toContain(`arn:aws:sts::***:assumed-role/gha-deploy/${SESSION}`);
  });

  it('passes session name, duration and session policies as STS parameters', async () => {
    const policy =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}';
    const result = await login({
      'role-session-name': 'deploy@web',
      'role-duration-seconds': '7200',
      'session-policy': policy,
      'managed-session-policies':
        'arn:aws:iam::aws:policy/ReadOnlyAccess\narn:aws:iam::111122223333:policy/boundary',
    });
    expect(result.exitCode).toBe(0);
    const { WebIdentityToken: _token, ...params } = stsCalls()[0]!.params;
    expect(params).toEqual({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: DEPLOY,
      RoleSessionName: 'deploy@web',
      DurationSeconds: '7200',
      Policy: policy,
      'PolicyArns.member.1.arn': 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'PolicyArns.member.2.arn': 'arn:aws:iam::111122223333:policy/boundary',
    });
    expect(result.outputs.arn).toBe('arn:aws:sts::111122223333:assumed-role/gha-deploy/deploy@web');
  });

  it('chains roles with SigV4-signed AssumeRole calls, external id and session tags', async () => {
    const result = await login({
      'role-chain': `${TARGET} external-id=ext-123 tag:team=web tag:env=prod\n# comment\n${FINAL}`,
    });
    expect(result.exitCode).toBe(0);
    const calls = stsCalls();
    expect(calls.map((c) => [c.action, c.params.RoleArn, c.status])).toEqual([
      ['AssumeRoleWithWebIdentity', DEPLOY, 200],
      ['AssumeRole', TARGET, 200],
      ['AssumeRole', FINAL, 200],
    ]);
    expect(calls[1]!.params).toEqual({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: TARGET,
      RoleSessionName: SESSION,
      DurationSeconds: '3600',
      ExternalId: 'ext-123',
      'Tags.member.1.Key': 'team',
      'Tags.member.1.Value': 'web',
      'Tags.member.2.Key': 'env',
      'Tags.member.2.Value': 'prod',
    });
    const [keyId] = sts.issuedSecrets.slice(-3) as [string];
    expect(result.main.env.AWS_ACCESS_KEY_ID).toBe(keyId);
    expect(result.outputs['aws-account-id']).toBe('777788889999');
    expect(result.outputs.arn).toBe(`arn:aws:sts::777788889999:assumed-role/final/${SESSION}`);
    expect(findOidcLeaks(result, secrets())).toEqual([]);
  });

  it('writes a named profile under RUNNER_TEMP and the post step deletes it', async () => {
    const result = await login({ 'aws-profile': 'deploy', 'export-env': 'false' });
    expect(result.exitCode).toBe(0);
    const file = result.outputs['credentials-file']!;
    expect(file.startsWith(join(result.runnerTemp, 'oidc-login-'))).toBe(true);
    expect(result.main.env).toEqual({ AWS_SHARED_CREDENTIALS_FILE: file });
    const [keyId, , sessionToken] = sts.issuedSecrets.slice(-3);
    expect(findOidcLeaks(result, secrets())).toEqual([]);
    expect(existsSync(file)).toBe(false);
    expect(result.post?.stdout).toContain(`Removed ${file.slice(0, file.lastIndexOf('/'))}`);
    // the profile's content, as main wrote it, is checked through a second run that skips post
    const kept = await runAction({
      actionDir,
      inputs: {
        provider: 'aws',
        'aws-region': 'us-east-1',
        'sts-endpoint': sts.url,
        'role-to-assume': DEPLOY,
        'aws-profile': 'deploy',
      },
      env: issuer.env,
      skipPost: true,
    });
    const [k2, s2, t2] = sts.issuedSecrets.slice(-3);
    expect(readFileSync(kept.outputs['credentials-file']!, 'utf8')).toBe(
      `[deploy]\naws_access_key_id = ${k2}\naws_secret_access_key = ${s2}\naws_session_token = ${t2}\n`,
    );
    expect(keyId).not.toBe(k2);
    expect(sessionToken).not.toBe(t2);
  });

  it('masks the account id by default', async () => {
    const result = await login({});
    expect(result.exitCode).toBe(0);
    expect(result.masks).toContain('111122223333');
    expect(result.summary).not.toContain('111122223333');
    expect(findOidcLeaks(result, [...secrets(), '111122223333'])).toEqual([]);
  });

  it('shows the account id when mask-account-id is false', async () => {
    const result = await login({ 'mask-account-id': 'false' });
    expect(result.exitCode).toBe(0);
    expect(result.masks).not.toContain('111122223333');
    expect(result.summary).toContain('111122223333');
  });
});

describe('oidc-login aws: validated before any call', () => {
  it.each([
    [
      { 'role-duration-seconds': '899' },
      "Input 'role-duration-seconds' is 899, out of range. Expected a whole number from 900 to 43200.",
    ],
    [{ 'role-duration-seconds': '43201' }, "Input 'role-duration-seconds' is 43201, out of range."],
    [
      { 'role-chain': TARGET, 'role-duration-seconds': '7200' },
      "Input 'role-duration-seconds' is 7200, but role-chain is set and AWS limits a chained role session to 3600 seconds.",
    ],
    [
      { 'role-session-name': 'has space' },
      "Input 'role-session-name' has the value 'has space', which is not valid.",
    ],
    [
      { 'role-to-assume': 'arn:aws:iam::1234:role/x' },
      "Input 'role-to-assume' has the value 'arn:aws:iam::1234:role/x', which is not an IAM role ARN.",
    ],
    [
      { 'aws-region': 'cn-north-1' },
      "Input 'role-to-assume' names a role in partition 'aws', but aws-region is in 'aws-cn'.",
    ],
    [{ 'session-policy': '{not json' }, "Input 'session-policy' is not valid JSON"],
    [
      {
        'managed-session-policies': Array.from(
          { length: 11 },
          (_, i) => `arn:aws:iam::aws:policy/P${i}`,
        ).join('\n'),
      },
      "Input 'managed-session-policies' lists 11 policies.",
    ],
    [
      { 'sts-endpoint': 'http://sts.example.com' },
      "Input 'sts-endpoint' has the value 'http://sts.example.com'.",
    ],
    [
      { 'role-chain': `${TARGET} externalid=x` },
      "Input 'role-chain' has 'externalid=x' on line 1, which is not a known option.",
    ],
  ])('%o fails with a message naming the input, without a token request', async (inputs, message) => {
    const result = await login(inputs);
    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toContain(message);
    expect(stsCalls()).toEqual([]);
    expect(minted()).toEqual([]);
  });

  it('fails with the permissions fix when the job cannot request an OIDC token', async () => {
    const result = await runAction({
      actionDir,
      inputs: {
        provider: 'aws',
        'aws-region': 'us-east-1',
        'sts-endpoint': sts.url,
        'role-to-assume': DEPLOY,
      },
    });
    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toContain('add `permissions: id-token: write`'.replace('add', 'Add'));
    expect(stsCalls()).toEqual([]);
  });
});

describe('oidc-login aws: retried errors', () => {
  const retried: [string, Fault][] = [
    [
      'IDPCommunicationError',
      {
        kind: 'error',
        route: 'AssumeRoleWithWebIdentity',
        code: 'IDPCommunicationError',
        message: 'The provider could not be reached',
      },
    ],
    [
      'InvalidIdentityToken (JWKS fetch)',
      {
        kind: 'error',
        route: 'AssumeRoleWithWebIdentity',
        code: 'InvalidIdentityToken',
        message: JWKS_FAILURE,
      },
    ],
    [
      'Throttling',
      { kind: 'error', route: 'AssumeRoleWithWebIdentity', code: 'Throttling', message: 'Rate exceeded' },
    ],
    ['HTTP 503', { kind: 'status', route: 'AssumeRoleWithWebIdentity', status: 503 }],
    [
      'InternalFailure 500',
      { kind: 'error', route: 'AssumeRoleWithWebIdentity', code: 'InternalFailure', status: 500 },
    ],
    ['a dropped connection', { kind: 'drop', route: 'AssumeRoleWithWebIdentity' }],
  ];
  it.each(retried)('%s is retried with a fresh token each attempt', async (_name, fault) => {
    sts.faults.push(fault, fault);
    const result = await login({});
    expect(result.exitCode).toBe(0);
    expect(stsCalls().map((c) => c.action)).toEqual(Array(3).fill('AssumeRoleWithWebIdentity'));
    const tokens = minted();
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(3);
    expect(stsCalls().map((c) => c.params.WebIdentityToken)).toEqual(tokens);
    expect(result.main.stdout.match(/AssumeRoleWithWebIdentity: attempt \d failed/g)).toHaveLength(2);
    expect(findOidcLeaks(result, secrets())).toEqual([]);
  });

  it('retries a slow STS after the request timeout', async () => {
    sts.faults.push({ kind: 'slow', route: 'AssumeRoleWithWebIdentity', ms: 2500 });
    const result = await login({ 'request-timeout': '1s' });
    expect(result.exitCode).toBe(0);
    expect(stsCalls()).toHaveLength(2);
    expect(result.main.stdout).toMatch(
      /AssumeRoleWithWebIdentity: attempt 1 failed \(no response within 1000 ms from http:\/\/127\.0\.0\.1:\d+\/\); retrying in \d+ ms/,
    );
  });

  it('retries the chained AssumeRole on Throttling, signing each attempt again', async () => {
    sts.faults.push({ kind: 'error', route: 'AssumeRole', code: 'Throttling', message: 'Rate exceeded' });
    const result = await login({ 'role-chain': `${TARGET} external-id=ext-123` });
    expect(result.exitCode).toBe(0);
    expect(stsCalls().map((c) => [c.action, c.status])).toEqual([
      ['AssumeRoleWithWebIdentity', 200],
      ['AssumeRole', 400],
      ['AssumeRole', 200],
    ]);
  });

  it('stops after max-attempts and says so', async () => {
    const throttled: Fault = {
      kind: 'error',
      route: 'AssumeRoleWithWebIdentity',
      code: 'Throttling',
      message: 'Rate exceeded',
    };
    sts.faults.push(throttled, throttled, throttled);
    const result = await login({ 'max-attempts': '3' });
    expect(result.exitCode).toBe(1);
    expect(stsCalls()).toHaveLength(3);
    expect(minted()).toHaveLength(3);
    expect(errorOf(result)).toContain(`STS failed to assume ${masked(DEPLOY)} with Throttling (HTTP 400)`);
  });

  it('retries a 503 from the GitHub token endpoint', async () => {
    issuer.faults.push({ kind: 'status', route: 'token', status: 503 });
    const result = await login({});
    expect(result.exitCode).toBe(0);
    expect(minted()).toHaveLength(1);
    expect(stsCalls()).toHaveLength(1);
  });
});

describe('oidc-login aws: total time cap', () => {
  it('stops retrying when the next wait would cross retry-timeout', async () => {
    const slow: Fault = { kind: 'slow', route: 'AssumeRoleWithWebIdentity', ms: 1500 };
    sts.faults.push(slow, slow);
    const result = await login({ 'request-timeout': '1s', 'retry-timeout': '2s', 'max-attempts': '10' });
    expect(result.exitCode).toBe(1);
    expect(stsCalls()).toHaveLength(2);
    expect(minted()).toHaveLength(2);
    expect(errorOf(result)).toContain(
      `AssumeRoleWithWebIdentity at ${sts.url} did not succeed: no response within 1000 ms from ${sts.url}/.\nThe retries ran out (see max-attempts and retry-timeout).`,
    );
  });
});

describe('oidc-login aws: failed fast', () => {
  it('AccessDenied from the trust policy prints the token claims, never the token', async () => {
    const result = await login({ 'role-to-assume': DENIED });
    expect(result.exitCode).toBe(1);
    expect(stsCalls().map((c) => [c.action, c.status, c.code])).toEqual([
      ['AssumeRoleWithWebIdentity', 403, 'AccessDenied'],
    ]);
    const message = errorOf(result);
    expect(message).toContain(`AWS denied AssumeRoleWithWebIdentity for ${masked(DENIED)}`);
    expect(message).toContain('STS said: "Not authorized to perform sts:AssumeRoleWithWebIdentity"');
    expect(message).toContain(
      [
        '  sub: repo:octo-org/octo-repo:ref:refs/heads/main',
        '  aud: sts.amazonaws.com',
        `  iss: ${issuer.issuer}`,
        '  repository: octo-org/octo-repo',
        '  ref: refs/heads/main',
        '  environment: (not in token)',
        '  job_workflow_ref: octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main',
      ].join('\n'),
    );
    expect(findOidcLeaks(result, secrets())).toEqual([]);
  });

  it('a wrong audience is rejected by STS and reported with the claims', async () => {
    const result = await login({ audience: 'not-sts' });
    expect(result.exitCode).toBe(1);
    expect(stsCalls().map((c) => c.code)).toEqual(['InvalidIdentityToken']);
    expect(errorOf(result)).toContain('  aud: not-sts');
  });

  it.each([
    [
      'IDPRejectedClaim',
      'Incorrect token audience',
      'The IAM OIDC provider rejected a claim of the GitHub token',
    ],
    ['ValidationError', 'Value at roleArn failed', 'STS rejected a parameter for'],
    [
      'RegionDisabledException',
      'STS is not activated in this region',
      'STS is not activated in us-east-1 for the account of',
    ],
    ['MalformedPolicyDocument', 'Syntax errors in policy.', 'STS rejected the session policy for'],
    ['AccessDenied', 'Not authorized', 'AWS denied AssumeRoleWithWebIdentity for'],
  ])('%s fails after one attempt with a specific message', async (code, stsMessage, expected) => {
    sts.faults.push({ kind: 'error', route: 'AssumeRoleWithWebIdentity', code, message: stsMessage });
    const result = await login({});
    expect(result.exitCode).toBe(1);
    expect(stsCalls()).toHaveLength(1);
    expect(minted()).toHaveLength(1);
    expect(errorOf(result)).toContain(expected);
    expect(errorOf(result)).toContain(`STS said: "${stsMessage}"`);
    expect(findOidcLeaks(result, secrets())).toEqual([]);
  });

  it('a refusal from the GitHub token endpoint fails fast with the permissions hint', async () => {
    issuer.faults.push({ kind: 'error', route: 'token', code: 'Forbidden', status: 403 });
    const result = await login({});
    expect(result.exitCode).toBe(1);
    expect(issuer.faults.pending).toBe(0);
    expect(stsCalls()).toEqual([]);
    expect(errorOf(result)).toBe(
      "GitHub refused to mint an OIDC token for audience 'sts.amazonaws.com' (HTTP 403).\nAdd `permissions: id-token: write` to the job (or the workflow) that runs this step; for a reusable workflow the caller job needs it too.",
    );
  });

  it('a chained role that does not trust the previous one fails fast', async () => {
    const result = await login({ 'role-chain': FINAL });
    expect(result.exitCode).toBe(1);
    expect(stsCalls().map((c) => [c.action, c.status])).toEqual([
      ['AssumeRoleWithWebIdentity', 200],
      ['AssumeRole', 403],
    ]);
    expect(errorOf(result)).toContain(`AWS denied AssumeRole for ${masked(FINAL)}`);
  });
});

describe('oidc-login aws: under node 24, as GitHub runs it', () => {
  it('chains roles and cleans up', { timeout: 200_000 }, async () => {
    const result = await runAction({
      actionDir,
      node: node24Path(),
      inputs: {
        provider: 'aws',
        'aws-region': 'us-east-1',
        'sts-endpoint': sts.url,
        'role-to-assume': DEPLOY,
        'role-chain': `${TARGET} external-id=ext-123`,
        'aws-profile': 'deploy',
      },
      env: issuer.env,
    });
    expect(result.exitCode).toBe(0);
    expect(stsCalls().map((c) => [c.action, c.status])).toEqual([
      ['AssumeRoleWithWebIdentity', 200],
      ['AssumeRole', 200],
    ]);
    expect(result.outputs.arn).toBe(`arn:aws:sts::444455556666:assumed-role/target/${SESSION}`);
    expect(existsSync(result.outputs['credentials-file']!)).toBe(false);
    expect(findOidcLeaks(result, secrets())).toEqual([]);
  });
});
