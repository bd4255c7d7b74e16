// awsLogin against the STS and OIDC-issuer doubles over real HTTP, without the action bundle: the
// orchestration (fresh token per attempt, role chain, masking, error wording) is tested where it lives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '@slipway/core';
import { startOidcIssuer, type OidcIssuer } from '../../../test/doubles/oidc-issuer/server.ts';
import { startStsDouble, type StsDouble } from '../../../test/doubles/aws-sts/server.ts';
import { awsLogin, planAwsLogin, type AwsLoginOptions } from './aws-login.ts';
import { recordingIo as io, tokenRequest } from './login-io.fixture.ts';

const DEPLOY = 'arn:aws:iam::111122223333:role/gha-deploy';
const TARGET = 'arn:aws:iam::444455556666:role/target';
const DENIED = 'arn:aws:iam::111122223333:role/other-repo-only';

let issuer: OidcIssuer;
let sts: StsDouble;

beforeAll(async () => {
  issuer = await startOidcIssuer();
  sts = await startStsDouble({
    issuer: issuer.issuer,
    jwksUrl: issuer.jwksUrl,
    roles: [
      { arn: DEPLOY, webIdentity: { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/octo-repo:*' } },
      { arn: DENIED, webIdentity: { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/other:*' } },
      { arn: TARGET, trustedRoles: [DEPLOY] },
    ],
  });
});
afterAll(async () => {
  await sts.close();
  await issuer.close();
});

function options(overrides: Partial<AwsLoginOptions> = {}): AwsLoginOptions {
  return {
    roleArn: DEPLOY,
    region: 'us-east-1',
    fips: false,
    dualStack: false,
    stsEndpointOverride: sts.url,
    sessionName: 'GitHubActions-test',
    durationSeconds: 900,
    managedPolicies: [],
    chain: [],
    maskAccountId: true,
    ...overrides,
  };
}

describe('awsLogin against the STS double', () => {
  it('assumes the web-identity role, then each role-chain hop with the previous credentials', async () => {
    const opts = options({ chain: [{ roleArn: TARGET, tags: [] }] });
    const sink = io();
    const before = sts.calls.length;
    const result = await awsLogin(opts, planAwsLogin(opts), tokenRequest(issuer), sink);
    const calls = sts.calls.slice(before);
    expect(calls.map((c) => [c.action, c.params.RoleArn, c.status])).toEqual([
      ['AssumeRoleWithWebIdentity', DEPLOY, 200],
      ['AssumeRole', TARGET, 200],
    ]);
    expect(result.arn).toBe('arn:aws:sts::444455556666:assumed-role/target/GitHubActions-test');
    expect(result.accountId).toBe('444455556666');
    // every credential of both hops and both account ids were masked, and our own lines carry ***
    for (const secret of sts.issuedSecrets.slice(-6)) expect(sink.masked).toContain(secret);
    expect(sink.masked).toEqual(expect.arrayContaining(['111122223333', '444455556666']));
    expect(sink.lines).toEqual([
      'Assumed arn:aws:iam::***:role/gha-deploy with the GitHub OIDC token',
      'Assumed arn:aws:iam::***:role/target (role chain)',
    ]);
  });

  it('mints a fresh GitHub token for every attempt after a throttled one', async () => {
    const opts = options();
    const sink = io();
    const minted = issuer.issued.length;
    sts.faults.push({ kind: 'error', route: 'AssumeRoleWithWebIdentity', code: 'Throttling', status: 400 });
    await awsLogin(opts, planAwsLogin(opts), tokenRequest(issuer), sink);
    const tokens = issuer.issued.slice(minted);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).not.toBe(tokens[1]);
    expect(sink.lines[0]).toMatch(
      /^AssumeRoleWithWebIdentity: attempt 1 failed \(.*Throttling.*\); retrying in/,
    );
  });

  it('a trust-policy rejection is a UserError with the token claims and the account id hidden', async () => {
    const opts = options({ roleArn: DENIED });
    const error = await awsLogin(opts, planAwsLogin(opts), tokenRequest(issuer), io()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).toContain(
      'AWS denied AssumeRoleWithWebIdentity for arn:aws:iam::***:role/other-repo-only',
    );
    expect(message).toContain('sub: repo:octo-org/octo-repo:ref:refs/heads/main');
    expect(message).not.toContain('111122223333');
    expect(message).not.toContain(issuer.issued.at(-1)!);
  });

  it('with maskAccountId false the account id is shown and not masked', async () => {
    const opts = options({ maskAccountId: false });
    const sink = io();
    await awsLogin(opts, planAwsLogin(opts), tokenRequest(issuer), sink);
    expect(sink.masked).not.toContain('111122223333');
    expect(sink.lines).toEqual([`Assumed ${DEPLOY} with the GitHub OIDC token`]);
  });

  it('an STS endpoint that never answers is a UserError naming the step and the endpoint', async () => {
    const opts = options({ stsEndpointOverride: 'http://127.0.0.1:9' });
    const error = await awsLogin(opts, planAwsLogin(opts), tokenRequest(issuer), io(2)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /^AssumeRoleWithWebIdentity at http:\/\/127\.0\.0\.1:9 did not succeed: .*ECONNREFUSED/,
    );
  });
});
