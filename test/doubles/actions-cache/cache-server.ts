/**
 * A loopback double of GitHub's Actions cache service, v2 (the one
 * @actions/cache 6 uses when ACTIONS_CACHE_SERVICE_V2 is set and
 * GITHUB_SERVER_URL is github.com): Twirp JSON RPCs under
 * `${ACTIONS_RESULTS_URL}/twirp/github.actions.results.api.v1.CacheService/`
 * (CreateCacheEntry, FinalizeCacheEntryUpload, GetCacheEntryDownloadURL)
 * authenticated with the bearer ACTIONS_RUNTIME_TOKEN, plus the Azure Blob
 * endpoints the signed URLs point at (blob-service.ts), all on one server.
 * Counts requests and archive bytes, and injects faults per operation.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlobService, blobError, type BlobOperation } from './blob-service.ts';
import { CacheStore, type CacheEntry } from './cache-store.ts';
import { READ, WRITE, RuntimeTokens, type CacheScope, type TokenClaims } from './runtime-token.ts';

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.CacheService/';
const RPCS = ['CreateCacheEntry', 'FinalizeCacheEntryUpload', 'GetCacheEntryDownloadURL'] as const;
export type CacheRpc = (typeof RPCS)[number];
export type CacheOperation = CacheRpc | BlobOperation;

export interface Fault {
  status: number;
  /** How many requests fail before the operation works again (default 1). */
  times?: number;
  /** Sent as Retry-After (seconds). */
  retryAfter?: number;
}

export interface RequestRecord {
  operation: CacheOperation | 'unknown';
  method: string;
  path: string;
  status: number;
  /** Date.now() when the request arrived. */
  at: number;
  /** For RPCs: the decoded JSON request body. */
  body?: Record<string, unknown>;
}

export interface ActionsCacheDouble {
  /** `http://127.0.0.1:<port>` (ACTIONS_RESULTS_URL; the blob URLs use it too). */
  url: string;
  store: CacheStore;
  blobs: BlobService;
  requests: RequestRecord[];
  /** Requests per operation. */
  count(operation: CacheOperation): number;
  /** Archive bytes received by the blob endpoints (uploads) and sent by them (downloads). */
  bytes: { uploaded: number; downloaded: number };
  fault(operation: CacheOperation, fault: Fault | undefined): void;
  clearFaults(): void;
  /** A runtime token for `scopes` (default: refs/heads/main read-write). */
  token(scopes?: CacheScope[]): Promise<string>;
  /** The env @actions/cache needs to use this double through the v2 service. */
  env(scopes?: CacheScope[]): Promise<Record<string, string>>;
  /** The finalized entries, in creation order, with their archive. */
  entries(): (CacheEntry & { archive: Buffer })[];
  resetCounters(): void;
  close(): Promise<void>;
}

const twirpCodes: Record<number, string> = {
  400: 'invalid_argument',
  401: 'unauthenticated',
  403: 'permission_denied',
  404: 'not_found',
  409: 'already_exists',
  429: 'resource_exhausted',
  500: 'internal',
  502: 'unavailable',
  503: 'unavailable',
  504: 'deadline_exceeded',
};

export interface ActionsCacheDoubleOptions {
  /** How long an idle keep-alive connection stays open (Node's default is 5 s). */
  keepAliveTimeoutMs?: number;
}

export async function startActionsCacheDouble(
  options: ActionsCacheDoubleOptions = {},
): Promise<ActionsCacheDouble> {
  const store = new CacheStore();
  const blobs = new BlobService();
  const tokens = new RuntimeTokens();
  const requests: RequestRecord[] = [];
  const bytes = { uploaded: 0, downloaded: 0 };
  const faults = new Map<CacheOperation, Required<Pick<Fault, 'status' | 'times'>> & Fault>();
  let base = '';

  const server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) twirpError(res, 500, `cache double crashed: ${String(error)}`);
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const body = await readBody(req);
    const rpc = url.pathname.startsWith(TWIRP_PREFIX) ? url.pathname.slice(TWIRP_PREFIX.length) : undefined;
    const blobOp = blobs.operation(req, url);
    const rpcName = rpc && (RPCS as readonly string[]).includes(rpc) ? (rpc as CacheRpc) : undefined;
    const operation: CacheOperation | 'unknown' = rpcName ?? blobOp ?? 'unknown';
    const record: RequestRecord = {
      operation,
      method: req.method ?? '',
      path: url.pathname,
      status: 0,
      at: Date.now(),
    };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));

    const fault = operation === 'unknown' ? undefined : faults.get(operation);
    if (fault) {
      if (--fault.times <= 0) faults.delete(operation as CacheOperation);
      if (fault.retryAfter !== undefined) res.setHeader('Retry-After', String(fault.retryAfter));
      if (blobOp)
        blobError(
          res,
          fault.status,
          fault.status === 429 ? 'ServerBusy' : 'InternalError',
          'Injected fault.',
        );
      else twirpError(res, fault.status, `injected fault (${fault.status})`);
      return;
    }
    if (blobOp) {
      if (blobOp.startsWith('Put')) bytes.uploaded += body.length;
      bytes.downloaded += blobs.handle(blobOp, req, url, body, res);
      return;
    }
    if (!rpcName) return twirpError(res, 404, `no such method: ${url.pathname}`);
    if (req.method !== 'POST') return twirpError(res, 400, 'Twirp methods are POST only');
    if (!String(req.headers['content-type']).startsWith('application/json'))
      return twirpError(res, 400, `unsupported Content-Type ${String(req.headers['content-type'])}`);
    const claims = await tokens.verify(req.headers.authorization);
    if (!claims) return twirpError(res, 401, 'missing, invalid or expired runtime token');
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return twirpError(res, 400, 'the request body is not JSON');
    }
    record.body = input;
    let reply: Record<string, unknown>;
    try {
      reply = rpcHandlers[rpcName](input, claims);
    } catch (error) {
      if (error instanceof TwirpError) return twirpError(res, error.status, error.message);
      throw error;
    }
    const json = JSON.stringify(reply);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) });
    res.end(json);
  }

  type Reply = Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const readable = (c: TokenClaims) => c.scopes.filter((s) => s.permission & READ).map((s) => s.scope);
  const writable = (c: TokenClaims) => c.scopes.find((s) => s.permission & WRITE)?.scope;

  const rpcHandlers: Record<CacheRpc, (input: Record<string, unknown>, claims: TokenClaims) => Reply> = {
    CreateCacheEntry(input, claims) {
      const key = text(input.key);
      const version = text(input.version);
      if (!key || !version) throw new TwirpError(400, 'key and version are required');
      const scope = writable(claims);
      if (!scope)
        return { ok: false, message: 'cache write denied: the runtime token has no writable cache scope' };
      const result = store.reserve(scope, key, version);
      if ('conflict' in result)
        throw new TwirpError(409, 'cache entry with the same key, version, and scope already exists');
      return { ok: true, signed_upload_url: blobs.signedUrl(base, result.entry.blob, 'cw') };
    },
    FinalizeCacheEntryUpload(input, claims) {
      const key = text(input.key);
      const version = text(input.version);
      const scope = writable(claims);
      const entry = scope ? store.pending(scope, key, version) : undefined;
      if (!entry) throw new TwirpError(404, `no cache entry reserved for key ${key} and version ${version}`);
      const size = Number(text(input.size_bytes) || input.size_bytes);
      const uploaded = blobs.content(entry.blob);
      if (!uploaded) return { ok: false, message: `the archive for ${key} was never uploaded` };
      if (size !== uploaded.length)
        return {
          ok: false,
          message: `size_bytes ${size} does not match the uploaded ${uploaded.length} bytes`,
        };
      entry.sizeBytes = size;
      entry.finalized = true;
      return { ok: true, entry_id: String(entry.id) };
    },
    GetCacheEntryDownloadURL(input, claims) {
      const key = text(input.key);
      const version = text(input.version);
      const restoreKeys = Array.isArray(input.restore_keys) ? input.restore_keys.map(text) : [];
      if (!key || !version) throw new TwirpError(400, 'key and version are required');
      const scopes = readable(claims);
      if (scopes.length === 0)
        throw new TwirpError(403, 'cache read denied: the runtime token has no readable cache scope');
      const entry = store.lookup(scopes, key, restoreKeys, version);
      if (!entry) return { ok: false, signed_download_url: '', matched_key: '' };
      return {
        ok: true,
        signed_download_url: blobs.signedUrl(base, entry.blob, 'r'),
        matched_key: entry.key,
      };
    },
  };

  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const main: CacheScope[] = [{ scope: 'refs/heads/main', permission: READ | WRITE }];

  return {
    url: base,
    store,
    blobs,
    requests,
    bytes,
    count: (operation) => requests.filter((r) => r.operation === operation).length,
    fault(operation, fault) {
      if (fault) faults.set(operation, { ...fault, times: fault.times ?? 1 });
      else faults.delete(operation);
    },
    clearFaults: () => faults.clear(),
    token: (scopes = main) => tokens.mint(scopes),
    async env(scopes = main) {
      return {
        ACTIONS_CACHE_SERVICE_V2: 'true',
        ACTIONS_RESULTS_URL: `${base}/`,
        ACTIONS_RUNTIME_TOKEN: await tokens.mint(scopes),
        // v1's variable left empty: with it unset @actions/cache can only reach this double through v2.
        ACTIONS_CACHE_URL: '',
      };
    },
    entries: () =>
      store
        .all()
        .filter((e) => e.finalized)
        .map((e) => ({ ...e, archive: blobs.content(e.blob) ?? Buffer.alloc(0) })),
    resetCounters() {
      requests.length = 0;
      bytes.uploaded = 0;
      bytes.downloaded = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Thrown by an RPC handler: becomes a Twirp JSON error with this HTTP status. */
export class TwirpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A Twirp JSON error `{code, msg}` with the status's Twirp code. */
export function twirpError(res: ServerResponse, status: number, msg: string): void {
  const json = JSON.stringify({ code: twirpCodes[status] ?? 'unknown', msg });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
