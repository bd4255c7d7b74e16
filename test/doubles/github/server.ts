/**
 * The core HTTP server of the GitHub double: authentication, fault injection,
 * request counting, REST dispatch with OpenAPI validation of request bodies and
 * responses, and the GraphQL endpoint.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultInjector, type FaultRequest, type FaultSpec } from './faults.ts';
import { HttpError } from './http-error.ts';
import { operationInfo, validateRequestBody, validateResponse } from './openapi-validator.ts';
import { RequestLog } from './request-log.ts';
import type { DoubleState, RestContext, RestResult } from './rest-route.ts';
import { RouteTable } from './route-table.ts';
import { checkAccess, TokenRegistry, type Caller } from './tokens.ts';
import { handleGraphql, graphqlRequestSummary } from './graphql/endpoint.ts';

export interface OpenApiViolation {
  route: string;
  status: number;
  message: string;
}

export interface CoreServer {
  url: string;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  text?: { body: string; contentType: string };
}

/**
 * Where the API lives on the server's origin. `rest` is the REST base path ('' at the root as on
 * api.github.com and api.<sub>.ghe.com, '/api/v3' on GitHub Enterprise Server); `graphql` the
 * GraphQL endpoint's path ('/graphql', or '/api/graphql' on GHES).
 */
export interface ApiPaths {
  rest: string;
  graphql: string;
}

export interface CoreDeps {
  state: DoubleState;
  paths: ApiPaths;
  routes: RouteTable;
  tokens: TokenRegistry;
  faults: FaultInjector;
  requests: RequestLog;
  violations: OpenApiViolation[];
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function errorBody(error: HttpError, documentationUrl: string): Record<string, unknown> {
  return {
    message: error.message,
    documentation_url: documentationUrl,
    ...error.extra,
    status: String(error.status),
  };
}

function rateHeaders(state: DoubleState, resource: 'core' | 'graphql'): Record<string, string> {
  const used = resource === 'core' ? state.rateLimit.used : state.rateLimit.graphqlUsed;
  return {
    'x-ratelimit-limit': String(state.rateLimit.limit),
    'x-ratelimit-remaining': String(Math.max(0, state.rateLimit.limit - used)),
    'x-ratelimit-reset': String(state.rateLimit.reset),
    'x-ratelimit-used': String(used),
    'x-ratelimit-resource': resource,
  };
}

export function startCoreServer(deps: CoreDeps): Promise<CoreServer> {
  const { state } = deps;
  let requestCounter = 0;

  async function dispatchRest(
    method: string,
    url: URL,
    path: string,
    raw: Buffer,
    caller: Caller,
    faults: FaultSpec[],
    accept: string,
  ): Promise<{ reply: Reply; route: string }> {
    const found = path === '' ? null : deps.routes.match(method, path);
    if (found === null || found === 'methodMismatch') {
      const status = 404;
      return {
        route: 'unmatched',
        reply: {
          status,
          headers: {},
          body: {
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/rest',
            status: String(status),
          },
        },
      };
    }
    const { route, params } = found;
    const key = `${route.method} ${route.path}`;
    const docs = operationInfo(route.method, route.path).documentationUrl;
    let body: unknown = undefined;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return {
          route: key,
          reply: {
            status: 400,
            headers: {},
            body: { message: 'Problems parsing JSON', documentation_url: docs, status: '400' },
          },
        };
      }
    }
    if (method !== 'GET') {
      const check = validateRequestBody(route.method, route.path, body ?? {});
      if (!check.ok) {
        return {
          route: key,
          reply: {
            status: 422,
            headers: {},
            body: { message: `Invalid request.\n\n${check.message}`, documentation_url: docs, status: '422' },
          },
        };
      }
    }
    const ctx: RestContext = {
      params,
      query: url.searchParams,
      body,
      caller,
      state,
      url,
      accept,
      repo: (category, level) => {
        const repo = state.store.get(params.owner ?? '', params.repo ?? '');
        if (!repo) throw new HttpError(404, 'Not Found');
        checkAccess(caller, repo, category, level);
        return repo;
      },
    };
    let result: RestResult;
    try {
      result = await route.handle(ctx);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      result = { status: error.status, body: errorBody(error, docs), headers: error.headers };
    }
    if (result.text) {
      return {
        route: key,
        reply: { status: result.status, body: undefined, headers: result.headers ?? {}, text: result.text },
      };
    }
    let replyBody = result.body;
    for (const fault of faults) if (fault.transformResponse) replyBody = fault.transformResponse(replyBody);
    const check = validateResponse(route.method, route.path, result.status, replyBody);
    if (!check.ok) {
      const message = `GitHub double answered ${key} with ${result.status} that violates GitHub's OpenAPI description: ${check.message}`;
      deps.violations.push({ route: key, status: result.status, message });
      return {
        route: key,
        reply: { status: 500, headers: { 'x-github-double-violation': '1' }, body: { message } },
      };
    }
    return { route: key, reply: { status: result.status, body: replyBody, headers: result.headers ?? {} } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', state.apiUrl);
    const isGraphql = url.pathname === deps.paths.graphql;
    // the REST path below the base ('' when the request is outside it: a 404 as on GitHub)
    const restPath = isGraphql ? '' : restPathOf(url.pathname, deps.paths.rest);
    const summary = isGraphql ? graphqlRequestSummary(raw) : { operationName: null, fields: [] as string[] };
    const routeGuess = isGraphql ? 'POST /graphql' : routeKey(deps.routes, method, restPath);
    const faultRequest: FaultRequest = {
      method,
      path: restPath === '' ? url.pathname + url.search : restPath + url.search,
      route: routeGuess,
      graphqlFields: summary.fields,
      body: safeJson(raw),
    };
    const faults = deps.faults.take(faultRequest);
    const record = {
      method,
      url: req.url ?? '/',
      route: routeGuess,
      operationName: summary.operationName,
      graphqlFields: summary.fields,
      status: 0,
      bytesIn: raw.length,
      bytesOut: 0,
      faulted: faults.length > 0,
    };
    deps.requests.add(record);
    requestCounter += 1;
    for (const fault of faults) if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    for (const fault of faults) if (fault.before) await fault.before(faultRequest);
    if (faults.some((f) => f.drop)) {
      req.socket.destroy();
      return;
    }
    const resource = isGraphql ? 'graphql' : 'core';
    let reply: Reply;
    const injected = faults.find((f) => f.status !== undefined);
    if (injected) {
      reply = {
        status: injected.status!,
        body: injected.body ?? { message: 'Injected fault' },
        headers: injected.headers ?? {},
      };
    } else {
      try {
        const caller = deps.tokens.authenticate(req.headers.authorization);
        if (isGraphql) {
          state.rateLimit.graphqlUsed += 1;
          reply = { headers: {}, ...(await handleGraphql(raw, caller, state, faults)) };
        } else {
          state.rateLimit.used += 1;
          reply = (await dispatchRest(method, url, restPath, raw, caller, faults, req.headers.accept ?? ''))
            .reply;
        }
        const scopes = deps.tokens.scopesHeader(caller);
        if (scopes !== undefined) reply.headers['x-oauth-scopes'] = scopes;
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        const docs = isGraphql ? 'https://docs.github.com/graphql' : 'https://docs.github.com/rest';
        reply = { status: error.status, headers: error.headers, body: errorBody(error, docs) };
      }
    }
    const payload = reply.text
      ? Buffer.from(reply.text.body)
      : reply.body === undefined
        ? Buffer.alloc(0)
        : Buffer.from(JSON.stringify(reply.body));
    const contentType = reply.text?.contentType ?? 'application/json; charset=utf-8';
    record.status = reply.status;
    record.bytesOut = payload.length;
    res.writeHead(reply.status, {
      ...rateHeaders(state, resource),
      'x-github-request-id': `0000:${requestCounter.toString(16).padStart(6, '0')}`,
      'x-github-media-type': 'github.v3; format=json',
      ...(payload.length > 0 ? { 'content-type': contentType } : {}),
      'content-length': String(payload.length),
      ...reply.headers,
    });
    res.end(payload);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      deps.violations.push({
        route: `${req.method} ${req.url}`,
        status: 500,
        message: `GitHub double crashed: ${message}`,
      });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `GitHub double crashed: ${message}` }));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}`;
      resolve({
        url,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** `/api/v3/repos/o/r` -> `/repos/o/r` under base `/api/v3`; '' when the path is not under the base. */
function restPathOf(pathname: string, base: string): string {
  if (base === '') return pathname;
  return pathname.startsWith(`${base}/`) ? pathname.slice(base.length) : '';
}

function routeKey(routes: RouteTable, method: string, path: string): string {
  const found = path === '' ? null : routes.match(method, path);
  return found && found !== 'methodMismatch' ? `${found.route.method} ${found.route.path}` : 'unmatched';
}

function safeJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
