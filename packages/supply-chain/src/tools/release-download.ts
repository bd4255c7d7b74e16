/**
 * Fetching release assets over HTTP(S) through @slipway/core's streaming
 * transport (proxy aware, redirects followed, socket timeout, network errors
 * that name the URL), with @slipway/core retry and a total cap. Downloads are
 * hashed while they stream to disk.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import {
  RetryableError,
  createHttpStreamTransport,
  UserError,
  checkDeclaredLength,
  readBoundedBody,
  retry,
  type RetryOptions,
  HttpStatusError,
  type HttpStreamTransport,
} from '@slipway/core';

/** The transport the installer uses; tests pass a real one pointed at the release double. */
export type ReleaseHttp = HttpStreamTransport;

export const DOWNLOAD_SOCKET_TIMEOUT_MS = 60_000;

/** Release hosts redirect to their storage (GitHub: objects.githubusercontent.com), so redirects are followed. */
export function createReleaseHttp(): ReleaseHttp {
  return createHttpStreamTransport({
    userAgent: 'slipway-tool-installer',
    timeoutMs: DOWNLOAD_SOCKET_TIMEOUT_MS,
    maxRedirects: 10,
  });
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

const DEFAULT_DOWNLOAD_RETRY: Partial<RetryOptions> = { maxAttempts: 4, totalTimeoutMs: 300_000 };

/**
 * A download that still failed after its retries (network error, cut-off body, 5xx...): the
 * user's to fix (network, proxy, mirror, outage), not a bug, so a UserError naming the URL.
 */
export class ReleaseDownloadError extends UserError {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Downloading ${url} failed after retries: ${reason}`, {
      hint: `Check that the runner reaches ${new URL(url).host} (HTTPS_PROXY / NO_PROXY), point releases-url or SLIPWAY_RELEASES_URL at a mirror, or re-run the job if the server had an outage.`,
      cause,
    });
    this.name = 'ReleaseDownloadError';
  }
}

/** Runs `attempt` under retry; what still fails is a UserError naming `url`. */
async function retried<T>(
  url: string,
  attempt: () => Promise<T>,
  options: Partial<RetryOptions>,
): Promise<T> {
  try {
    return await retry(attempt, { ...DEFAULT_DOWNLOAD_RETRY, ...options });
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new ReleaseDownloadError(url, error);
  }
}

/** Bounds on what one GET may bring: release archives are tens of MB, checksums and bundles a few KB. */
export const MAX_ASSET_BYTES = 512 * 1024 * 1024;
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

/** A response larger than its bound; never retried. */
export class DownloadTooLargeError extends UserError {
  constructor(
    readonly url: string,
    limit: number,
  ) {
    super(`${url} is larger than ${limit} bytes, more than any release file of this kind; refusing it.`, {
      hint: 'Check the tool version and the release mirror (releases-url / SLIPWAY_RELEASES_URL): the server sent something else.',
    });
    this.name = 'DownloadTooLargeError';
  }
}

function readDocument(body: IncomingMessage, url: string, limit: number): Promise<Buffer> {
  return readBoundedBody(body, limit, () => new DownloadTooLargeError(url, limit));
}

export interface DownloadResult {
  bytes: number;
  sha256: string;
}

export interface DownloadOptions {
  retry?: Partial<RetryOptions>;
  /** Largest body accepted; default MAX_ASSET_BYTES for downloadToFile, MAX_DOCUMENT_BYTES for the fetches. */
  maxBytes?: number;
  log?: (line: string) => void;
}

async function getOk(http: ReleaseHttp, url: string) {
  const response = await http({ method: 'GET', url });
  const status = response.status;
  if (status === 200) return response;
  response.body.resume();
  if (status === 404) throw new ReleaseAssetNotFoundError(url);
  throw new HttpStatusError(status, 'GET', url);
}

/** Streams `url` into `dest`, hashing as it goes. A short body (content-length not met) is an error. */
export async function downloadToFile(
  http: ReleaseHttp,
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  return retried(
    url,
    async () => {
      const response = await getOk(http, url);
      const limit = options.maxBytes ?? MAX_ASSET_BYTES;
      const declared = checkDeclaredLength(response.body, limit, () => new DownloadTooLargeError(url, limit));
      const hash = createHash('sha256');
      let bytes = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          bytes += chunk.length;
          if (bytes > limit) callback(new DownloadTooLargeError(url, limit));
          else callback(null, chunk);
        },
      });
      try {
        await pipeline(response.body, meter, createWriteStream(dest));
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
  return retried(
    url,
    async () => {
      const response = await getOk(http, url);
      return readDocument(response.body, url, options.maxBytes ?? MAX_DOCUMENT_BYTES);
    },
    { ...options.retry },
  );
}

/** GETs a small text document (a checksums file); returns its text and byte count. */
export async function fetchText(
  http: ReleaseHttp,
  url: string,
  options: DownloadOptions = {},
): Promise<{ text: string; bytes: number }> {
  return retried(
    url,
    async () => {
      const response = await getOk(http, url);
      const body = await readDocument(response.body, url, options.maxBytes ?? MAX_DOCUMENT_BYTES);
      return { text: body.toString('utf8'), bytes: body.length };
    },
    { ...options.retry },
  );
}
