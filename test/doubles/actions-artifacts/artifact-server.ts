/**
 * A loopback double of GitHub's Actions artifact service as @actions/artifact 6
 * (upload-artifact v4+) uses it: Twirp JSON RPCs under
 * `${ACTIONS_RESULTS_URL}/twirp/github.actions.results.api.v1.ArtifactService/`
 * (artifact-rpcs.ts) authenticated with the bearer ACTIONS_RUNTIME_TOKEN, and
 * the Azure Blob endpoints the signed URLs point at, all on one server. The
 * runtime token, its verification and the blob endpoints are the Actions cache
 * double's (test/doubles/actions-cache). Counts requests, keeps every upload so
 * tests can open it, and injects faults: an HTTP status, or a dropped
 * connection, per operation.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { decodeJwt } from 'jose';
import { BlobService, blobError, type BlobOperation } from '../actions-cache/blob-service.ts';
import { TwirpError, readBody, twirpError } from '../actions-cache/cache-server.ts';
import { READ, WRITE, RuntimeTokens, type CacheScope } from '../actions-cache/runtime-token.ts';
import { listenOnLoopback } from '../oidc-issuer/loopback.ts';
import { ArtifactStore, type Artifact } from './artifact-store.ts';
import { ARTIFACT_RPCS, artifactRpcs, type ArtifactRpc, type Caller } from './artifact-rpcs.ts';

const SERVICE_PATH = '/twirp/github.actions.results.api.v1.ArtifactService/';
export type ArtifactOperation = ArtifactRpc | BlobOperation;

/**
 * Fail the next `times` (default 1) requests of an operation with a status (RPCs: with `msg` as the
 * Twirp error message, default "injected fault (<status>)"), or by dropping the connection.
 */
export type ArtifactFault = ({ status: number; msg?: string } | { drop: true }) & { times?: number };

export interface ArtifactRequest {
  operation: ArtifactOperation | 'unknown';
  method: string;
  path: string;
  /** 0 when the connection was dropped. */
  status: number;
  /** For RPCs: the decoded JSON request body. */
  body?: Record<string, unknown>;
  /** For RPCs that succeeded: the JSON reply (e.g. the signed URL handed out). */
  reply?: Record<string, unknown>;
}

/** Who the runtime token is for; the defaults match the harness's GITHUB_RUN_ID and GITHUB_JOB. */
export interface RunIdentity {
  runId?: string;
  jobId?: string;
  /** Default: one read-write scope. Without a writable one CreateArtifact is refused. */
  scopes?: CacheScope[];
}

export interface ActionsArtifactsDouble {
  /** `http://127.0.0.1:<port>` (ACTIONS_RESULTS_URL; the blob URLs use it too). */
  url: string;
  store: ArtifactStore;
  blobs: BlobService;
  requests: ArtifactRequest[];
  count(operation: ArtifactOperation): number;
  fault(operation: ArtifactOperation, fault: ArtifactFault | undefined): void;
  clearFaults(): void;
  /**
   * The origin the signed blob URLs name (default `url`): a storage account's host is not the
   * results service's, so a test can hand out a name only a proxy resolves.
   */
  setBlobOrigin(origin: string | undefined): void;
  /** ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN for a job of a run. */
  env(identity?: RunIdentity): Promise<Record<string, string>>;
  /** Finalized artifacts, in creation order, with the uploaded bytes. */
  artifacts(): (Artifact & { content: Buffer })[];
  /** Forgets artifacts, blobs, faults and requests. */
  reset(): void;
  close(): Promise<void>;
}

export async function startActionsArtifactsDouble(): Promise<ActionsArtifactsDouble> {
  const store = new ArtifactStore();
  const blobs = new BlobService();
  const tokens = new RuntimeTokens();
  const requests: ArtifactRequest[] = [];
  const faults = new FaultTable();
  let base = '';
  let blobOrigin: string | undefined;
  const rpcs = artifactRpcs(store, blobs, () => blobOrigin ?? base);

  const server = createServer(
    (req, res) => void serve(req, res).catch((error: unknown) => crash(res, error)),
  );

  /** Logs the request; its status is filled in when the response is sent (0 if it never is). */
  function log(req: IncomingMessage, res: ServerResponse, url: URL, operation: ArtifactRequest['operation']) {
    const entry: ArtifactRequest = { operation, method: req.method ?? '', path: url.pathname, status: 0 };
    res.on('finish', () => (entry.status = res.statusCode));
    requests.push(entry);
    return entry;
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const body = await readBody(req);
    const blobOp = blobs.operation(req, url);
    const rpc = rpcOf(url.pathname);
    const record = log(req, res, url, rpc ?? blobOp ?? 'unknown');
    const fault = faults.take(record.operation);
    if (fault && 'drop' in fault) return void req.socket.destroy();
    if (fault && blobOp)
      return void blobError(
        res,
        fault.status,
        fault.status === 503 ? 'ServerBusy' : 'InternalError',
        'Injected fault.',
      );
    if (fault) return twirpError(res, fault.status, fault.msg ?? `injected fault (${fault.status})`);
    if (blobOp) return void blobs.handle(blobOp, req, url, body, res);
    if (!rpc) return twirpError(res, 404, `no such method: ${url.pathname}`);
    const refusal = twirpFraming(req);
    if (refusal) return twirpError(res, 400, refusal);
    const caller = await callerOf(req.headers.authorization);
    if (!caller) return twirpError(res, 401, 'missing, invalid or expired runtime token');
    const input = jsonObject(body);
    if (!input) return twirpError(res, 400, 'the request body is not a JSON object');
    record.body = input;
    sendReply(res, record, () => rpcs[rpc](input, caller));
  }

  /** The run and job of a valid token's `Actions.Results:<run>:<job>` scope, and its write permission. */
  async function callerOf(authorization: string | undefined): Promise<Caller | undefined> {
    const claims = await tokens.verify(authorization);
    if (!claims) return undefined;
    const scp = String(decodeJwt(authorization!.slice('Bearer '.length)).scp ?? '');
    const results = scp.split(' ').find((s) => s.startsWith('Actions.Results:'));
    const [, runId, jobId] = results?.split(':') ?? [];
    if (!runId || !jobId) return undefined;
    return { runId, jobId, canWrite: claims.scopes.some((s) => s.permission & WRITE) };
  }

  const listener = await listenOnLoopback(server);
  base = listener.url;
  const mint = (identity: RunIdentity) =>
    tokens.mint(identity.scopes ?? [{ scope: 'refs/heads/main', permission: READ | WRITE }], {
      runId: identity.runId ?? '1000001',
      jobId: identity.jobId ?? 'build',
    });

  return {
    url: base,
    store,
    blobs,
    requests,
    count: (operation) => requests.filter((r) => r.operation === operation).length,
    fault: (operation, fault) => faults.set(operation, fault),
    clearFaults: () => faults.clear(),
    setBlobOrigin: (origin) => (blobOrigin = origin),
    env: async (identity = {}) => ({
      ACTIONS_RESULTS_URL: `${base}/`,
      ACTIONS_RUNTIME_TOKEN: await mint(identity),
    }),
    artifacts: () =>
      store.all().flatMap((a) => (a.finalized ? [{ ...a, content: blobs.content(a.blob)! }] : [])),
    reset() {
      blobOrigin = undefined;
      store.clear();
      blobs.clear();
      faults.clear();
      requests.length = 0;
    },
    close() {
      // keep-alive connections of the Azure client would hold close() until they time out
      server.closeAllConnections();
      return listener.close();
    },
  };
}

/** The Twirp method a path calls, if it is one of the double's. */
function rpcOf(path: string): ArtifactRpc | undefined {
  const method = path.startsWith(SERVICE_PATH) ? path.slice(SERVICE_PATH.length) : '';
  return ARTIFACT_RPCS.find((m) => m === method);
}

/** Why a request is not a Twirp JSON call (POST, application/json), if it is not. */
function twirpFraming(req: IncomingMessage): string | undefined {
  if (req.method !== 'POST') return 'Twirp methods are POST only';
  const type = String(req.headers['content-type']);
  return type.startsWith('application/json') ? undefined : `unsupported Content-Type ${type}`;
}

function jsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Sends a handler's reply as JSON, or the Twirp error it threw. */
function sendReply(
  res: ServerResponse,
  record: ArtifactRequest,
  handler: () => Record<string, unknown>,
): void {
  let reply: Record<string, unknown>;
  try {
    reply = record.reply = handler();
  } catch (error) {
    if (!(error instanceof TwirpError)) throw error;
    return twirpError(res, error.status, error.message);
  }
  const json = JSON.stringify(reply);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}

function crash(res: ServerResponse, error: unknown): void {
  if (!res.headersSent) twirpError(res, 500, `artifact double crashed: ${String(error)}`);
}

/** Faults waiting per operation, each for a number of requests. */
class FaultTable {
  private readonly waiting = new Map<string, ArtifactFault & { times: number }>();

  set(operation: ArtifactOperation, fault: ArtifactFault | undefined): void {
    this.waiting.delete(operation);
    if (fault) this.waiting.set(operation, { ...fault, times: fault.times ?? 1 });
  }

  /** The fault this request suffers, if any (one use of it spent). */
  take(operation: string): ArtifactFault | undefined {
    const fault = this.waiting.get(operation);
    if (fault && --fault.times <= 0) this.waiting.delete(operation);
    return fault;
  }

  clear(): void {
    this.waiting.clear();
  }
}
