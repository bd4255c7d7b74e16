import {
  UserError,
  classifyTransient,
  errorMessage,
  retry,
  type RetryDecision,
  type RetryOptions,
} from '@slipway/core';
import { classifyStsFailure } from './aws-sts-errors.ts';

/** Retry policy for every token exchange: STS codes by their meaning, then network errors and 408/429/5xx. */
export function classifyLoginFailure(error: unknown): RetryDecision {
  if (error instanceof UserError) return { retry: false };
  return classifyStsFailure(error) ?? classifyTransient(error);
}

/**
 * Runs one exchange step (`what`, e.g. "AssumeRoleWithWebIdentity") under retry
 * with backoff, jitter and the total cap in `options`, logging each retried
 * failure. `fn` receives the attempt number and must redo all its work (mint a
 * fresh GitHub token, re-sign) so nothing stale is sent again.
 */
export function retryLoginStep<T>(
  what: string,
  fn: (attempt: number) => Promise<T>,
  options: Partial<RetryOptions>,
  log: (line: string) => void,
): Promise<T> {
  return retry(fn, {
    ...options,
    classify: classifyLoginFailure,
    onRetry: ({ attempt, delayMs, error }) =>
      log(`${what}: attempt ${attempt} failed (${errorMessage(error)}); retrying in ${delayMs} ms`),
  });
}

/**
 * What to throw when a step still fails after its retries for a reason that is not
 * the service's considered answer (network errors, 5xx, a broken token endpoint):
 * a `UserError` naming the step and endpoint, since it is not a bug in Slipway.
 */
export function unreachable(what: string, endpoint: string, error: unknown): unknown {
  if (error instanceof UserError) return error;
  return new UserError(`${what} at ${endpoint} did not succeed: ${errorMessage(error)}.`, {
    hint: 'The retries ran out (see max-attempts and retry-timeout). Re-run the job; behind a proxy, check HTTPS_PROXY and NO_PROXY.',
    cause: error,
  });
}
