/**
 * Reading Rekor's (v1) public API: the hash index and log entries by UUID, to
 * find the transparency-log entry of a detached keyless signature.
 *
 *   POST <rekor>/api/v1/index/retrieve  {"hash": "sha256:<hex>"}  ->  ["<uuid>", ...]
 *   GET  <rekor>/api/v1/log/entries/<uuid>  ->  { "<uuid>": { body, integratedTime, logID,
 *                                                   logIndex, verification: { signedEntryTimestamp,
 *                                                   inclusionProof? } } }
 *
 * Every call goes through @slipway/core's HTTP transport (socket timeout, proxy)
 * and its retry with a total cap; 5xx, 429 and dropped connections are retried
 * (after Rekor's retry-after when it sends one), a 4xx is not.
 */
import {
  UserError,
  checkStatus,
  createHttpTransport,
  errorMessage,
  retry,
  type HttpResponse,
  type HttpTransport,
  type RetryOptions,
} from '@slipway/core';

export type RekorHttp = HttpTransport;

export const REKOR_SOCKET_TIMEOUT_MS = 20_000;
export const PUBLIC_GOOD_REKOR_URL = 'https://rekor.sigstore.dev';
/** Entries read for one digest at most (a checksums file is signed once or a few times). */
export const MAX_ENTRIES_PER_HASH = 16;
const DEFAULT_REKOR_RETRY: Partial<RetryOptions> = {
  maxAttempts: 4,
  totalTimeoutMs: 60_000,
};

export function createRekorHttp(timeoutMs = REKOR_SOCKET_TIMEOUT_MS): HttpTransport {
  return createHttpTransport({ userAgent: 'slipway-tool-installer', timeoutMs, maxRedirects: 5 });
}

export interface RekorInclusionProof {
  logIndex: number;
  rootHash: string;
  treeSize: number;
  hashes: string[];
  checkpoint?: string;
}

/** One entry as GET /api/v1/log/entries/{uuid} returns it. */
export interface RekorLogEntry {
  uuid: string;
  /** base64 of the canonical entry JSON. */
  body: string;
  integratedTime: number;
  /** hex sha256 of the log's public key. */
  logID: string;
  logIndex: number;
  signedEntryTimestamp: string;
  inclusionProof: RekorInclusionProof | undefined;
}

/** Rekor could not be asked (down, timing out, answering errors after the retries). */
export class RekorUnavailableError extends UserError {
  constructor(baseUrl: string, what: string, cause: unknown) {
    super(`Rekor at ${baseUrl} could not be asked ${what}: ${errorMessage(cause)}.`, {
      hint: 'Nothing was installed. Retry later, or use a version from tools.lock.json, which needs no transparency log.',
      cause,
    });
    this.name = 'RekorUnavailableError';
  }
}

const HEX_UUID = /^([0-9a-f]{64}|[0-9a-f]{80})$/i;
const HEX_64 = /^[0-9a-f]{64}$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const fail = (what: string): never => {
  throw new Error(`unexpected Rekor response: ${what}`);
};

/** Parses the answer of POST /api/v1/index/retrieve: an array of entry UUIDs. */
export function parseIndexResponse(json: unknown): string[] {
  if (!Array.isArray(json)) fail('the index answer is not an array');
  return (json as unknown[]).map((uuid) =>
    typeof uuid === 'string' && HEX_UUID.test(uuid)
      ? uuid.toLowerCase()
      : fail(`'${String(uuid)}' is not an entry UUID`),
  );
}

const integer = (value: unknown, name: string): number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? value
    : fail(`${name} is not an integer`);
const base64 = (value: unknown, name: string): string =>
  typeof value === 'string' && BASE64.test(value) ? value : fail(`${name} is not base64`);
const hex64 = (value: unknown, name: string): string =>
  typeof value === 'string' && HEX_64.test(value) ? value.toLowerCase() : fail(`${name} is not a hex sha256`);

/** Parses the answer of GET /api/v1/log/entries/{uuid}: one entry keyed by its UUID. */
export function parseEntryResponse(json: unknown, uuid: string): RekorLogEntry {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    fail('the entry answer is not an object');
  const entries = Object.entries(json as Record<string, unknown>);
  // Rekor keys the entry by the UUID asked for (64 hex) or by the entry ID (tree ID + UUID, 80 hex).
  const found = entries.find(([key]) => key.toLowerCase().endsWith(uuid.slice(-64).toLowerCase()));
  if (!found) fail(`no entry keyed ${uuid}`);
  const [key, raw] = found!;
  if (typeof raw !== 'object' || raw === null) fail(`entry ${key} is not an object`);
  const e = raw as Record<string, unknown>;
  const verification = (e.verification ?? {}) as Record<string, unknown>;
  const proof = verification.inclusionProof as Record<string, unknown> | undefined;
  return {
    uuid: key.toLowerCase(),
    body: base64(e.body, 'body'),
    integratedTime: integer(e.integratedTime, 'integratedTime'),
    logID: hex64(e.logID, 'logID'),
    logIndex: integer(e.logIndex, 'logIndex'),
    signedEntryTimestamp: base64(verification.signedEntryTimestamp, 'verification.signedEntryTimestamp'),
    inclusionProof:
      proof === undefined
        ? undefined
        : {
            logIndex: integer(proof.logIndex, 'inclusionProof.logIndex'),
            rootHash: hex64(proof.rootHash, 'inclusionProof.rootHash'),
            treeSize: integer(proof.treeSize, 'inclusionProof.treeSize'),
            hashes: Array.isArray(proof.hashes)
              ? proof.hashes.map((h, i) => hex64(h, `inclusionProof.hashes[${i}]`))
              : fail('inclusionProof.hashes is not an array'),
            ...(typeof proof.checkpoint === 'string' ? { checkpoint: proof.checkpoint } : {}),
          },
  };
}

export interface RekorClientOptions {
  http: RekorHttp;
  /** Rekor's base URL, or how to find it (the trusted root's transparency log). */
  baseUrl: string | (() => Promise<string>);
  retry?: Partial<RetryOptions>;
  log?: (line: string) => void;
}

export interface RekorClient {
  baseUrl(): Promise<string>;
  /** Every entry Rekor indexes under this artifact digest (at most MAX_ENTRIES_PER_HASH). */
  entriesForDigest(sha256Hex: string): Promise<RekorLogEntry[]>;
}

export function createRekorClient(options: RekorClientOptions): RekorClient {
  let base: Promise<string> | undefined;
  const baseUrl = () =>
    (base ??= (
      typeof options.baseUrl === 'string' ? Promise.resolve(options.baseUrl) : options.baseUrl()
    ).then((url) => url.replace(/\/+$/, '')));

  const call = async <T>(what: string, request: () => Promise<T>): Promise<T> => {
    const root = await baseUrl();
    try {
      return await retry(request, {
        ...DEFAULT_REKOR_RETRY,
        ...options.retry,
        onRetry: ({ attempt, delayMs, error }) =>
          options.log?.(
            `Rekor ${what} failed (attempt ${attempt}): ${errorMessage(error)}; retrying in ${delayMs} ms`,
          ),
      });
    } catch (error) {
      throw new RekorUnavailableError(root, what, error);
    }
  };

  const readJson = (request: { method: 'GET' | 'POST'; url: string }, response: HttpResponse): unknown => {
    checkStatus(response, request, (status) => status === 200);
    try {
      return JSON.parse(response.body.toString()) as unknown;
    } catch {
      return fail(`${request.url} did not answer JSON`);
    }
  };

  return {
    baseUrl,
    async entriesForDigest(sha256Hex) {
      const root = await baseUrl();
      const indexUrl = `${root}/api/v1/index/retrieve`;
      const uuids = await call(`for entries of sha256:${sha256Hex}`, async () => {
        const request = {
          method: 'POST',
          url: indexUrl,
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ hash: `sha256:${sha256Hex}` }),
        } as const;
        return parseIndexResponse(readJson(request, await options.http(request)));
      });
      const entries: RekorLogEntry[] = [];
      for (const uuid of [...new Set(uuids)].slice(0, MAX_ENTRIES_PER_HASH)) {
        const entryUrl = `${root}/api/v1/log/entries/${uuid}`;
        entries.push(
          await call(`for entry ${uuid}`, async () => {
            const request = {
              method: 'GET',
              url: entryUrl,
              headers: { accept: 'application/json' },
            } as const;
            return parseEntryResponse(readJson(request, await options.http(request)), uuid);
          }),
        );
      }
      return entries;
    },
  };
}
