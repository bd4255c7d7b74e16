import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForwardProxy, type ForwardProxy } from '../../../test/doubles/forward-proxy/forward-proxy.ts';
import {
  createInterceptionCA,
  type InterceptionCA,
} from '../../../test/doubles/forward-proxy/interception-ca.ts';
import {
  HttpStatusError,
  NetworkError,
  ResponseTooLargeError,
  checkStatus,
  createHttpTransport,
  retryAfterMs,
} from './http-transport.ts';
import { retry } from './retry.ts';

/** The network edge: a loopback server whose answers the tests choose per path. */
const answers = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
let hits: string[] = [];
const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
const handler = (req: IncomingMessage, res: ServerResponse) => {
  hits.push(`${req.method} ${req.url}`);
  const answer = answers.get(req.url ?? '');
  if (answer) answer(req, res);
  else res.writeHead(404).end('no such path');
};
let server: Server;
let base: string;
let ca: InterceptionCA;
let tlsServer: Server;
let tlsBase: string;

beforeAll(async () => {
  server = createHttpServer(handler);
  base = `http://127.0.0.1:${await listen(server)}`;
  ca = await createInterceptionCA();
  tlsServer = createHttpsServer(await ca.credentialsFor('localhost'), handler);
  tlsBase = `https://localhost:${await listen(tlsServer)}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => tlsServer.close(resolve));
  rmSync(dirname(ca.rootFile), { recursive: true, force: true });
});

const transport = (options: Partial<Parameters<typeof createHttpTransport>[0]> = {}) =>
  createHttpTransport({ userAgent: 'slipway-test', timeoutMs: 5_000, ...options });

describe('createHttpTransport', () => {
  it('answers status, lower-cased headers and the body for any status', async () => {
    answers.set('/echo', (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () =>
        res
          .writeHead(418, { 'X-Echo': req.headers['x-in'] ?? '', 'Content-Type': 'text/plain' })
          .end(`${req.method} ${body} ${req.headers['user-agent']}`),
      );
    });
    const response = await transport()({
      method: 'POST',
      url: `${base}/echo`,
      headers: { 'x-in': 'a' },
      body: 'hi',
    });
    expect(response.status).toBe(418);
    expect(response.headers['x-echo']).toBe('a');
    expect(response.body.toString()).toBe('POST hi slipway-test');
  });

  it('sends a Buffer body byte for byte with its Content-Length, not chunked', async () => {
    answers.set('/bytes', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () =>
        res.end(
          JSON.stringify({
            length: req.headers['content-length'],
            chunked: req.headers['transfer-encoding'] ?? null,
            hex: Buffer.concat(chunks).toString('hex'),
          }),
        ),
      );
    });
    // bytes that are not valid UTF-8 would be mangled by a text round trip
    const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe, 0x00, 0x80, 0xc3]);
    const response = await transport()({ method: 'PUT', url: `${base}/bytes`, body: bytes });
    expect(JSON.parse(response.body.toString())).toEqual({
      length: '9',
      chunked: null,
      hex: bytes.toString('hex'),
    });
  });

  it('a request without an answer in time is a NetworkError (ETIMEDOUT) naming the URL', async () => {
    answers.set('/slow', (_req, res) => setTimeout(() => res.end('late'), 2_000));
    const error = await transport({ timeoutMs: 150 })({ method: 'GET', url: `${base}/slow` }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('ETIMEDOUT');
    expect((error as NetworkError).message).toBe(`no response within 150 ms from ${base}/slow`);
    expect((error as NetworkError).url).toBe(`${base}/slow`);
  });

  it('a refused connection is a NetworkError with its code', async () => {
    const closed = createHttpServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const error = await transport()({ method: 'GET', url: `http://127.0.0.1:${port}/` }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('ECONNREFUSED');
  });

  it('refuses a body over its bound', async () => {
    answers.set('/big', (_req, res) => res.end(Buffer.alloc(4096)));
    const error = await transport()({ method: 'GET', url: `${base}/big`, maxBodyBytes: 1024 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResponseTooLargeError);
  });

  it('returns a redirect unless told to follow', async () => {
    answers.set('/moved', (_req, res) => res.writeHead(302, { location: `${base}/echo-get` }).end());
    answers.set('/echo-get', (_req, res) => res.end('arrived'));
    expect((await transport()({ method: 'GET', url: `${base}/moved` })).status).toBe(302);
    const followed = await transport({ maxRedirects: 2 })({ method: 'GET', url: `${base}/moved` });
    expect(followed.body.toString()).toBe('arrived');
  });
});

describe('status errors and retry-after', () => {
  it('checkStatus passes accepted statuses and types the rest with the retry-after wait', async () => {
    answers.set('/busy', (_req, res) => res.writeHead(503, { 'retry-after': '7' }).end('maintenance'));
    const response = await transport()({ method: 'GET', url: `${base}/busy` });
    const error = (() => {
      try {
        return checkStatus(response, { method: 'GET', url: `${base}/busy` });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({
      status: 503,
      retryAfterMs: 7_000,
      url: `${base}/busy`,
      bodyText: 'maintenance',
    });
    expect((error as Error).message).toBe(`GET ${base}/busy answered HTTP 503`);
    expect(checkStatus(response, { method: 'GET', url: `${base}/busy` }, (status) => status === 503)).toBe(
      response,
    );
  });

  it('retry waits the retry-after of a 429 (not its own shorter backoff)', async () => {
    let calls = 0;
    answers.set('/limited', (_req, res) => {
      calls++;
      if (calls === 1) res.writeHead(429, { 'retry-after': '3' }).end();
      else res.end('ok');
    });
    const http = transport();
    const waits: number[] = [];
    const response = await retry(
      async () => {
        const request = { method: 'GET', url: `${base}/limited` } as const;
        return checkStatus(await http(request), request);
      },
      { baseDelayMs: 1, maxDelayMs: 1, sleep: async (ms) => void waits.push(ms) },
    );
    expect(response.body.toString()).toBe('ok');
    expect(waits).toEqual([3_000]);
  });

  it('reads retry-after as seconds or an HTTP date, else a spent primary limit reset', () => {
    const now = () => Date.parse('2026-12-07T00:00:00Z');
    expect(retryAfterMs({ 'retry-after': '120' }, now)).toBe(120_000);
    expect(retryAfterMs({ 'retry-after': 'Mon, 07 Dec 2026 00:00:30 GMT' }, now)).toBe(30_000);
    expect(
      retryAfterMs({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now() / 1000 + 10) }, now),
    ).toBe(11_000);
    expect(retryAfterMs({ 'x-ratelimit-remaining': '4', 'x-ratelimit-reset': '1' }, now)).toBeUndefined();
    expect(retryAfterMs({}, now)).toBeUndefined();
  });
});

describe('TLS', () => {
  it('refuses a private CA by default, trusts it given as `ca`, and skips checks when insecure', async () => {
    answers.set('/tls', (_req, res) => res.end('secure'));
    const refused = await transport()({ method: 'GET', url: `${tlsBase}/tls` }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NetworkError);
    expect((refused as NetworkError).code).toMatch(/SELF_SIGNED|UNABLE_TO_GET_ISSUER_CERT/);
    expect(
      (
        await transport({ tls: { ca: ca.rootPem } })({ method: 'GET', url: `${tlsBase}/tls` })
      ).body.toString(),
    ).toBe('secure');
    expect(
      (
        await transport({ tls: { insecure: true } })({ method: 'GET', url: `${tlsBase}/tls` })
      ).body.toString(),
    ).toBe('secure');
  });
});

describe('proxy', () => {
  let proxy: ForwardProxy;
  const saved = { ...process.env };
  beforeAll(async () => {
    proxy = await startForwardProxy();
    proxy.route('service.proxied.test', Number(new URL(base).port));
  });
  afterAll(async () => {
    for (const name of [
      'http_proxy',
      'https_proxy',
      'no_proxy',
      'HTTP_PROXY',
      'HTTPS_PROXY',
      'NO_PROXY',
      'NODE_EXTRA_CA_CERTS',
    ])
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    await proxy.close();
  });

  it('goes through HTTP_PROXY, and direct for a NO_PROXY host', async () => {
    answers.set('/via', (_req, res) => res.end('via proxy'));
    const url = `http://service.proxied.test:${new URL(base).port}/via`;
    Object.assign(process.env, proxy.env());
    hits = [];
    expect((await transport()({ method: 'GET', url })).body.toString()).toBe('via proxy');
    expect(proxy.log.some((entry) => entry.host === 'service.proxied.test' && entry.path === '/via')).toBe(
      true,
    );
    expect(hits).toEqual(['GET /via']);

    Object.assign(process.env, proxy.env({ noProxy: 'service.proxied.test' }));
    proxy.log.length = 0;
    const direct = await transport()({ method: 'GET', url }).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(NetworkError);
    expect((direct as NetworkError).code).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(proxy.log).toEqual([]);
  });

  it('names the host of a CONNECT the proxy refused', async () => {
    Object.assign(process.env, proxy.env({ noProxy: '' }));
    delete process.env.no_proxy;
    delete process.env.NO_PROXY;
    const error = await transport()({ method: 'GET', url: 'https://unrouted.proxied.test/x' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toBe(
      'the proxy answered HTTP 502 to CONNECT unrouted.proxied.test:443',
    );
  });
});
