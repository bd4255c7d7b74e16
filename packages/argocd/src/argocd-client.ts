/**
 * Argo CD's REST API (the grpc-gateway under /api/v1, JSON only: no gRPC-web),
 * over an injected HttpTransport. GETs are conditional (`If-None-Match` with the
 * last ETag; a 304 reuses the cached body); transient failures are retried
 * through @slipway/core `retry` with a total cap; 401/403/404 become UserErrors
 * that say what to fix. The token source is asked for a token per request and
 * told when the server refused it, so an exchanged token can be renewed once.
 */
import {
  NetworkError,
  RetryableError,
  UserError,
  classifyTransient,
  redact,
  retry,
  type HttpTransport,
  type RetryOptions,
} from '@slipway/core';
import { isTransientStatus } from '@slipway/oidc/id-token';
import type { Application, ApplicationTree } from './application.ts';

export interface TokenSource {
  token(): Promise<string>;
  /** The server answered 401 to `token`: forget it. Returns true when a new one can be tried. */
  refused(token: string): boolean;
}

export interface ArgoCdClientOptions {
  /** Server URL without a trailing slash. */
  server: string;
  http: HttpTransport;
  auth: TokenSource;
  appNamespace?: string;
  retry?: Partial<RetryOptions>;
}

export interface ResourceRef {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
}

export class ArgoCdApiError extends UserError {
  constructor(
    message: string,
    readonly status: number,
    hint?: string,
  ) {
    super(message, hint ? { hint } : {});
    this.name = 'ArgoCdApiError';
  }
}

export class ArgoCdClient {
  /** Requests sent, conditional ones and retries included. */
  requests = 0;
  /** GETs answered 304 Not Modified. */
  notModified = 0;
  private readonly etags = new Map<string, { etag: string; body: string }>();
  private readonly secrets = new Set<string>();

  constructor(private readonly options: ArgoCdClientOptions) {}

  getApplication(name: string, refresh?: 'normal' | 'hard'): Promise<Application> {
    return this.getJson(`/api/v1/applications/${encodeURIComponent(name)}`, this.query({ refresh }), name);
  }

  async listApplications(selector: string): Promise<Application[]> {
    const list = await this.getJson<{ items?: Application[] | null }>(
      '/api/v1/applications',
      this.query({ selector }),
    );
    return list.items ?? [];
  }

  resourceTree(name: string): Promise<ApplicationTree> {
    return this.getJson(
      `/api/v1/applications/${encodeURIComponent(name)}/resource-tree`,
      this.query({}),
      name,
    );
  }

  async resourceManifest(app: string, ref: ResourceRef): Promise<string> {
    const response = await this.getJson<{ manifest?: string }>(
      `/api/v1/applications/${encodeURIComponent(app)}/resource`,
      this.query(resourceQuery(ref)),
      app,
    );
    return response.manifest ?? '';
  }

  /** Triggers a sync of exactly `revision` (single-source apps) or of the spec's revisions. */
  sync(name: string, revision: string | undefined): Promise<Application> {
    const body: Record<string, unknown> = { name, prune: false };
    if (revision) body.revision = revision;
    if (this.options.appNamespace) body.appNamespace = this.options.appNamespace;
    return this.send('POST', `/api/v1/applications/${encodeURIComponent(name)}/sync`, '', body, name);
  }

  /** Runs a resource action (Rollout `resume`, `promote-full`, `abort`) as the Argo CD UI does. */
  async runResourceAction(app: string, ref: ResourceRef, action: string): Promise<void> {
    await this.send(
      'POST',
      `/api/v1/applications/${encodeURIComponent(app)}/resource/actions`,
      this.query(resourceQuery(ref)),
      action,
      app,
    );
  }

  private query(params: Record<string, string | undefined>): string {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
    if (this.options.appNamespace) search.set('appNamespace', this.options.appNamespace);
    const text = search.toString();
    return text ? `?${text}` : '';
  }

  private getJson<T>(path: string, query: string, app?: string): Promise<T> {
    return this.send<T>('GET', path, query, undefined, app);
  }

  private async send<T>(
    method: 'GET' | 'POST',
    path: string,
    query: string,
    body: unknown,
    app: string | undefined,
  ): Promise<T> {
    const url = `${this.options.server}${path}${query}`;
    let renewed = false;
    return retry(
      async () => {
        const token = await this.options.auth.token();
        this.secrets.add(token);
        const cached = method === 'GET' ? this.etags.get(url) : undefined;
        const headers: Record<string, string> = {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(cached ? { 'If-None-Match': cached.etag } : {}),
        };
        this.requests++;
        let response;
        try {
          response = await this.options.http({
            method,
            url,
            headers,
            ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          });
        } catch (error) {
          if (!(error instanceof NetworkError)) throw error;
          if (classifyTransient(error).retry) throw new RetryableError(`${method} ${path}: ${error.message}`);
          throw unreachable(this.options.server, error);
        }
        if (response.status === 304 && cached) {
          this.notModified++;
          return JSON.parse(cached.body) as T;
        }
        if (response.status === 401 && !renewed && this.options.auth.refused(token)) {
          renewed = true;
          throw new RetryableError('Argo CD refused the token; renewing it', 0);
        }
        if (response.status >= 200 && response.status < 300) {
          const etag = response.headers.etag;
          const text = response.body.toString();
          if (method === 'GET' && typeof etag === 'string') this.etags.set(url, { etag, body: text });
          return (text ? JSON.parse(text) : {}) as T;
        }
        const detail = redact(errorText(response.body.toString()), this.secrets);
        if (isTransientStatus(response.status)) {
          throw new RetryableError(
            `Argo CD answered HTTP ${response.status} to ${method} ${path}: ${detail}`,
          );
        }
        throw refusal(response.status, method, path, detail, app, this.options.appNamespace);
      },
      { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 5000, totalTimeoutMs: 30_000, ...this.options.retry },
    ).catch((error: unknown) => {
      if (error instanceof RetryableError) {
        throw new UserError(`Argo CD at ${this.options.server} did not answer usefully: ${error.message}`, {
          hint: 'Check that the server URL is reachable from this runner (or use mode: push).',
        });
      }
      throw error;
    });
  }
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME_MISMATCH|ALTNAME/;

/** A failure without a response that retrying will not cure: TLS trust, a refused proxy, a bad host name. */
export function unreachable(server: string, error: NetworkError): UserError {
  const tls = TLS_CODES.test(error.code);
  return new UserError(`Could not talk to Argo CD at ${server}: ${error.message}`, {
    hint: tls
      ? 'The server certificate is not trusted: pass its CA certificates in `ca-bundle` (or, last resort, `insecure: true`).'
      : 'Check the server URL, the proxy settings (HTTPS_PROXY, NO_PROXY), or use mode: push when the runner cannot reach Argo CD.',
  });
}

function resourceQuery(ref: ResourceRef): Record<string, string> {
  return {
    namespace: ref.namespace,
    resourceName: ref.name,
    version: ref.version,
    group: ref.group,
    kind: ref.kind,
  };
}

function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
    const text = parsed.message ?? parsed.error;
    if (typeof text === 'string' && text) return text;
  } catch {
    // not JSON: a proxy's page
  }
  return body.trim().slice(0, 200) || '(empty body)';
}

function refusal(
  status: number,
  method: string,
  path: string,
  detail: string,
  app: string | undefined,
  appNamespace: string | undefined,
): ArgoCdApiError {
  if (status === 401) {
    return new ArgoCdApiError(
      `Argo CD refused the credentials (HTTP 401 to ${method} ${path}): ${detail}`,
      status,
      'Check the `token` secret (an Argo CD account token) or the Dex connector for `oidc`.',
    );
  }
  if (status === 403) {
    return new ArgoCdApiError(
      `Argo CD denied ${method} ${path} (HTTP 403): ${detail}`,
      status,
      'Grant the account `applications, get` (and `sync`/`action/*` when used) in argocd-rbac-cm.',
    );
  }
  if (status === 404 && app) {
    const where = appNamespace ? ` in namespace ${appNamespace}` : '';
    return new ArgoCdApiError(
      `Argo CD has no application '${app}'${where} visible to this account (HTTP 404): ${detail}`,
      status,
      'Check the `applications` and `app-namespace` inputs.',
    );
  }
  return new ArgoCdApiError(`Argo CD answered HTTP ${status} to ${method} ${path}: ${detail}`, status);
}
