// Test support for the login orchestrators: a LoginIo over real HTTP that records what was masked and
// logged, with short retry waits, and the token request of an OIDC-issuer double.
import type { OidcIssuer } from '../../../test/doubles/oidc-issuer/server.ts';
import type { LoginIo } from './aws-login.ts';
import type { IdTokenRequestEnv } from './github-id-token.ts';
import { createHttpTransport } from '@slipway/core';

export type RecordingIo = LoginIo & { masked: string[]; lines: string[] };

export function recordingIo(maxAttempts = 3): RecordingIo {
  const masked: string[] = [];
  const lines: string[] = [];
  return {
    http: createHttpTransport({ userAgent: 'slipway-test', timeoutMs: 5_000 }),
    mask: (value) => masked.push(value),
    log: (line) => lines.push(line),
    retry: { maxAttempts, baseDelayMs: 1, maxDelayMs: 2, totalTimeoutMs: 10_000 },
    masked,
    lines,
  };
}

export function tokenRequest(issuer: OidcIssuer): IdTokenRequestEnv {
  return {
    url: issuer.env.ACTIONS_ID_TOKEN_REQUEST_URL,
    requestToken: issuer.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
  };
}
