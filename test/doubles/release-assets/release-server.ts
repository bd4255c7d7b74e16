/**
 * A GitHub-release-asset double on 127.0.0.1 (ephemeral port). It answers
 * `GET /<owner>/<repo>/releases/download/<tag>/<asset>` the way github.com does:
 * a 302 to an object-storage URL, which serves the bytes with Content-Length
 * and `application/octet-stream`; 404 for anything unknown. It counts requests
 * and body bytes per asset and can inject faults per asset name.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BuiltRelease, ReleaseFile } from './release-assets.ts';

export type AssetFault =
  /** Serve the bytes with one byte flipped (a replaced asset). */
  | { kind: 'tamper' }
  /** Serve only the first `bytes` bytes, with a Content-Length that matches (a different, shorter file). */
  | { kind: 'truncate'; bytes: number }
  /** Answer this HTTP status `times` times, then serve normally. */
  | { kind: 'status'; status: number; times: number }
  /** Announce the full Content-Length, send `bytes` bytes and drop the connection, `times` times. */
  | { kind: 'cut'; bytes: number; times: number }
  /** Answer 404 as if the release had no such asset. */
  | { kind: 'missing' }
  /** Serve this body instead. */
  | { kind: 'replace'; body: Buffer };

export interface ReleaseServer {
  /** Root URL, standing in for https://github.com. */
  url: string;
  /** Download root for one repository (`<url>/<owner>/<repo>/releases/download`). */
  baseUrl(owner: string, repo: string): string;
  /** Body bytes sent per asset name (redirect hops excluded). */
  bytesSent: Map<string, number>;
  /** Every request path, in order. */
  requests: string[];
  totalBytes(): number;
  resetCounters(): void;
  fault(assetName: string, fault: AssetFault | undefined): void;
  add(release: BuiltRelease | ReleaseFile[]): void;
  close(): Promise<void>;
}

export async function startReleaseServer(releases: BuiltRelease[] = []): Promise<ReleaseServer> {
  const files = new Map<string, ReleaseFile>();
  const faults = new Map<string, AssetFault>();
  const statusCounts = new Map<string, number>();
  const bytesSent = new Map<string, number>();
  const requests: string[] = [];
  let url = '';
  const add = (release: BuiltRelease | ReleaseFile[]) => {
    for (const file of Array.isArray(release) ? release : release.files) files.set(file.path, file);
  };
  releases.forEach(add);

  const serveObject = (file: ReleaseFile, res: ServerResponse) => {
    const fault = faults.get(file.name);
    let body = file.body;
    if (fault?.kind === 'tamper') {
      body = Buffer.from(body);
      body[body.length - 1] = body[body.length - 1]! ^ 0xff;
    } else if (fault?.kind === 'truncate') {
      body = body.subarray(0, fault.bytes);
    } else if (fault?.kind === 'replace') {
      body = fault.body;
    }
    if (fault?.kind === 'cut' && (statusCounts.get(file.name) ?? 0) < fault.times) {
      statusCounts.set(file.name, (statusCounts.get(file.name) ?? 0) + 1);
      bytesSent.set(file.name, (bytesSent.get(file.name) ?? 0) + fault.bytes);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      res.write(body.subarray(0, fault.bytes), () => res.destroy());
      return;
    }
    bytesSent.set(file.name, (bytesSent.get(file.name) ?? 0) + body.length);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (path.startsWith('/objects/')) {
      const file = files.get(path.slice('/objects'.length));
      if (!file) res.writeHead(404).end('Not Found');
      else serveObject(file, res);
      return;
    }
    const file = files.get(path);
    const fault = file ? faults.get(file.name) : undefined;
    if (!file || fault?.kind === 'missing') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    if (fault?.kind === 'status') {
      const seen = statusCounts.get(file.name) ?? 0;
      if (seen < fault.times) {
        statusCounts.set(file.name, seen + 1);
        res.writeHead(fault.status, { 'retry-after': '0' }).end();
        return;
      }
    }
    // github.com redirects release downloads to object storage; clients must follow.
    res.writeHead(302, { location: `${url}/objects${path}` }).end();
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseUrl: (owner, repo) => `${url}/${owner}/${repo}/releases/download`,
    bytesSent,
    requests,
    totalBytes: () => [...bytesSent.values()].reduce((a, b) => a + b, 0),
    resetCounters: () => {
      bytesSent.clear();
      requests.length = 0;
      statusCounts.clear();
    },
    fault: (name, fault) => {
      if (fault) faults.set(name, fault);
      else faults.delete(name);
      statusCounts.delete(name);
    },
    add,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
