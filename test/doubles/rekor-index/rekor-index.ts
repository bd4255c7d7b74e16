/**
 * A Rekor (v1 API) read-side double on 127.0.0.1 (ephemeral port):
 *
 *   POST /api/v1/index/retrieve   {"hash": "[sha256:]<hex>"}  ->  200 ["<entry id>", ...]  (80-hex IDs:
 *                                 16 hex of tree ID + the 64-hex leaf hash, as the sharded public log answers)
 *   GET  /api/v1/log/entries/{id} (64-hex UUID or 80-hex entry ID)  ->  200 { "<entry id>": { body,
 *                                 integratedTime, logID, logIndex, verification: { inclusionProof,
 *                                 signedEntryTimestamp } } }, 404 when unknown
 *
 * Entries are registered in that wire shape (rekorEntryFromBundle converts the tlog entry of a bundle made
 * against @sigstore/mock's Rekor) and indexed like Rekor indexes hashedrekord entries: by the artifact digest
 * in the body (`spec.data.hash`). The UUID is the RFC 6962 leaf hash of the body, sha256(0x00 || body).
 * It counts requests and can answer a status `times` times, drop connections before answering, or hang.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RekorWireEntry {
  body: string;
  integratedTime: number;
  logID: string;
  logIndex: number;
  verification: {
    signedEntryTimestamp: string;
    inclusionProof?: {
      logIndex: number;
      rootHash: string;
      treeSize: number;
      hashes: string[];
      checkpoint?: string;
    };
  };
}

export type RekorFault =
  | { kind: 'status'; status: number; times: number; path?: 'index' | 'entry' }
  | { kind: 'drop'; times: number; path?: 'index' | 'entry' }
  /** Accept the request and never answer (the client's socket timeout has to end it). */
  | { kind: 'hang'; times: number; path?: 'index' | 'entry' };

export interface RekorIndex {
  url: string;
  /** Request counts per endpoint. */
  counts: { index: number; entry: number };
  /** Every request as "METHOD path", in order. */
  requests: string[];
  /** Every index query body, parsed. */
  queries: unknown[];
  /** Registers an entry; it is indexed under its body's artifact digest, or under `indexAs` when given. */
  register(entry: RekorWireEntry, options?: { indexAs?: string }): string;
  fault(fault: RekorFault | undefined): void;
  clear(): void;
  close(): Promise<void>;
}

const TREE_ID_HEX = '24296fb24b8ad77a';

export function leafHash(bodyBase64: string): string {
  return createHash('sha256')
    .update(Buffer.from([0]))
    .update(Buffer.from(bodyBase64, 'base64'))
    .digest('hex');
}

/** The artifact digest a hashedrekord body names (what Rekor indexes it by). */
export function indexedDigest(bodyBase64: string): string {
  const body = JSON.parse(Buffer.from(bodyBase64, 'base64').toString('utf8')) as {
    spec?: { data?: { hash?: { value?: string } } };
  };
  const value = body.spec?.data?.hash?.value;
  if (!value) throw new Error('rekor-index double: only hashedrekord entries are indexed');
  return value.toLowerCase();
}

/** A bundle's tlog entry as protobuf JSON: zero values ("0", []) are omitted. */
interface SerializedTlogEntry {
  logIndex?: string;
  logId: { keyId: string };
  integratedTime: string;
  inclusionPromise?: { signedEntryTimestamp: string };
  inclusionProof?: {
    logIndex?: string;
    rootHash: string;
    treeSize: string;
    /** Omitted when empty (protobuf JSON), as for a one-entry tree. */
    hashes?: string[];
    checkpoint: { envelope: string };
  };
  canonicalizedBody: string;
}

/** The Rekor response entry behind a bundle's first tlog entry (bundle JSON as bundleToJSON writes it). */
export function rekorEntryFromBundle(bundle: {
  verificationMaterial: { tlogEntries: SerializedTlogEntry[] };
}): RekorWireEntry {
  const t = bundle.verificationMaterial.tlogEntries[0];
  if (!t?.inclusionPromise) throw new Error('rekor-index double: the bundle has no tlog entry with a SET');
  const hex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');
  return {
    body: t.canonicalizedBody,
    integratedTime: Number(t.integratedTime),
    logID: hex(t.logId.keyId),
    logIndex: Number(t.logIndex ?? 0),
    verification: {
      signedEntryTimestamp: t.inclusionPromise.signedEntryTimestamp,
      ...(t.inclusionProof
        ? {
            inclusionProof: {
              logIndex: Number(t.inclusionProof.logIndex ?? 0),
              rootHash: hex(t.inclusionProof.rootHash),
              treeSize: Number(t.inclusionProof.treeSize),
              hashes: (t.inclusionProof.hashes ?? []).map(hex),
              checkpoint: t.inclusionProof.checkpoint.envelope,
            },
          }
        : {}),
    },
  };
}

export async function startRekorIndex(): Promise<RekorIndex> {
  const entries = new Map<string, RekorWireEntry>(); // leaf hash -> entry
  const byDigest = new Map<string, string[]>(); // digest -> entry IDs
  const counts = { index: 0, entry: 0 };
  const requests: string[] = [];
  const queries: unknown[] = [];
  let fault: RekorFault | undefined;
  let faulted = 0;
  const hanging: ServerResponse[] = [];

  const json = (res: ServerResponse, status: number, value: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));

  const injected = (path: 'index' | 'entry', res: ServerResponse): boolean => {
    if (!fault || (fault.path && fault.path !== path) || faulted >= fault.times) return false;
    faulted++;
    if (fault.kind === 'drop') res.socket?.destroy();
    else if (fault.kind === 'hang') hanging.push(res);
    else json(res, fault.status, { code: fault.status, message: 'injected by the rekor-index double' });
    return true;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(`${req.method} ${path}`);
    if (req.method === 'POST' && path === '/api/v1/index/retrieve') {
      counts.index++;
      if (injected('index', res)) return;
      let query: { hash?: unknown };
      try {
        query = JSON.parse(body) as typeof query;
      } catch {
        return json(res, 400, { code: 400, message: 'body is not JSON' });
      }
      queries.push(query);
      const match = typeof query.hash === 'string' ? /^(sha256:)?([0-9a-fA-F]{64})$/.exec(query.hash) : null;
      if (!match) return json(res, 400, { code: 400, message: 'hash must be [sha256:]<64 hex>' });
      return json(res, 200, byDigest.get(match[2]!.toLowerCase()) ?? []);
    }
    const entryPath = /^\/api\/v1\/log\/entries\/([0-9a-fA-F]{64}|[0-9a-fA-F]{80})$/.exec(path);
    if (req.method === 'GET' && entryPath) {
      counts.entry++;
      if (injected('entry', res)) return;
      const uuid = entryPath[1]!.slice(-64).toLowerCase();
      const entry = entries.get(uuid);
      if (!entry) return res.writeHead(404).end();
      return json(res, 200, { [TREE_ID_HEX + uuid]: entry });
    }
    json(res, 404, { code: 404, message: `${req.method} ${path} is not served by the rekor-index double` });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    counts,
    requests,
    queries,
    register(entry, options = {}) {
      const uuid = leafHash(entry.body);
      entries.set(uuid, entry);
      const digest = (options.indexAs ?? indexedDigest(entry.body)).toLowerCase();
      const id = TREE_ID_HEX + uuid;
      byDigest.set(digest, [...(byDigest.get(digest) ?? []).filter((x) => x !== id), id]);
      return id;
    },
    fault(next) {
      fault = next;
      faulted = 0;
    },
    clear() {
      entries.clear();
      byDigest.clear();
      counts.index = 0;
      counts.entry = 0;
      requests.length = 0;
      queries.length = 0;
      fault = undefined;
      faulted = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of hanging.splice(0)) res.destroy();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
