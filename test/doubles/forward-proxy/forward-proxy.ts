/**
 * An HTTP forward proxy on 127.0.0.1, as a company network puts in front of a
 * self-hosted runner. It answers
 *
 * - absolute-form requests (`GET http://host/path HTTP/1.1`): the method, the
 *   headers minus hop-by-hop ones, and the body are forwarded, the response is
 *   streamed back;
 * - `CONNECT host:port` tunnels. What the client sends inside is served as HTTP:
 *   plain HTTP (undici's ProxyAgent and the `tunnel` agent of @actions/http-client
 *   tunnel even http:// targets), or TLS, which the proxy terminates with a
 *   certificate for the name from its own CA (an intercepting proxy; the job
 *   trusts the CA through NODE_EXTRA_CA_CERTS), adding `X-Forwarded-Proto: https`.
 *
 * Host names come from a routing table (name -> port on 127.0.0.1); the port in
 * the request is ignored. A name that is not in the table gets 502, as a proxy
 * answers for a host it cannot reach. A `Location` pointing at a routed loopback
 * port is rewritten to the name, so redirects stay behind the proxy. With `credentials`, absolute-form requests
 * and CONNECTs need `Proxy-Authorization: Basic ...` or get 407. Every request,
 * tunnel and request inside a tunnel is logged.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { createInterceptionCA, type InterceptionCA } from './interception-ca.ts';

export interface ProxyLogEntry {
  /** `forward`: absolute-form request; `connect`: a CONNECT; `tunnelled`: a request inside a tunnel. */
  kind: 'forward' | 'connect' | 'tunnelled';
  method: string;
  /** Host name as the client addressed it, lower case, without the port. */
  host: string;
  port: number;
  /** Path and query ('' for a CONNECT). */
  path: string;
  status: number;
  /** A tunnelled request that arrived over TLS (intercepted). */
  tls: boolean;
}

export interface ForwardProxyOptions {
  /**
   * Host name (any port) or `host:port` -> port on 127.0.0.1 that serves it. More can
   * be added with `route`. A `127.0.0.1:<port>` entry serves clients that send even
   * loopback URLs through the proxy (the Azure SDK does).
   */
  routes?: Record<string, number>;
  /** Require `Proxy-Authorization: Basic` with these. */
  credentials?: { username: string; password: string };
}

export interface ForwardProxy {
  /** http://127.0.0.1:<port>, with the credentials in it when the proxy requires them. */
  url: string;
  port: number;
  ca: InterceptionCA;
  log: ProxyLogEntry[];
  /** Routes a name (or `host:port`) to a port on 127.0.0.1. */
  route(hostname: string, port: number): void;
  /**
   * The variables a job behind this proxy sees: http_proxy, https_proxy and
   * no_proxy (when given) in lower case, upper case or both (the default), and
   * NODE_EXTRA_CA_CERTS for the intercepting CA.
   */
  env(options?: { noProxy?: string; names?: 'both' | 'lower' | 'upper' }): Record<string, string>;
  close(): Promise<void>;
}

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

function endToEndHeaders(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const listed = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase());
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.includes(name) || listed.includes(name)) continue;
    out[name] = value;
  }
  return out;
}

/** `host:port` or `[v6]:port` split; the default port when none is given. */
function splitAuthority(authority: string, defaultPort: number): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority);
  if (!match) return { host: authority.toLowerCase(), port: defaultPort };
  return { host: (match[1] as string).toLowerCase(), port: match[2] ? Number(match[2]) : defaultPort };
}

export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const routes = new Map(Object.entries(options.routes ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const ca = await createInterceptionCA();
  const log: ProxyLogEntry[] = [];
  const sockets = new Set<Duplex>();
  const expectedAuthorization = options.credentials
    ? `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`
    : undefined;
  const authorized = (headers: IncomingMessage['headers']) =>
    expectedAuthorization === undefined || headers['proxy-authorization'] === expectedAuthorization;

  /** A `host:port` entry first (a double whose address a client is given as is), then the name. */
  const routeOf = (host: string, port: number) => routes.get(`${host}:${port}`) ?? routes.get(host);

  /**
   * The doubles know only their loopback address: a redirect to a routed loopback
   * port is given back under the name (the request's own when it maps there), so
   * that the client follows it through the proxy as it would on a real network.
   */
  function relocated(
    location: string | undefined,
    target: { host: string; tls: boolean },
  ): string | undefined {
    const match = location === undefined ? null : /^http:\/\/127\.0\.0\.1:(\d+)(\/.*)?$/.exec(location);
    if (!match) return undefined;
    const port = Number(match[1]);
    const names = [...routes].filter(([key, p]) => p === port && !key.includes(':')).map(([name]) => name);
    const name = names.includes(target.host) ? target.host : names[0];
    if (name === undefined) return undefined;
    return `${target.tls ? 'https' : 'http'}://${name}${match[2] ?? '/'}`;
  }

  /** Sends the request on to the routed port and streams the answer back; returns the status. */
  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    target: { host: string; port: number; path: string; tls: boolean },
    kind: ProxyLogEntry['kind'],
  ): void {
    const entry: ProxyLogEntry = {
      kind,
      method: req.method ?? '',
      host: target.host,
      port: target.port,
      path: target.path,
      status: 0,
      tls: target.tls,
    };
    log.push(entry);
    const answer = (status: number, text: string) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(`${text}\n`);
    };
    const localPort = routeOf(target.host, target.port);
    if (localPort === undefined) return answer(502, `forward-proxy: no route to ${target.host}`);
    const headers = endToEndHeaders(req.headers);
    if (target.tls) headers['x-forwarded-proto'] = 'https';
    const upstream = httpRequest(
      { host: '127.0.0.1', port: localPort, method: req.method, path: target.path, headers },
      (response) => {
        entry.status = response.statusCode ?? 0;
        const answerHeaders = endToEndHeaders(response.headers);
        const location = relocated(response.headers.location, target);
        if (location !== undefined) answerHeaders.location = location;
        res.writeHead(response.statusCode ?? 502, response.statusMessage, answerHeaders);
        response.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (res.headersSent) res.destroy(error);
      else answer(502, `forward-proxy: ${target.host} -> 127.0.0.1:${localPort}: ${error.message}`);
    });
    req.pipe(upstream);
  }

  // what arrives inside a tunnel: the tunnel's target is remembered per socket
  const tunnelTargets = new WeakMap<object, { host: string; port: number; tls: boolean }>();
  const inner = createServer((req, res) => {
    const tunnel = tunnelTargets.get(req.socket);
    if (!tunnel) return void res.writeHead(500).end();
    forward(req, res, { ...tunnel, path: req.url ?? '/' }, 'tunnelled');
  });

  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      return void res
        .writeHead(400, { 'content-type': 'text/plain' })
        .end('forward-proxy: expected an absolute-form request target\n');
    }
    const { host, port } = splitAuthority(url.host, url.protocol === 'https:' ? 443 : 80);
    const path = `${url.pathname}${url.search}`;
    if (!authorized(req.headers)) {
      log.push({ kind: 'forward', method: req.method ?? '', host, port, path, status: 407, tls: false });
      return void res
        .writeHead(407, { 'proxy-authenticate': 'Basic realm="forward-proxy"', connection: 'close' })
        .end('forward-proxy: proxy authentication required\n');
    }
    // a proxy replaces the Host header with the authority of the absolute-form target (RFC 9112 3.2.2)
    req.headers.host = url.host;
    forward(req, res, { host, port, path, tls: false }, 'forward');
  });

  server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const { host, port } = splitAuthority(req.url ?? '', 443);
    const entry: ProxyLogEntry = {
      kind: 'connect',
      method: 'CONNECT',
      host,
      port,
      path: '',
      status: 0,
      tls: false,
    };
    log.push(entry);
    const refuse = (status: number, reason: string, extra = '') => {
      entry.status = status;
      socket.end(`HTTP/1.1 ${status} ${reason}\r\n${extra}Content-Length: 0\r\nConnection: close\r\n\r\n`);
    };
    if (!authorized(req.headers))
      return refuse(
        407,
        'Proxy Authentication Required',
        'Proxy-Authenticate: Basic realm="forward-proxy"\r\n',
      );
    if (routeOf(host, port) === undefined) return refuse(502, 'Bad Gateway');
    entry.status = 200;
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    const serve = (first: Buffer) => {
      socket.pause();
      if (first[0] !== 0x16) {
        // the HTTP server reads a socket's handle directly, so bytes already read are handed over as a data event
        tunnelTargets.set(socket, { host, port, tls: false });
        inner.emit('connection', socket);
        socket.emit('data', first);
        socket.resume();
        return;
      }
      socket.unshift(first);
      entry.tls = true;
      ca.credentialsFor(host).then(
        ({ cert, key }) => {
          const secure = new TLSSocket(socket, { isServer: true, cert, key });
          secure.on('error', () => socket.destroy());
          tunnelTargets.set(secure, { host, port, tls: true });
          inner.emit('connection', secure);
        },
        () => socket.destroy(),
      );
    };
    if (head.length > 0) serve(head);
    else socket.once('data', serve);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const userinfo = options.credentials
    ? `${encodeURIComponent(options.credentials.username)}:${encodeURIComponent(options.credentials.password)}@`
    : '';
  const url = `http://${userinfo}127.0.0.1:${port}`;
  return {
    url,
    port,
    ca,
    log,
    route: (hostname, localPort) => void routes.set(hostname.toLowerCase(), localPort),
    env: ({ noProxy, names = 'both' } = {}) => {
      const variables: Record<string, string> = { http_proxy: url, https_proxy: url };
      if (noProxy !== undefined) variables.no_proxy = noProxy;
      const env: Record<string, string> = { NODE_EXTRA_CA_CERTS: ca.rootFile };
      for (const [name, value] of Object.entries(variables)) {
        if (names !== 'upper') env[name] = value;
        if (names !== 'lower') env[name.toUpperCase()] = value;
      }
      return env;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      inner.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
