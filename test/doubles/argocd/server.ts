/**
 * A local Argo CD API server (REST, as the grpc-gateway serves it under /api/v1)
 * with scripted applications (app-script.ts), Bearer-token auth, Dex's token
 * exchange at /api/dex/token (dex.ts), ETags, request counting and injectable
 * faults (401/403/404/5xx, slow answers, dropped connections). Every request
 * body and JSON response is validated against Argo CD's swagger.json; a
 * violation is recorded and makes `close()` reject.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { FaultQueue, applyFault, readBody } from '../oidc-issuer/faults.ts';
import { listenOnLoopback } from '../oidc-issuer/loopback.ts';
import {
  advance,
  applicationJson,
  newRuntime,
  rolloutManifest,
  treeNodes,
  type AppRuntime,
  type AppScript,
} from './app-script.ts';
import { handleDexToken, type DexConfig } from './dex.ts';
import { validateRequestBody, validateResponse } from './swagger-validator.ts';

export interface ArgoCdRequest {
  method: string;
  /** Route name: app, list, tree, resource, sync, action, dex. */
  route: string;
  path: string;
  query: Record<string, string>;
  authorization: string;
  status: number;
  at: number;
}

export interface ArgoCdDouble {
  url: string;
  /** Bearer tokens the API accepts (a Dex exchange adds its token here). */
  tokens: Set<string>;
  /** Applications the callers may not read (403 permission denied). */
  forbidden: Set<string>;
  faults: FaultQueue;
  requests: ArgoCdRequest[];
  /** Tokens Dex issued, in order. */
  dexIssued: string[];
  violations: string[];
  addApp(script: AppScript): AppRuntime;
  app(name: string, namespace?: string): AppRuntime;
  count(route: string): number;
  close(): Promise<void>;
}

const ROUTES: { route: string; method: string; pattern: RegExp; template: string }[] = [
  { route: 'list', method: 'GET', pattern: /^\/api\/v1\/applications$/, template: '/api/v1/applications' },
  {
    route: 'tree',
    method: 'GET',
    pattern: /^\/api\/v1\/applications\/([^/]+)\/resource-tree$/,
    template: '/api/v1/applications/{applicationName}/resource-tree',
  },
  {
    route: 'action',
    method: 'POST',
    pattern: /^\/api\/v1\/applications\/([^/]+)\/resource\/actions$/,
    template: '/api/v1/applications/{name}/resource/actions',
  },
  {
    route: 'resource',
    method: 'GET',
    pattern: /^\/api\/v1\/applications\/([^/]+)\/resource$/,
    template: '/api/v1/applications/{name}/resource',
  },
  {
    route: 'sync',
    method: 'POST',
    pattern: /^\/api\/v1\/applications\/([^/]+)\/sync$/,
    template: '/api/v1/applications/{name}/sync',
  },
  {
    route: 'app',
    method: 'GET',
    pattern: /^\/api\/v1\/applications\/([^/]+)$/,
    template: '/api/v1/applications/{name}',
  },
];

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ArgoCdDoubleOptions {
  tokens?: string[];
  dex?: DexConfig;
  /** Serve HTTPS with this certificate chain and key; the URL is then https://localhost:<port>. */
  tls?: { cert: string; key: string };
}

export async function startArgoCdDouble(options: ArgoCdDoubleOptions = {}): Promise<ArgoCdDouble> {
  const apps = new Map<string, AppRuntime>();
  const key = (name: string, namespace = 'argocd') => `${namespace}/${name}`;
  const state: ArgoCdDouble = {
    url: '',
    tokens: new Set(options.tokens ?? [randomBytes(20).toString('hex')]),
    forbidden: new Set(),
    faults: new FaultQueue(),
    requests: [],
    dexIssued: [],
    violations: [],
    addApp(script) {
      const rt = newRuntime(script);
      apps.set(key(script.name, script.namespace), rt);
      return rt;
    },
    app(name, namespace) {
      const rt = apps.get(key(name, namespace));
      if (!rt) throw new Error(`no app ${name}`);
      return rt;
    },
    count: (route) => state.requests.filter((r) => r.route === route).length,
    close: async () => {
      await listener.close();
      if (state.violations.length > 0)
        throw new Error(`Argo CD double violations:\n${state.violations.join('\n')}`);
    },
  };

  const lookup = (name: string, appNamespace: string | undefined): AppRuntime => {
    const rt = apps.get(key(name, appNamespace || undefined));
    if (!rt) throw new ApiError(404, 5, `applications.argoproj.io "${name}" not found`);
    if (state.forbidden.has(name)) {
      throw new ApiError(403, 7, 'permission denied');
    }
    return rt;
  };

  async function api(
    route: string,
    template: string,
    name: string,
    url: URL,
    req: IncomingMessage,
    body: string,
  ): Promise<unknown> {
    const query = url.searchParams;
    if (route === 'list') {
      const selector = query.get('selector') ?? '';
      const wanted = selector
        .split(',')
        .filter(Boolean)
        .map((pair) => pair.split('=') as [string, string]);
      const items = [...apps.values()]
        .filter((rt) => (rt.script.namespace ?? 'argocd') === (query.get('appNamespace') || 'argocd'))
        .filter((rt) => !state.forbidden.has(rt.script.name))
        .filter((rt) => wanted.every(([k, v]) => rt.script.labels?.[k] === v))
        .map((rt) => applicationJson(rt));
      return { metadata: { resourceVersion: '1000' }, items };
    }
    const parsed: unknown = body ? JSON.parse(body) : undefined;
    // POST /sync carries appNamespace in its body (grpc-gateway `body: "*"`), the others in the query
    const bodyNamespace =
      route === 'sync' ? (parsed as { appNamespace?: string } | undefined)?.appNamespace : undefined;
    const rt = lookup(name, query.get('appNamespace') ?? bodyNamespace);
    if (route === 'app') {
      advance(rt);
      const json = applicationJson(rt);
      rt.served++;
      return json;
    }
    if (route === 'tree') return { nodes: treeNodes(rt) };
    if (route === 'resource') {
      const manifest = query.get('kind') === 'Rollout' ? rolloutManifest(rt) : undefined;
      if (!manifest)
        throw new ApiError(
          404,
          5,
          `${query.get('kind') ?? 'resource'} "${query.get('resourceName')}" not found`,
        );
      return { manifest };
    }
    const check = validateRequestBody(req.method ?? 'POST', template, parsed);
    if (!check.ok) {
      state.violations.push(`${req.method} ${template} request body: ${check.message}`);
      throw new ApiError(400, 3, `invalid request body: ${check.message}`);
    }
    if (route === 'sync') {
      rt.syncRequests.push(parsed as Record<string, unknown>);
      return applicationJson(rt);
    }
    // action: the deprecated v1 endpoint takes the action name as the JSON body string
    if (typeof parsed !== 'string' || query.get('kind') !== 'Rollout' || !rolloutManifest(rt)) {
      throw new ApiError(400, 3, 'action not available for this resource');
    }
    rt.actions.push(parsed);
    return {};
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', state.url);
      const body = await readBody(req);
      if (url.pathname === '/api/dex/token' && req.method === 'POST') {
        const record = {
          method: 'POST',
          route: 'dex',
          path: url.pathname,
          query: {},
          authorization: req.headers.authorization ?? '',
          status: 0,
          at: Date.now(),
        };
        state.requests.push(record);
        const fault = await applyFault(state.faults.take('dex'), req, res);
        if (fault === 'handled') return;
        const answer = options.dex
          ? await handleDexToken(options.dex, req.headers.authorization ?? '', body)
          : { status: 404, body: { error: 'not_found' } };
        if (answer.status === 200) {
          const token = (answer.body as { access_token: string }).access_token;
          state.tokens.add(token);
          state.dexIssued.push(token);
        }
        record.status = answer.status;
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
        return;
      }
      const match = ROUTES.find((r) => r.method === req.method && r.pattern.test(url.pathname));
      if (!match) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
        return;
      }
      const name = decodeURIComponent(match.pattern.exec(url.pathname)?.[1] ?? '');
      const record: ArgoCdRequest = {
        method: req.method ?? '',
        route: match.route,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        authorization: req.headers.authorization ?? '',
        status: 0,
        at: Date.now(),
      };
      state.requests.push(record);
      await respond(
        res,
        record,
        match.template,
        async () => {
          const fault = await applyFault(state.faults.take(match.route), req, res);
          if (fault === 'handled') return 'handled';
          if (fault) throw new ApiError(fault.status ?? 500, 13, fault.message ?? fault.code);
          const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
          if (!bearer || !state.tokens.has(bearer)) {
            throw new ApiError(401, 16, 'invalid session: token signature is invalid');
          }
          return api(match.route, match.template, name, url, req, body);
        },
        req.headers['if-none-match'],
      );
    })().catch((error: unknown) => {
      state.violations.push(`crash: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  };
  const server = (options.tls ? createTlsServer(options.tls, handler) : createServer(handler)) as Server;

  async function respond(
    res: ServerResponse,
    record: ArgoCdRequest,
    template: string,
    produce: () => Promise<unknown>,
    ifNoneMatch: string | undefined,
  ): Promise<void> {
    let status = 200;
    let body: unknown;
    try {
      body = await produce();
      if (body === 'handled') {
        record.status = -1;
        return;
      }
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      status = error.status;
      body = { error: error.message, code: error.code, message: error.message };
    }
    const check = validateResponse(record.method, template, status, body);
    if (!check.ok) {
      state.violations.push(`${record.method} ${template} ${status}: ${check.message}`);
      status = 500;
      body = { error: 'double violated swagger.json', code: 13, message: check.message };
    }
    const text = JSON.stringify(body);
    const etag = `"${createHash('sha256').update(text).digest('hex').slice(0, 16)}"`;
    record.status = status === 200 && record.method === 'GET' && ifNoneMatch === etag ? 304 : status;
    if (record.status === 304) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res
      .writeHead(status, {
        'content-type': 'application/json',
        ...(record.method === 'GET' && status === 200 ? { etag } : {}),
      })
      .end(text);
  }

  const listener = await listenOnLoopback(server);
  state.url = options.tls ? listener.url.replace('http://127.0.0.1', 'https://localhost') : listener.url;
  return state;
}
