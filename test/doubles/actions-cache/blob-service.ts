/**
 * The Azure Blob Storage side of the cache double: the signed URLs handed out
 * by CreateCacheEntry / GetCacheEntryDownloadURL point here. IP-style paths
 * (`/<account>/<container>/<blob>`, as Azurite uses, so @azure/storage-blob
 * parses the account from the path) with a SAS-like query whose `sig` is an
 * HMAC only the double can make. Implements the calls the cache client makes:
 * Put Blob (single shot), Put Block + Put Block List (files over the
 * single-shot limit), Get Blob (whole or `Range`/`x-ms-range`) and Get Blob
 * Properties (HEAD); errors use the service's XML body and x-ms-error-code.
 */
import { createHmac, createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const ACCOUNT = 'cachedouble';
export const CONTAINER = 'actions-cache';
const API_VERSION = '2025-01-05';

interface StoredBlob {
  committed?: Buffer;
  blocks: Map<string, Buffer>;
  etag: string;
  lastModified: Date;
}

export type BlobOperation = 'PutBlob' | 'PutBlock' | 'PutBlockList' | 'GetBlob' | 'GetBlobProperties';

export class BlobService {
  private readonly key = randomBytes(32);
  private readonly blobs = new Map<string, StoredBlob>();

  /** A signed URL for `blob`: `cw` to upload, `r` to download. */
  signedUrl(base: string, blob: string, permission: 'cw' | 'r', ttlSeconds = 600): string {
    const expiry = new Date(Date.now() + ttlSeconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const path = `/${ACCOUNT}/${CONTAINER}/${blob}`;
    const query = new URLSearchParams({ sv: API_VERSION, sr: 'b', sp: permission, se: expiry });
    query.set('sig', this.sign(permission, path, expiry));
    return `${base}${path}?${query.toString()}`;
  }

  /** The committed content of `blob`, if any. */
  content(blob: string): Buffer | undefined {
    return this.blobs.get(blob)?.committed;
  }

  clear(): void {
    this.blobs.clear();
  }

  private sign(permission: string, path: string, expiry: string): string {
    return createHmac('sha256', this.key).update(`${permission}\n${path}\n${expiry}`).digest('base64');
  }

  /** The operation a request is, or undefined when it is not a blob request. */
  operation(req: IncomingMessage, url: URL): BlobOperation | undefined {
    if (!url.pathname.startsWith(`/${ACCOUNT}/${CONTAINER}/`)) return undefined;
    const comp = url.searchParams.get('comp');
    if (req.method === 'PUT')
      return comp === 'block' ? 'PutBlock' : comp === 'blocklist' ? 'PutBlockList' : 'PutBlob';
    if (req.method === 'GET') return 'GetBlob';
    if (req.method === 'HEAD') return 'GetBlobProperties';
    return undefined;
  }

  /** Serves one blob request whose body has been read; returns the bytes sent back (GET). */
  handle(op: BlobOperation, req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse): number {
    const blobName = decodeURIComponent(url.pathname.slice(`/${ACCOUNT}/${CONTAINER}/`.length));
    const authError = this.authorize(op, url);
    if (authError) return blobError(res, 403, 'AuthenticationFailed', authError);
    // Put Blob and Put Block need the body's length up front: Azure answers a chunked body 411
    if ((op === 'PutBlob' || op === 'PutBlock') && req.headers['content-length'] === undefined)
      return blobError(
        res,
        411,
        'MissingContentLengthHeader',
        'The Content-Length header was not specified.',
      );
    switch (op) {
      case 'PutBlob': {
        if (req.headers['x-ms-blob-type'] !== 'BlockBlob')
          return blobError(
            res,
            400,
            'MissingRequiredHeader',
            'An HTTP header x-ms-blob-type that is mandatory for this request is not specified.',
          );
        const blob = this.touch(blobName);
        blob.committed = body;
        blob.blocks.clear();
        return created(res, blob, { 'Content-MD5': md5(body) });
      }
      case 'PutBlock': {
        const id = url.searchParams.get('blockid');
        if (!id) return blobError(res, 400, 'MissingRequiredQueryParameter', 'blockid is required.');
        const blob = this.blobs.get(blobName) ?? this.touch(blobName);
        blob.blocks.set(id, body);
        return created(res, blob, { 'Content-MD5': md5(body) });
      }
      case 'PutBlockList': {
        const blob = this.blobs.get(blobName);
        const ids = [...body.toString('utf8').matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map(
          (m) => m[2]!,
        );
        const parts: Buffer[] = [];
        for (const id of ids) {
          const part = blob?.blocks.get(id);
          if (!part)
            return blobError(
              res,
              400,
              'InvalidBlockList',
              `The specified block list is invalid: block ${id} was not staged.`,
            );
          parts.push(part);
        }
        const committed = this.touch(blobName);
        committed.committed = Buffer.concat(parts);
        committed.blocks.clear();
        return created(res, committed, {});
      }
      case 'GetBlob':
      case 'GetBlobProperties':
        return this.read(op, req, blobName, res);
    }
  }

  private read(op: BlobOperation, req: IncomingMessage, blobName: string, res: ServerResponse): number {
    const blob = this.blobs.get(blobName);
    if (!blob?.committed)
      return blobError(
        res,
        404,
        'BlobNotFound',
        'The specified blob does not exist.',
        op === 'GetBlobProperties',
      );
    const data = blob.committed;
    const headers: Record<string, string> = {
      ...common(blob),
      'x-ms-blob-type': 'BlockBlob',
      'Accept-Ranges': 'bytes',
      'Content-Type': 'application/octet-stream',
    };
    const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers['x-ms-range'] ?? req.headers.range ?? ''));
    if (op === 'GetBlob' && range) {
      const start = Number(range[1]);
      const end = Math.min(range[2] ? Number(range[2]) : data.length - 1, data.length - 1);
      if (start >= data.length)
        return blobError(
          res,
          416,
          'InvalidRange',
          'The range specified is invalid for the current size of the resource.',
        );
      const slice = data.subarray(start, end + 1);
      res.writeHead(206, {
        ...headers,
        'Content-Length': slice.length,
        'Content-Range': `bytes ${start}-${end}/${data.length}`,
      });
      res.end(slice);
      return slice.length;
    }
    res.writeHead(200, { ...headers, 'Content-Length': data.length, 'Content-MD5': md5(data) });
    if (op === 'GetBlobProperties') {
      res.end();
      return 0;
    }
    res.end(data);
    return data.length;
  }

  private authorize(op: BlobOperation, url: URL): string | undefined {
    const q = url.searchParams;
    const sig = q.get('sig') ?? '';
    const sp = q.get('sp') ?? '';
    const se = q.get('se') ?? '';
    const expected = Buffer.from(this.sign(sp, url.pathname, se));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return 'Signature did not match.';
    if (Date.parse(se) < Date.now()) return 'Signed expiry time has passed.';
    const needs = op.startsWith('Put') ? 'w' : 'r';
    if (!sp.includes(needs))
      return `This request is not authorized to perform this operation using this permission (needs ${needs}).`;
    return undefined;
  }

  private touch(name: string): StoredBlob {
    const blob = this.blobs.get(name) ?? {
      blocks: new Map<string, Buffer>(),
      etag: '',
      lastModified: new Date(),
    };
    blob.etag = `"0x${randomBytes(8).toString('hex').toUpperCase()}"`;
    blob.lastModified = new Date();
    this.blobs.set(name, blob);
    return blob;
  }
}

const md5 = (data: Buffer) => createHash('md5').update(data).digest('base64');

function common(blob: StoredBlob): Record<string, string> {
  return {
    ETag: blob.etag,
    'Last-Modified': blob.lastModified.toUTCString(),
    'x-ms-request-id': randomUUID(),
    'x-ms-version': API_VERSION,
    Date: new Date().toUTCString(),
  };
}

function created(res: ServerResponse, blob: StoredBlob, extra: Record<string, string>): number {
  res.writeHead(201, {
    ...common(blob),
    'x-ms-request-server-encrypted': 'true',
    'Content-Length': 0,
    ...extra,
  });
  res.end();
  return 0;
}

/** An error in Blob Storage's format: x-ms-error-code plus an XML body (none for HEAD). */
export function blobError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  head = false,
): number {
  const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:${randomUUID()}\nTime:${new Date().toISOString()}</Message></Error>`;
  res.writeHead(status, {
    'Content-Type': 'application/xml',
    'x-ms-error-code': code,
    'x-ms-request-id': randomUUID(),
    'x-ms-version': API_VERSION,
    ...(head ? {} : { 'Content-Length': Buffer.byteLength(xml) }),
  });
  res.end(head ? undefined : xml);
  return 0;
}
