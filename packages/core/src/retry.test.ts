import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '@actions/http-client';
import { describe, expect, it } from 'vitest';
import { UserError } from './errors.ts';
import { backoffDelay, classifyTransient, isSocketTimeout, retry, RetryableError } from './retry.ts';

/** A fake clock: sleep advances time instantly and records each wait. */
function clock() {
  let t = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
  };
}

const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });

describe('classifyTransient', () => {
  it.each([408, 429, 500, 502, 503, 599])('retries status %i', (status) => {
    expect(classifyTransient(httpError(status)).retry).toBe(true);
  });
  it.each([400, 401, 403, 404, 409, 422])('does not retry status %i', (status) => {
    expect(classifyTransient(httpError(status)).retry).toBe(false);
  });
  it('retries network error codes and reads statusCode/response.status', () => {
    expect(classifyTransient(Object.assign(new Error('reset'), { code: 'ECONNRESET' })).retry).toBe(true);
    expect(classifyTransient({ statusCode: 503 }).retry).toBe(true);
    expect(classifyTransient({ response: { status: 502 } }).retry).toBe(true);
  });
  it("retries @actions/http-client's socket timeout (a plain Error with no code)", async () => {
    const server = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = new HttpClient('slipway-test', [], { socketTimeout: 50, allowRetries: false });
      const { port } = server.address() as AddressInfo;
      const error = await client.get(`http://127.0.0.1:${port}/slow`).catch((e: unknown) => e);
      expect(isSocketTimeout(error)).toBe(true);
      expect(classifyTransient(error).retry).toBe(true);
      expect(isSocketTimeout(new Error('Request failed'))).toBe(false);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
  it('never retries user errors or plain bugs', () => {
    expect(classifyTransient(new UserError('denied')).retry).toBe(false);
    expect(classifyTransient(new TypeError('x')).retry).toBe(false);
    expect(classifyTransient('text').retry).toBe(false);
  });
  it('carries retry-after from a RetryableError', () => {
    expect(classifyTransient(new RetryableError('slow down', 7000))).toEqual({ retry: true, afterMs: 7000 });
  });
});

describe('backoffDelay', () => {
  it('is full jitter under an exponential ceiling capped at maxDelay', () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, opts, () => 0.999)).toBe(99);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(400);
    expect(backoffDelay(10, opts, () => 0.5)).toBe(500);
    expect(backoffDelay(2, opts, () => 0)).toBe(0);
  });
});

describe('retry', () => {
  it('retries transient failures then returns the value', async () => {
    const c = clock();
    let calls = 0;
    const value = await retry(
      async (attempt) => {
        calls++;
        if (attempt < 3) throw httpError(503);
        return 'ok';
      },
      { ...c, random: () => 1, baseDelayMs: 100, maxDelayMs: 10_000, maxAttempts: 5, totalTimeoutMs: 60_000 },
    );
    expect(value).toBe('ok');
    expect(calls).toBe(3);
    expect(c.waits).toEqual([100, 200]);
  });

  it('rethrows a non-retryable error unchanged after one attempt', async () => {
    const c = clock();
    const denied = new UserError('AccessDenied');
    let calls = 0;
    await expect(
      retry(async () => {
        calls++;
        throw denied;
      }, c),
    ).rejects.toBe(denied);
    expect(calls).toBe(1);
    expect(c.waits).toEqual([]);
  });

  it('stops at maxAttempts with the last error', async () => {
    const c = clock();
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw httpError(500 + calls);
        },
        { ...c, maxAttempts: 3, random: () => 0 },
      ),
    ).rejects.toMatchObject({ status: 503 });
    expect(calls).toBe(3);
  });

  it('does not start a wait that would cross the total cap', async () => {
    const c = clock();
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw httpError(503);
        },
        {
          ...c,
          random: () => 1,
          baseDelayMs: 1000,
          maxDelayMs: 60_000,
          maxAttempts: 100,
          totalTimeoutMs: 10_000,
        },
      ),
    ).rejects.toMatchObject({ status: 503 });
    // waits 1000, 2000, 4000 (total 7000); the next (8000) would end at 15000 > 10000
    expect(c.waits).toEqual([1000, 2000, 4000]);
    expect(calls).toBe(4);
  });

  it('honours a longer server retry-after and reports each retry', async () => {
    const c = clock();
    const seen: number[] = [];
    await retry(
      async (attempt) => {
        if (attempt === 1) throw new RetryableError('rate limited', 5000);
        return 1;
      },
      { ...c, random: () => 0.1, onRetry: ({ delayMs }) => seen.push(delayMs) },
    );
    expect(c.waits).toEqual([5000]);
    expect(seen).toEqual([5000]);
  });

  it('accepts a custom classifier', async () => {
    const c = clock();
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error('IDPCommunicationError');
        },
        {
          ...c,
          maxAttempts: 2,
          classify: (e) => ({ retry: (e as Error).message === 'IDPCommunicationError' }),
        },
      ),
    ).rejects.toThrow('IDPCommunicationError');
    expect(calls).toBe(2);
  });
});
