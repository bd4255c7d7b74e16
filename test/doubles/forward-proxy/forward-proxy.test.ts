import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxyAgent, fetch as undiciFetch } from 'undici';
import { startForwardProxy, type ForwardProxy } from './forward-proxy.ts';

interface Echo {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let echo: Server;
let echoPort: number;
let proxy: ForwardProxy;
let authProxy: ForwardProxy;
const credentials = { username: 'runner', password: 'pr0xy:p@ss' };

beforeAll(async () => {
  echo = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `http://127.0.0.1:${echoPort}/landed?x=1`, 'content-length': 0 });
        return void res.end();
      }
      const answer: Echo = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      const text = JSON.stringify(answer);
      res.writeHead(201, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        'x-echo': 'yes',
        connection: 'close',
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoPort = (echo.address() as AddressInfo).port;
  proxy = await startForwardProxy({ routes: { 'echo.proxied.test': echoPort } });
  authProxy = await startForwardProxy({ routes: { 'echo.proxied.test': echoPort }, credentials });
});

afterAll(async () => {
  await proxy?.close();
  await authProxy?.close();
  await new Promise((resolve) => echo?.close(resolve));
});

/** One raw request to the proxy port with an absolute-form target. */
function absoluteForm(
  target: ForwardProxy,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        method: options.method ?? 'GET',
        path: url,
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Opens a CONNECT tunnel and returns the proxy's status line and the socket. */
function connectTunnel(
  target: ForwardProxy,
  authority: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: target.port,
      method: 'CONNECT',
      path: authority,
      headers,
    });
    req.on('connect', (res, socket) => resolve({ status: res.statusCode ?? 0, socket }));
    req.on('response', (res) => resolve({ status: res.statusCode ?? 0, socket: res.socket }));
    req.on('error', reject);
    req.end();
  });
}

/** Reads one whole HTTP/1.1 response (the echo server closes the connection). */
function readAll(socket: Socket | ReturnType<typeof tlsConnect>): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

const basic = `Basic ${Buffer.from('runner:pr0xy:p@ss').toString('base64')}`;

describe('forward-proxy: absolute-form requests', () => {
  it('forwards method, path, end-to-end headers and body, and streams the answer back', async () => {
    const before = proxy.log.length;
    const response = await absoluteForm(proxy, 'http://echo.proxied.test:8080/a/b?c=1', {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        'x-keep': 'kept',
        'x-listed': 'dropped',
        connection: 'keep-alive, x-listed',
        'proxy-authorization': 'Basic c29tZW9uZTplbHNl',
      },
      body: 'payload',
    });
    expect(response.status).toBe(201);
    expect(response.headers['x-echo']).toBe('yes');
    const seen = JSON.parse(response.body) as Echo;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/a/b?c=1');
    expect(seen.body).toBe('payload');
    expect(seen.headers.host).toBe('echo.proxied.test:8080');
    expect(seen.headers['x-keep']).toBe('kept');
    expect(seen.headers['x-listed']).toBeUndefined();
    expect(seen.headers['proxy-authorization']).toBeUndefined();
    expect(proxy.log.slice(before)).toEqual([
      {
        kind: 'forward',
        method: 'POST',
        host: 'echo.proxied.test',
        port: 8080,
        path: '/a/b?c=1',
        status: 201,
        tls: false,
      },
    ]);
  });

  it('gives a redirect to a routed loopback port back under the name', async () => {
    const response = await absoluteForm(proxy, 'http://echo.proxied.test/redirect');
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('http://echo.proxied.test/landed?x=1');
  });

  it('answers 502 for a name that is not in the table, and 400 for an origin-form target', async () => {
    const before = proxy.log.length;
    const unknown = await absoluteForm(proxy, 'http://elsewhere.test/x');
    expect(unknown.status).toBe(502);
    expect(unknown.body).toBe('forward-proxy: no route to elsewhere.test\n');
    expect((await absoluteForm(proxy, '/x')).status).toBe(400);
    expect(proxy.log.slice(before).map((e) => [e.host, e.status])).toEqual([['elsewhere.test', 502]]);
  });

  it('routes a host:port entry only for that port', async () => {
    const target = await startForwardProxy();
    try {
      expect((await absoluteForm(target, `http://127.0.0.1:${echoPort}/x`)).status).toBe(502);
      target.route(`127.0.0.1:${echoPort}`, echoPort);
      expect((await absoluteForm(target, `http://127.0.0.1:${echoPort}/x`)).status).toBe(201);
      expect((await absoluteForm(target, `http://127.0.0.1:${echoPort + 1}/x`)).status).toBe(502);
    } finally {
      await target.close();
    }
  });

  it('requires Proxy-Authorization when it has credentials (407 with a Basic challenge)', async () => {
    const refused = await absoluteForm(authProxy, 'http://echo.proxied.test/x');
    expect(refused.status).toBe(407);
    expect(refused.headers['proxy-authenticate']).toBe('Basic realm="forward-proxy"');
    const wrong = await absoluteForm(authProxy, 'http://echo.proxied.test/x', {
      headers: { 'proxy-authorization': `Basic ${Buffer.from('runner:nope').toString('base64')}` },
    });
    expect(wrong.status).toBe(407);
    const allowed = await absoluteForm(authProxy, 'http://echo.proxied.test/x', {
      headers: { 'proxy-authorization': basic },
    });
    expect(allowed.status).toBe(201);
    expect((JSON.parse(allowed.body) as Echo).headers['proxy-authorization']).toBeUndefined();
    expect(authProxy.url).toBe(`http://runner:pr0xy%3Ap%40ss@127.0.0.1:${authProxy.port}`);
  });
});

describe('forward-proxy: CONNECT tunnels', () => {
  it('serves plain HTTP inside a tunnel and logs the tunnel and the request', async () => {
    const before = proxy.log.length;
    const { status, socket } = await connectTunnel(proxy, 'echo.proxied.test:80');
    expect(status).toBe(200);
    socket.write('GET /inside?x=1 HTTP/1.1\r\nHost: echo.proxied.test\r\nConnection: close\r\n\r\n');
    const text = await readAll(socket);
    expect(text.startsWith('HTTP/1.1 201 Created\r\n')).toBe(true);
    expect((JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Echo).url).toBe('/inside?x=1');
    expect(proxy.log.slice(before)).toEqual([
      {
        kind: 'connect',
        method: 'CONNECT',
        host: 'echo.proxied.test',
        port: 80,
        path: '',
        status: 200,
        tls: false,
      },
      {
        kind: 'tunnelled',
        method: 'GET',
        host: 'echo.proxied.test',
        port: 80,
        path: '/inside?x=1',
        status: 201,
        tls: false,
      },
    ]);
  });

  it('terminates TLS with a certificate for the name from its CA, and refuses another CA', async () => {
    const before = proxy.log.length;
    const { socket } = await connectTunnel(proxy, 'echo.proxied.test:443');
    const secure = tlsConnect({ socket, servername: 'echo.proxied.test', ca: proxy.ca.rootPem });
    await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    expect(secure.authorized).toBe(true);
    secure.write('GET /secure HTTP/1.1\r\nHost: echo.proxied.test\r\nConnection: close\r\n\r\n');
    const text = await readAll(secure);
    const seen = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Echo;
    expect(seen.headers['x-forwarded-proto']).toBe('https');
    expect(proxy.log.slice(before).map((e) => [e.kind, e.path, e.status, e.tls])).toEqual([
      ['connect', '', 200, true],
      ['tunnelled', '/secure', 201, true],
    ]);
    // a client that does not trust the proxy's CA sees an untrusted certificate
    const again = await connectTunnel(proxy, 'echo.proxied.test:443');
    const untrusted = tlsConnect({ socket: again.socket, servername: 'echo.proxied.test' });
    await expect(
      new Promise((resolve, reject) => untrusted.once('secureConnect', resolve).once('error', reject)),
    ).rejects.toThrow(/self.signed|unable to (get|verify)/);
  });

  it('answers 502 to a CONNECT for an unknown name and 407 without credentials', async () => {
    expect((await connectTunnel(proxy, 'elsewhere.test:443')).status).toBe(502);
    expect((await connectTunnel(authProxy, 'echo.proxied.test:443')).status).toBe(407);
    const ok = await connectTunnel(authProxy, 'echo.proxied.test:443', { 'proxy-authorization': basic });
    expect(ok.status).toBe(200);
    ok.socket.destroy();
  });

  it('gives the proxy variables in the cases asked for', () => {
    const url = `http://127.0.0.1:${proxy.port}`;
    const ca = proxy.ca.rootFile;
    expect(proxy.env({ noProxy: 'a.test', names: 'lower' })).toEqual({
      http_proxy: url,
      https_proxy: url,
      no_proxy: 'a.test',
      NODE_EXTRA_CA_CERTS: ca,
    });
    expect(proxy.env({ names: 'upper' })).toEqual({
      HTTP_PROXY: url,
      HTTPS_PROXY: url,
      NODE_EXTRA_CA_CERTS: ca,
    });
    expect(Object.keys(proxy.env()).sort()).toEqual([
      'HTTPS_PROXY',
      'HTTP_PROXY',
      'NODE_EXTRA_CA_CERTS',
      'http_proxy',
      'https_proxy',
    ]);
  });

  it('carries undici ProxyAgent requests (http and https targets, Basic credentials from the token)', async () => {
    const before = authProxy.log.length;
    const dispatcher = new ProxyAgent({
      uri: `http://127.0.0.1:${authProxy.port}`,
      token: basic,
      requestTls: { ca: authProxy.ca.rootPem },
    });
    const plain = await undiciFetch('http://echo.proxied.test/p', { dispatcher });
    expect(plain.status).toBe(201);
    const secure = await undiciFetch('https://echo.proxied.test/s', { dispatcher, method: 'PUT', body: 'b' });
    expect(((await secure.json()) as Echo).body).toBe('b');
    await dispatcher.close();
    expect(
      authProxy.log
        .slice(before)
        .filter((e) => e.kind === 'tunnelled')
        .map((e) => [e.method, e.path, e.tls]),
    ).toEqual([
      ['GET', '/p', false],
      ['PUT', '/s', true],
    ]);
  });
});
