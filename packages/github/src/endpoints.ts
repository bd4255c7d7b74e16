/**
 * Where GitHub is, decided once from the runner's environment: the REST root
 * (GITHUB_API_URL), the GraphQL endpoint (GITHUB_GRAPHQL_URL, else derived from
 * the REST root) and the web root for links (GITHUB_SERVER_URL). github.com,
 * GHE.com subdomains and GitHub Enterprise Server all follow the same rule.
 */
import { githubApiUrl } from '@slipway/core';

export interface GitHubEndpoints {
  /** REST root without a trailing slash: https://api.github.com, https://<host>/api/v3 (GHES). */
  apiUrl: string;
  /** GraphQL endpoint: https://api.github.com/graphql, https://<host>/api/graphql (GHES). */
  graphqlUrl: string;
  /** Web root for links: https://github.com, https://<host> (GHES). */
  serverUrl: string;
}

/** The GraphQL endpoint GitHub serves beside a REST root: /api/graphql beside /api/v3 (GHES), else /graphql. */
export function graphqlUrlFor(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, '');
  return base.endsWith('/api/v3') ? `${base.slice(0, -'/v3'.length)}/graphql` : `${base}/graphql`;
}

/** The endpoints from the runner's variables; a GraphQL URL the runner sets wins over the derived one. */
export function githubEndpoints(env: NodeJS.ProcessEnv = process.env): GitHubEndpoints {
  return endpointsFor(githubApiUrl(env), {
    graphqlUrl: env.GITHUB_GRAPHQL_URL,
    // the runner always sets it; elsewhere the web root beside the API root, not github.com
    serverUrl: env.GITHUB_SERVER_URL,
  });
}

/** Endpoints for an explicit REST root (the CLI's --api-url, a test double), others derived unless given. */
export function endpointsFor(
  apiUrl: string,
  given: { graphqlUrl?: string | undefined; serverUrl?: string | undefined } = {},
): GitHubEndpoints {
  const api = apiUrl.trim().replace(/\/+$/, '');
  return {
    apiUrl: api,
    graphqlUrl: given.graphqlUrl?.trim() || graphqlUrlFor(api),
    serverUrl: (given.serverUrl?.trim() || serverUrlFor(api)).replace(/\/+$/, ''),
  };
}

/** The web root beside a REST root: github.com for api.github.com, <sub>.ghe.com for api.<sub>.ghe.com, the host for GHES. */
function serverUrlFor(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.pathname.replace(/\/+$/, '').endsWith('/api/v3')) return url.origin;
  if (url.hostname.startsWith('api.')) return `${url.protocol}//${url.host.slice('api.'.length)}`;
  return url.origin;
}
