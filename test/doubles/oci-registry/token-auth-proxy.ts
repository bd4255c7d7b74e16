/**
 * A GHCR/ECR-style front for the real registry: /v2/ requests need a Bearer
 * token, a request without one gets 401 with
 * `WWW-Authenticate: Bearer realm="<proxy>/token",service="…",scope="repository:<repo>:pull"`,
 * and /token hands out a token for the configured Basic credentials (or
 * anonymously when `anonymous` is set); `realm` makes the challenge name another token service. Valid requests (pulls and pushes) are
 * forwarded to the upstream registry, upload locations rewritten to this front. Counts requests and can answer 503 a given number of times.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenAuthProxy {
  host: string;
  url: string;
  /** The token minted last (tests assert it is masked and never printed). */
  tokens: string[];
  requests: { method: string; path: string; authorization: string | undefined }[];
  /** Answer the next `count` /v2/ requests with 503 Retry-After: 0. */
  failNext(count: number): void;
  stop(): Promise<void>;
}

export async function startTokenAuthProxy(options: {
  upstream: string;
  username?: string;
  password?: string;
  anonymous?: boolean;
  /** The realm the challenge names (default: this front's own /token), e.g. another host's. */
  realm?: string;
}): Promise<TokenAuthProxy> {
  const tokens: string[] = [];
  const requests: TokenAuthProxy['requests'] = [];
  let failures = 0;
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = `http://${host}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, authorization: req.headers.authorization });
    if (path.startsWith('/token')) {
      const expected = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
      if (!options.anonymous && req.headers.authorization !== expected) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"code":"DENIED"}]}');
        return;
      }
      const token = randomBytes(24).toString('hex');
      tokens.push(token);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token, expires_in: 300 }));
      return;
    }
    if (failures > 0) {
      failures--;
      res.writeHead(503, { 'retry-after': '0' }).end('unavailable');
      return;
    }
    const bearer = req.headers.authorization?.replace(/^Bearer /, '');
    if (!bearer || !tokens.includes(bearer)) {
      const repository = /^\/v2\/(.+?)\/(manifests|blobs|referrers|tags)\//.exec(path)?.[1] ?? '';
      res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="${options.realm ?? `${url}/token`}",service="slipway-test",scope="repository:${repository}:pull,push"`,
          'content-type': 'application/json',
        })
        .end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && !['authorization', 'host', 'content-length', 'connection'].includes(k))
        headers[k] = v;
    }
    const method = req.method ?? 'GET';
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const upstream = await fetch(`${options.upstream}${path}`, {
      method,
      headers,
      redirect: 'manual',
      ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
    });
    const body = Buffer.from(await upstream.arrayBuffer());
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, key) => {
      if (key === 'content-encoding' || key === 'transfer-encoding') return;
      // keep blob uploads going through this front: the upstream answers with its own address
      out[key] = key === 'location' ? value.replace(options.upstream, url) : value;
    });
    res.writeHead(upstream.status, out).end(req.method === 'HEAD' ? undefined : body);
  }

  return {
    host,
    url,
    tokens,
    requests,
    failNext(count) {
      failures = count;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
