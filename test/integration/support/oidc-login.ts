/**
 * Per-test views of the doubles the oidc-login integration tests share: what
 * the cloud token double (AWS STS, Azure, Google) received and the OIDC issuer
 * minted since the current test started, and the secrets a log must not contain.
 */
import { afterAll, beforeEach, expect } from 'vitest';
import type { ActionRunResult } from '../../harness/run-action.ts';
import type { FaultQueue } from '../../doubles/oidc-issuer/faults.ts';
import type { OidcIssuer } from '../../doubles/oidc-issuer/server.ts';

/** What the three cloud token doubles have in common. */
export interface CloudTokenDouble<Call> {
  calls: Call[];
  issuedSecrets: string[];
  faults: FaultQueue;
  close(): Promise<void>;
}

export interface TokenTraffic<Call> {
  /** Calls the cloud double received during the current test. */
  calls: () => Call[];
  /** Tokens the issuer minted during the current test. */
  minted: () => string[];
  /** The minted tokens, the token-request token and every secret the cloud double issued this test. */
  secrets: () => string[];
}

/**
 * Registers a `beforeEach` that marks where the current test's calls, tokens and
 * secrets start and checks no fault is left queued from the previous test, and an
 * `afterAll` that closes the cloud double, then the issuer. `doubles` is called
 * lazily: the doubles are started in the caller's `beforeAll`.
 */
export function watchTokenTraffic<Call>(
  doubles: () => { issuer: OidcIssuer; cloud: CloudTokenDouble<Call> },
): TokenTraffic<Call> {
  let callsBefore = 0;
  let tokensBefore = 0;
  let secretsBefore = 0;
  afterAll(async () => {
    const { issuer, cloud } = doubles();
    await cloud.close();
    await issuer.close();
  });
  beforeEach(() => {
    const { issuer, cloud } = doubles();
    callsBefore = cloud.calls.length;
    tokensBefore = issuer.issued.length;
    secretsBefore = cloud.issuedSecrets.length;
    expect(cloud.faults.pending).toBe(0);
  });
  const minted = () => doubles().issuer.issued.slice(tokensBefore);
  return {
    calls: () => doubles().cloud.calls.slice(callsBefore),
    minted,
    secrets: () => {
      const { issuer, cloud } = doubles();
      return [
        ...minted(),
        issuer.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
        ...cloud.issuedSecrets.slice(secretsBefore),
      ];
    },
  };
}

/** The error annotations of a run, one per line. */
export const errorOf = (result: ActionRunResult) =>
  result.annotations
    .filter((a) => a.level === 'error')
    .map((a) => a.message)
    .join('\n');
