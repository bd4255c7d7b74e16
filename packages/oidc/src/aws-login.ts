import { UserError, maskSecret, redact, type MaskSink, type RetryOptions } from '@slipway/core';
import {
  checkRoleArn,
  defaultAwsAudience,
  partitionOf,
  stsEndpoint,
  type AwsPartition,
} from './aws-endpoint.ts';
import type { ChainedRole } from './aws-role-chain.ts';
import { checkChainedDuration } from './aws-session.ts';
import { assumeRole, assumeRoleWithWebIdentity, type SessionParameters } from './aws-sts-client.ts';
import { StsError, describeStsFailure, isTrustRejection } from './aws-sts-errors.ts';
import type { AssumedRole } from './aws-sts-xml.ts';
import { mintIdToken, type IdTokenRequestEnv } from './github-id-token.ts';
import type { HttpTransport } from '@slipway/core';
import { describeTrustClaims, tokenIssuer } from './jwt-claims.ts';
import { retryLoginStep, unreachable } from './login-retry.ts';

export interface AwsLoginOptions {
  roleArn: string;
  region: string;
  audience?: string;
  fips: boolean;
  dualStack: boolean;
  stsEndpointOverride?: string;
  sessionName: string;
  durationSeconds: number;
  sessionPolicy?: string;
  managedPolicies: readonly string[];
  chain: readonly ChainedRole[];
  maskAccountId: boolean;
}

export interface LoginIo {
  http: HttpTransport;
  mask: MaskSink;
  log: (line: string) => void;
  retry: Partial<RetryOptions>;
}

export interface AwsPlan {
  partition: AwsPartition;
  endpoint: string;
  audience: string;
}

export interface AwsLoginResult extends AssumedRole {
  accountId: string;
  region: string;
}

/** Everything that can be checked without the network; called before the first request. */
export function planAwsLogin(options: AwsLoginOptions): AwsPlan {
  const partition = partitionOf(options.region);
  checkRoleArn(options.roleArn, 'role-to-assume', partition);
  for (const hop of options.chain) checkRoleArn(hop.roleArn, 'role-chain', partition);
  checkChainedDuration(options.durationSeconds, options.chain.length);
  return {
    partition,
    endpoint: stsEndpoint({
      region: options.region,
      fips: options.fips,
      dualStack: options.dualStack,
      ...(options.stsEndpointOverride ? { override: options.stsEndpointOverride } : {}),
    }),
    audience: options.audience ?? defaultAwsAudience(partition),
  };
}

function maskAssumed(role: AssumedRole, mask: MaskSink): AssumedRole {
  maskSecret(role.credentials.accessKeyId, mask);
  maskSecret(role.credentials.secretAccessKey, mask);
  maskSecret(role.credentials.sessionToken, mask);
  return role;
}

/** `arn:aws:sts::<account>:assumed-role/...` -> the account id. */
export function accountIdOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}

/**
 * GitHub token -> AssumeRoleWithWebIdentity -> AssumeRole for each role-chain hop.
 * Each web-identity attempt mints a fresh GitHub token. Credentials are masked as
 * soon as they are parsed.
 */
export async function awsLogin(
  options: AwsLoginOptions,
  plan: AwsPlan,
  idTokenRequest: IdTokenRequestEnv,
  io: LoginIo,
): Promise<AwsLoginResult> {
  const session: SessionParameters = {
    roleArn: options.roleArn,
    sessionName: options.sessionName,
    durationSeconds: options.durationSeconds,
    ...(options.sessionPolicy ? { sessionPolicy: options.sessionPolicy } : {}),
    managedPolicies: options.managedPolicies,
  };
  const accounts = [options.roleArn, ...options.chain.map((hop) => hop.roleArn)].map((arn) =>
    accountIdOf(arn),
  );
  if (options.maskAccountId) {
    for (const account of accounts) maskSecret(account, io.mask);
    // what we print ourselves carries *** too, not only what the runner's masker catches
    const log = io.log;
    io = { ...io, log: (line) => log(redact(line, accounts)) };
  }
  const hide = (message: string) => (options.maskAccountId ? redact(message, accounts) : message);
  let lastToken: string | undefined;
  let role: AssumedRole;
  try {
    role = await retryLoginStep(
      'AssumeRoleWithWebIdentity',
      async () => {
        lastToken = await mintIdToken(idTokenRequest, plan.audience, io.http, io.mask);
        return maskAssumed(
          await assumeRoleWithWebIdentity(io.http, plan.endpoint, session, lastToken),
          io.mask,
        );
      },
      io.retry,
      io.log,
    );
  } catch (error) {
    if (!(error instanceof StsError)) throw unreachable('AssumeRoleWithWebIdentity', plan.endpoint, error);
    const message = describeStsFailure(error, options.roleArn, options.region, true, tokenIssuer(lastToken));
    const claims = isTrustRejection(error) && lastToken ? `\n${describeTrustClaims(lastToken)}` : '';
    throw new UserError(hide(`${message}${claims}`), { cause: error });
  }
  io.log(`Assumed ${options.roleArn} with the GitHub OIDC token`);

  for (const hop of options.chain) {
    const previous = role.credentials;
    try {
      role = await retryLoginStep(
        `AssumeRole ${hop.roleArn}`,
        async () =>
          maskAssumed(
            await assumeRole(io.http, plan.endpoint, options.region, session, hop, previous),
            io.mask,
          ),
        io.retry,
        io.log,
      );
    } catch (error) {
      if (!(error instanceof StsError)) throw unreachable('AssumeRole', plan.endpoint, error);
      throw new UserError(hide(describeStsFailure(error, hop.roleArn, options.region, false)), {
        cause: error,
      });
    }
    io.log(`Assumed ${hop.roleArn} (role chain)`);
  }

  const accountId = accountIdOf(role.arn);
  if (options.maskAccountId) maskSecret(accountId, io.mask);
  return { ...role, accountId, region: options.region };
}
