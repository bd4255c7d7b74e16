/**
 * Retry with exponential backoff, full jitter and a total time cap.
 *
 * delay(n) = random() * min(maxDelayMs, baseDelayMs * 2^n); a server-provided
 * retry-after (on the error) takes precedence when it is longer. The total cap
 * bounds the whole operation: a retry whose wait would cross it is not made.
 */

export type RetryDecision = { retry: false } | { retry: true; afterMs?: number };

export interface RetryOptions {
  /** Attempts in all, first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Wall-clock budget for all attempts and waits together. */
  totalTimeoutMs: number;
  classify?: (error: unknown) => RetryDecision;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

export const DEFAULT_RETRY: Omit<RetryOptions, 'classify'> = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  totalTimeoutMs: 120_000,
};

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);

/** An error that says explicitly whether it may be retried (and after how long). */
export class RetryableError extends Error {
  constructor(
    message: string,
    readonly afterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RetryableError';
  }
}

/** Reads a status code from the shapes octokit, http-client and fetch errors use. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { status?: unknown; statusCode?: unknown; response?: { status?: unknown } };
  for (const candidate of [e.status, e.statusCode, e.response?.status]) {
    if (typeof candidate === 'number') return candidate;
  }
  return undefined;
}

/**
 * True for @actions/http-client's socket timeout (`socketTimeout` elapsed with no
 * data), which it reports as a plain Error without a code: "Request timeout: <path>".
 */
export function isSocketTimeout(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('Request timeout: ');
}

/**
 * Default classification: network failures (codes and http-client socket
 * timeouts), 408, 429 and 5xx are retried; everything else (4xx, programming
 * errors, UserError) fails at once.
 */
export function classifyTransient(error: unknown): RetryDecision {
  if (error instanceof RetryableError)
    return error.afterMs === undefined ? { retry: true } : { retry: true, afterMs: error.afterMs };
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code)) return { retry: true };
  if (isSocketTimeout(error)) return { retry: true };
  const status = statusOf(error);
  if (status === 408 || status === 429 || (status !== undefined && status >= 500 && status <= 599)) {
    // the server's own wait (HttpStatusError.retryAfterMs from retry-after) comes first
    const afterMs = (error as { retryAfterMs?: unknown }).retryAfterMs;
    return typeof afterMs === 'number' ? { retry: true, afterMs } : { retry: true };
  }
  return { retry: false };
}

export function backoffDelay(
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `fn(attempt)` until it succeeds, the error is not retryable, attempts run
 * out, or the next wait would cross the total cap. A non-retryable error and the
 * final error are rethrown unchanged so callers keep their typed errors; when
 * only the time cap stops a retryable failure, the last error is rethrown too.
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: Partial<RetryOptions> = {},
): Promise<T> {
  const opts = { ...DEFAULT_RETRY, ...options };
  const classify = opts.classify ?? classifyTransient;
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const deadline = now() + opts.totalTimeoutMs;

  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const decision = classify(error);
      if (!decision.retry || attempt >= opts.maxAttempts) throw error;
      const jittered = backoffDelay(attempt - 1, opts, random);
      const delayMs = Math.max(jittered, decision.afterMs ?? 0);
      if (now() + delayMs >= deadline) throw error;
      opts.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}
