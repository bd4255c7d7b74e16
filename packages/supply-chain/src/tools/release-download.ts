/**
 * Fetching release assets over HTTP(S) through @actions/http-client (proxy
 * aware, redirects followed, socket timeout), with @slipway/core retry and a
 * total cap. Downloads are hashed while they stream to disk.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { HttpClient } from '@actions/http-client';
import { RetryableError, UserError, retry, type RetryOptions } from '@slipway/core';

/** The part of HttpClient the installer uses; tests pass a real client pointed at the release double. */
export type ReleaseHttp = Pick<HttpClient, 'get'>;

export const DOWNLOAD_SOCKET_TIMEOUT_MS = 60_000;

export function createReleaseHttp(): HttpClient {
  return new HttpClient('slipway-tool-installer', [], {
    socketTimeout: DOWNLOAD_SOCKET_TIMEOUT_MS,
    allowRetries: false,
    allowRedirects: true,
    maxRedirects: 10,
  });
}

export class HttpStatusError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    method = 'GET',
  ) {
    super(`${method} ${url} answered HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
}

/** A release asset that the server does not have (HTTP 404); never retried. */
export class ReleaseAssetNotFoundError extends UserError {
  constructor(readonly url: string) {
    super(`${url} was not found (HTTP 404).`, {
      hint: 'Check the tool version, and the release mirror when SLIPWAY_RELEASES_URL or releases-url is set.',
    });
    this.name = 'ReleaseAssetNotFoundError';
  }
}

export interface DownloadResult {
  bytes: number;
  sha256: string;
}

export interface DownloadOptions {
  retry?: Partial<RetryOptions>;
  log?: (line: string) => void;
}

const DEFAULT_DOWNLOAD_RETRY: Partial<RetryOptions> = { maxAttempts: 4, totalTimeoutMs: 300_000 };

async function getOk(http: ReleaseHttp, url: string) {
  const response = await http.get(url);
  const status = response.message.statusCode ?? 0;
  if (status === 200) return response;
  response.message.resume();
  if (status === 404) throw new ReleaseAssetNotFoundError(url);
  throw new HttpStatusError(url, status);
}

/** Streams `url` into `dest`, hashing as it goes. A short body (content-length not met) is an error. */
export async function downloadToFile(
  http: ReleaseHttp,
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  return retry(
    async () => {
      const response = await getOk(http, url);
      const declared = Number(response.message.headers['content-length'] ?? NaN);
      const hash = createHash('sha256');
      let bytes = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          bytes += chunk.length;
          callback(null, chunk);
        },
      });
      try {
        await pipeline(response.message, meter, createWriteStream(dest));
      } catch (error) {
        await rm(dest, { force: true });
        throw error;
      }
      if (Number.isFinite(declared) && declared !== bytes) {
        await rm(dest, { force: true });
        throw new RetryableError(`GET ${url} ended after ${bytes} of ${declared} bytes`);
      }
      return { bytes, sha256: hash.digest('hex') };
    },
    {
      ...DEFAULT_DOWNLOAD_RETRY,
      ...options.retry,
      onRetry: ({ attempt, delayMs, error }) =>
        options.log?.(
          `Download of ${url} failed (attempt ${attempt}): ${String(error)}; retrying in ${delayMs} ms`,
        ),
    },
  );
}

/** GETs a small document (a checksums or signature file) as the exact bytes served. */
export async function fetchBytes(
  http: ReleaseHttp,
  url: string,
  options: DownloadOptions = {},
): Promise<Buffer> {
  return retry(
    async () => {
      const response = await getOk(http, url);
      return response.readBodyBuffer
        ? await response.readBodyBuffer()
        : Buffer.from(await response.readBody(), 'utf8');
    },
    { ...DEFAULT_DOWNLOAD_RETRY, ...options.retry },
  );
}

/** GETs a small text document (a checksums file); returns its text and byte count. */
export async function fetchText(
  http: ReleaseHttp,
  url: string,
  options: DownloadOptions = {},
): Promise<{ text: string; bytes: number }> {
  return retry(
    async () => {
      const response = await getOk(http, url);
      const text = await response.readBody();
      return { text, bytes: Buffer.byteLength(text) };
    },
    { ...DEFAULT_DOWNLOAD_RETRY, ...options.retry },
  );
}
