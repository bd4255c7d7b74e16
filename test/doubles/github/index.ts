/**
 * GitHub API double: a loopback HTTP server speaking GitHub's REST and GraphQL
 * wire formats, backed by real git repositories, validated against GitHub's
 * OpenAPI description and GraphQL schema. See README.md.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultInjector } from './faults.ts';
import { RepoStore } from './repo-store.ts';
import { RequestLog } from './request-log.ts';
import type { DoubleState, RestRoute } from './rest-route.ts';
import { RouteTable } from './route-table.ts';
import { startCoreServer, type ApiPaths, type OpenApiViolation } from './server.ts';
import { TokenRegistry, type TokenGrant } from './tokens.ts';
import { commitRoutes } from './routes/commits.ts';
import { checkRunRoutes } from './routes/check-runs.ts';
import { commitStatusRoutes } from './routes/commit-statuses.ts';
import { gitTagRoutes } from './routes/git-tags.ts';
import { refRoutes } from './routes/refs.ts';
import { repoRoutes } from './routes/repos.ts';
import { contentRoutes } from './routes/contents.ts';
import { gitDataRoutes } from './routes/git-data.ts';
import { gitRefWriteRoutes } from './routes/git-refs.ts';
import { pullRoutes } from './routes/pulls.ts';
import { issueRoutes } from './routes/issues.ts';
import { repoIssueRoutes } from './routes/repo-issues.ts';
import { pullFileRoutes } from './routes/pull-files.ts';
import { issueCommentRoutes } from './routes/issue-comments.ts';
import { releaseRoutes } from './routes/releases.ts';
import { collaboratorRoutes } from './routes/collaborators.ts';

export type { FaultSpec, FaultHandle, FaultRequest } from './faults.ts';
export type { AdvisoryRecord } from './graphql/advisory-resolvers.ts';
import type { AdvisoryRecord } from './graphql/advisory-resolvers.ts';
export type { RequestRecord } from './request-log.ts';
export type { TokenGrant, PermissionCategory, AccessLevel } from './tokens.ts';
export type { CommitSpec, AnnotatedTagSpec, ReleaseSpec } from './repo-builder.ts';
export type { ReleaseRecord } from './release-record.ts';
export type { PullRequestRecord } from './pull-request-record.ts';
export type { IssueRecord, IssueCommentRecord } from './issue-record.ts';
export type { CreateRepoOptions, HostedRepo } from './repo-store.ts';
export type { ApiPaths, OpenApiViolation } from './server.ts';
export { RepoBuilder } from './repo-builder.ts';
export { FaultInjector } from './faults.ts';
export { RequestLog } from './request-log.ts';
export { TokenRegistry } from './tokens.ts';
export { RepoStore } from './repo-store.ts';

export interface GitHubDoubleOptions {
  /** token -> grant. Without tokens every request (even anonymous) has full access. */
  tokens?: Record<string, TokenGrant>;
  /** Primary rate limit reported in x-ratelimit-* headers and /rate_limit (default 5000). */
  rateLimit?: number;
  /**
   * GraphQL fields (`Type.field`) to act as absent, e.g. `['Mutation.createCommitOnBranch']` for a
   * GitHub Enterprise Server before 3.6: queries using them fail validation like an unknown field.
   */
  hiddenGraphqlFields?: string[];
  /**
   * Where the API sits on the origin (see README, "Server layouts"): 'github.com' (default) and
   * 'ghe.com' serve REST at the root and GraphQL at /graphql, with the web at /web; 'ghes' serves
   * REST under /api/v3 and GraphQL at /api/graphql, with the web at the root, as GitHub Enterprise
   * Server does. Requests outside the API paths get 404.
   */
  layout?: ServerLayout;
}

export type ServerLayout = 'github.com' | 'ghe.com' | 'ghes';

/** API paths and the web base path of each layout (one loopback origin serves all three). */
const LAYOUTS: Record<ServerLayout, ApiPaths & { web: string }> = {
  'github.com': { rest: '', graphql: '/graphql', web: '/web' },
  // GHE.com: https://api.<sub>.ghe.com and https://api.<sub>.ghe.com/graphql; the web at https://<sub>.ghe.com
  'ghe.com': { rest: '', graphql: '/graphql', web: '/web' },
  ghes: { rest: '/api/v3', graphql: '/api/graphql', web: '' },
};

export interface GitHubDouble {
  /** REST base URL (GITHUB_API_URL), e.g. http://127.0.0.1:40123 (ghes: http://127.0.0.1:40123/api/v3) */
  url: string;
  /** GraphQL endpoint (GITHUB_GRAPHQL_URL): `${url}/graphql` (ghes: `${origin}/api/graphql`) */
  graphqlUrl: string;
  /** Web base URL (GITHUB_SERVER_URL) used in html_url values: `${url}/web` (ghes: the origin). */
  serverUrl: string;
  layout: ServerLayout;
  env: { GITHUB_API_URL: string; GITHUB_GRAPHQL_URL: string; GITHUB_SERVER_URL: string };
  repos: RepoStore;
  requests: RequestLog;
  faults: FaultInjector;
  tokens: TokenRegistry;
  /** Responses the double produced that broke GitHub's OpenAPI description (or double crashes). */
  violations: OpenApiViolation[];
  /** Advisory Database entries (`securityVulnerabilities`); push to add one. */
  advisories: AdvisoryRecord[];
  /** Stops the server and deletes the repositories; rejects when there were violations. */
  close(): Promise<void>;
}

const ALL_ROUTES: RestRoute[] = [
  ...repoRoutes,
  ...refRoutes,
  ...gitTagRoutes,
  ...commitRoutes,
  ...commitStatusRoutes,
  ...checkRunRoutes,
  ...contentRoutes,
  ...gitDataRoutes,
  ...gitRefWriteRoutes,
  ...pullRoutes,
  ...issueRoutes,
  ...repoIssueRoutes,
  ...pullFileRoutes,
  ...issueCommentRoutes,
  ...releaseRoutes,
  ...collaboratorRoutes,
];

export async function startGitHubDouble(options: GitHubDoubleOptions = {}): Promise<GitHubDouble> {
  const root = await mkdtemp(join(tmpdir(), 'github-double-'));
  const store = new RepoStore(root);
  const routes = new RouteTable();
  routes.register(ALL_ROUTES);
  const state: DoubleState = {
    store,
    apiUrl: '',
    serverUrl: '',
    hiddenGraphqlFields: new Set(options.hiddenGraphqlFields ?? []),
    advisories: [],
    rateLimit: {
      limit: options.rateLimit ?? 5000,
      used: 0,
      graphqlUsed: 0,
      reset: Math.floor(Date.now() / 1000) + 3600,
    },
  };
  const requests = new RequestLog();
  const faults = new FaultInjector();
  const tokens = new TokenRegistry(options.tokens);
  const violations: OpenApiViolation[] = [];
  const layout = options.layout ?? 'github.com';
  const paths = LAYOUTS[layout];
  const server = await startCoreServer({ state, paths, routes, tokens, faults, requests, violations });
  state.apiUrl = `${server.url}${paths.rest}`;
  state.serverUrl = `${server.url}${paths.web}`;
  const graphqlUrl = `${server.url}${paths.graphql}`;
  return {
    url: state.apiUrl,
    graphqlUrl,
    serverUrl: state.serverUrl,
    layout,
    env: { GITHUB_API_URL: state.apiUrl, GITHUB_GRAPHQL_URL: graphqlUrl, GITHUB_SERVER_URL: state.serverUrl },
    repos: store,
    requests,
    faults,
    tokens,
    violations,
    advisories: state.advisories,
    async close() {
      await server.close();
      await store.dispose();
      if (violations.length > 0) {
        throw new Error(`GitHub double violations:\n${violations.map((v) => `- ${v.message}`).join('\n')}`);
      }
    },
  };
}
