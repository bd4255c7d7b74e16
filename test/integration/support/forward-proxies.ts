/**
 * Setup shared by the proxy integration tests (proxy*.test.ts): two forward
 * proxies (one open, one that requires Basic credentials with characters that
 * must be percent-encoded), a way to address a double by a name that does not
 * resolve (routed on both proxies), and views of what the proxy saw. A request
 * that bypasses the proxy fails with ENOTFOUND, one that goes through it reaches
 * the double; https:// names go through an intercepting tunnel (TLS terminated by
 * the proxy with a certificate from its CA, trusted through NODE_EXTRA_CA_CERTS),
 * http:// names through a plain tunnel.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { ActionRunResult } from '../../harness/run-action.ts';
import {
  startForwardProxy,
  type ForwardProxy,
  type ProxyLogEntry,
} from '../../doubles/forward-proxy/forward-proxy.ts';
import type { GitHubDouble } from '../../doubles/github/index.ts';

export const ACTIONS_DIR = resolve(import.meta.dirname, '../../../actions');

// characters that must be percent-encoded in the proxy URL, which each client has to decode
export const PROXY_CREDENTIALS = { username: 'corp\\runner-svc', password: 'Pr0xy:s3cr@t/9f3a%' };

export interface ForwardProxies {
  /** Open proxy. */
  plain: ForwardProxy;
  /** Proxy that answers 407 without PROXY_CREDENTIALS. */
  auth: ForwardProxy;
  /** Routes `name` to the port of `url` on both proxies; returns `url` addressed by that name. */
  proxied(url: string, name: string, scheme: 'http' | 'https'): string;
}

/**
 * Registers the hooks that start and stop both proxies and returns the object
 * they fill in: read its fields inside tests and hooks, not at collection time.
 */
export function useForwardProxies(): ForwardProxies {
  const proxies = {
    proxied(url: string, name: string, scheme: 'http' | 'https') {
      const local = new URL(url);
      proxies.plain.route(name, Number(local.port));
      proxies.auth.route(name, Number(local.port));
      return `${scheme}://${name}${local.pathname === '/' ? '' : local.pathname}${local.search}`;
    },
  } as ForwardProxies;
  beforeAll(async () => {
    proxies.plain = await startForwardProxy();
    proxies.auth = await startForwardProxy({ credentials: PROXY_CREDENTIALS });
  });
  afterAll(async () => {
    await proxies.plain?.close();
    await proxies.auth?.close();
  });
  return proxies;
}

/** What the proxy saw since `from`: requests inside tunnels and absolute-form ones, as compact strings. */
export function seen(
  target: ForwardProxy,
  from: number,
  kinds: ProxyLogEntry['kind'][] = ['tunnelled', 'forward'],
): string[] {
  return target.log
    .slice(from)
    .filter((e) => kinds.includes(e.kind))
    .map((e) => `${e.method} ${e.tls ? 'https' : 'http'}://${e.host}${e.path} ${e.status}`);
}

/**
 * Where the proxy credentials show in what the action printed or wrote (log,
 * summary, outputs, exported env): as given, percent-encoded, or as the Basic
 * token. `findLeaks` also requires a secret to be masked, which the actions do
 * not do for proxy credentials (the runner masks the proxy password it is
 * configured with), so this checks exposure only.
 */
export function proxyCredentialLeaks(result: ActionRunResult): string[] {
  const { username, password } = PROXY_CREDENTIALS;
  const forms = [
    password,
    encodeURIComponent(password),
    Buffer.from(`${username}:${password}`).toString('base64'),
  ];
  const places = {
    log: result.log,
    summary: result.summary,
    outputs: JSON.stringify(result.outputs),
    env: JSON.stringify(result.env),
  };
  return Object.entries(places).flatMap(([place, text]) =>
    forms.filter((form) => text.includes(form)).map((form) => `${place} contains ${form.slice(0, 4)}…`),
  );
}

/** The GitHub double's env with every URL addressed by a proxied http:// name. */
export function proxiedGitHubEnv(
  proxies: ForwardProxies,
  gh: GitHubDouble,
): { GITHUB_API_URL: string; GITHUB_GRAPHQL_URL: string; GITHUB_SERVER_URL: string } {
  return {
    GITHUB_API_URL: proxies.proxied(gh.env.GITHUB_API_URL, 'api.github.proxied.test', 'http'),
    GITHUB_GRAPHQL_URL: proxies.proxied(gh.env.GITHUB_GRAPHQL_URL, 'api.github.proxied.test', 'http'),
    GITHUB_SERVER_URL: proxies.proxied(gh.env.GITHUB_SERVER_URL, 'github.proxied.test', 'http'),
  };
}

/** The GitHub double's requests as the proxy logs them, addressed by the proxied API name. */
export const viaProxy = (gh: GitHubDouble) =>
  gh.requests.records.map((r) => `${r.method} http://api.github.proxied.test${r.url} ${r.status}`);
