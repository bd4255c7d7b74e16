/**
 * The three steps of an artifact upload (CreateArtifact, the blob Put Blob,
 * FinalizeArtifact) fail with one error type that says which step failed, how,
 * and whether another attempt may succeed (5xx, 429, no answer); `retryStep`
 * retries those through core `retry`, logs each retry, and names the attempts
 * made in the final message.
 */
import { errorMessage } from '../errors.ts';
import { retryAfterMs, type HttpResponse } from '../http-transport.ts';
import { classifyTransient, retry, type RetryDecision, type RetryOptions } from '../retry.ts';

export type UploadStep = 'CreateArtifact' | 'PutBlob' | 'FinalizeArtifact';

export interface UploadFailure {
  /** The HTTP status; undefined when no answer came. */
  status?: number;
  /** The service's error code: Twirp's (`already_exists`, ...) or Azure's x-ms-error-code. */
  code?: string;
  /** Whether a later attempt may succeed. */
  retryable: boolean;
  retryAfterMs?: number;
  /** Attempts made in all, when more than one. */
  attempts?: number;
}

/** A step of an artifact upload that failed: `reason` says how, the message adds the attempts made. */
export class ArtifactUploadError extends Error {
  constructor(
    readonly step: UploadStep,
    readonly reason: string,
    readonly failure: UploadFailure,
  ) {
    const attempts = failure.attempts ?? 1;
    super(attempts > 1 ? `${reason}; gave up after ${attempts} attempts` : reason);
    this.name = 'ArtifactUploadError';
  }

  get status(): number | undefined {
    return this.failure.status;
  }
}

/** A step that got no answer: retryable when the failure is a transient one (reset, timeout...). */
export function noAnswerError(step: UploadStep, reason: string, error: unknown): ArtifactUploadError {
  return new ArtifactUploadError(step, reason, { retryable: classifyTransient(error).retry });
}

/** A step answered with a failed status: retryable for 5xx and 429, after the server's wait when it gave one. */
export function failedStatusError(
  step: UploadStep,
  reason: string,
  response: Pick<HttpResponse, 'status' | 'headers'>,
  code: string | undefined,
): ArtifactUploadError {
  const wait = retryAfterMs(response.headers);
  return new ArtifactUploadError(step, reason, {
    status: response.status,
    ...(code ? { code } : {}),
    retryable: classifyTransient({ status: response.status }).retry,
    ...(wait === undefined ? {} : { retryAfterMs: wait }),
  });
}

/** The service refused the upload because the account's artifact storage is used up (never retried). */
export class ArtifactStorageQuotaError extends ArtifactUploadError {
  constructor(step: UploadStep, reason: string, status: number, code: string | undefined) {
    super(step, reason, { status, ...(code ? { code } : {}), retryable: false });
    this.name = 'ArtifactStorageQuotaError';
  }
}

/** Waits of at most 1, 2, 4 and 8 s (full jitter) between five attempts, two minutes in all. */
export const ARTIFACT_RETRY: Omit<RetryOptions, 'classify'> = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 20_000,
  totalTimeoutMs: 120_000,
};

export interface StepRetryOptions {
  log: (line: string) => void;
  /** Overrides of ARTIFACT_RETRY (tests pass a sleep that does not wait). */
  retry?: Partial<RetryOptions>;
}

function classify(error: unknown): RetryDecision {
  if (!(error instanceof ArtifactUploadError) || !error.failure.retryable) return { retry: false };
  const afterMs = error.failure.retryAfterMs;
  return afterMs === undefined ? { retry: true } : { retry: true, afterMs };
}

/** Runs one attempt of `step` until it succeeds or fails for good. */
export async function retryStep<T>(
  step: UploadStep,
  attempt: () => Promise<T>,
  options: StepRetryOptions,
): Promise<T> {
  const settings = { ...ARTIFACT_RETRY, ...options.retry };
  let attempts = 0;
  try {
    return await retry(
      () => {
        attempts++;
        return attempt();
      },
      {
        ...settings,
        classify,
        onRetry: ({ attempt: n, delayMs, error }) =>
          options.log(
            `${step} attempt ${n} of ${settings.maxAttempts} failed (${errorMessage(error)}); retrying in ${(delayMs / 1000).toFixed(1)} s`,
          ),
      },
    );
  } catch (error) {
    if (!(error instanceof ArtifactUploadError) || attempts === 1) throw error;
    throw new ArtifactUploadError(step, error.reason, { ...error.failure, attempts });
  }
}
