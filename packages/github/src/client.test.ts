import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubDouble, type GitHubDouble } from '../../../test/doubles/github/index.ts';
import { startForwardProxy, type ForwardProxy } from '../../../test/doubles/forward-proxy/forward-proxy.ts';
import { createGitHub, type GitHubOptions } from './client.ts';
import { clientOnDouble } from '../../../test/doubles/github/client.ts';
import { endpointsFor, githubEndpoints } from './endpoints.ts';
import {
  GitHubError,
  GitHubNoResponseError,
  GitHubNotFoundError,
  GitHubPermissionError,
  GitHubRateLimitError,
  GitHubTimeoutError,
} from './errors.ts';

const REPO_ROUTE = 'GET /repos/{owner}/{repo}';
let gh: GitHubDouble;

beforeAll(async () => {
  gh = await startGitHubDouble({
    tokens: { ghs_full: {}, ghs_read: { permissions: { contents: 'read', metadata: 'read' } } },
  });
  await gh.repos.create('acme/ops');
});
afterAll(() => gh.close());
beforeEach(() => gh.faults.clear());

/** A client on the double; waits shrunk (a retry-after "second" is 1 ms), every wait recorded. */
function client(options: Partial<GitHubOptions> = {}) {
  const log: string[] = [];
  const sleeps: number[] = [];
  const github = clientOnDouble(gh, {
    token: 'ghs_full',
    retries: 3,
    retryAfterUnitMs: 1,
    log: (line) => log.push(line),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { github, log, sleeps };
}

const failure = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );

const getRepo = { owner: 'acme', repo: 'ops' };

describe('rate limits and retries', () => {
  it('waits out a secondary rate limit (403 + retry-after) and retries', async () => {
    const fault = gh.faults.secondaryRateLimit(REPO_ROUTE, { retryAfterSeconds: 7, times: 2 });
    const { github, log } = client();
    const repo = await github.rest<{ full_name: string }>(REPO_ROUTE, getRepo);
    expect(repo.full_name).toBe('acme/ops');
    expect(fault.hits).toBe(2);
    expect(github.requests()).toBe(3);
    // retry-after 7, not the plugin's 60 s fallback
    expect(log.filter((line) => /secondary rate limit.*retrying in 7 s/.test(line))).toHaveLength(2);
  });

  it('waits for the reset of an exhausted primary limit', async () => {
    gh.faults.primaryRateLimit(REPO_ROUTE, { resetEpochSeconds: Math.floor(Date.now() / 1000) + 2 });
    const { github, log } = client();
    await github.rest(REPO_ROUTE, getRepo);
    expect(github.requests()).toBe(2);
    expect(log.join('\n')).toMatch(/primary rate limit on GET \S*; retrying in [1-3] s/);
  });

  it('waits out a GraphQL secondary rate limit', async () => {
    gh.faults.secondaryRateLimit('graphql:repository', { retryAfterSeconds: 3 });
    const { github } = client();
    const data = await github.graphql<{ repository: { nameWithOwner: string } }>(
      'query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { nameWithOwner } }',
      { owner: 'acme', name: 'ops' },
    );
    expect(data.repository.nameWithOwner).toBe('acme/ops');
    expect(github.requests()).toBe(2);
  });

  it.each(['github.com', 'ghes'] as const)(
    'waits out an exhausted GraphQL limit (200 with a RATE_LIMITED error) on %s',
    async (layout) => {
      const server = layout === 'ghes' ? await startGitHubDouble({ layout: 'ghes' }) : gh;
      try {
        if (server !== gh) await server.repos.create('acme/ops');
        server.faults.add({
          route: 'graphql:repository',
          status: 200,
          headers: {
            'x-ratelimit-limit': '5000',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)),
            'x-ratelimit-resource': 'graphql',
          },
          body: { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for user ID 1.' }] },
        });
        const github = clientOnDouble(server, { token: 'ghs_full', retries: 3, retryAfterUnitMs: 1 });
        const data = await github.graphql<{ repository: { name: string } }>(
          'query { repository(owner: "acme", name: "ops") { name } }',
        );
        expect(data.repository.name).toBe('ops');
        expect(github.requests()).toBe(2);
        expect(new URL(github.endpoints.graphqlUrl).pathname).toBe(
          layout === 'ghes' ? '/api/graphql' : '/graphql',
        );
      } finally {
        if (server !== gh) await server.close();
      }
    },
  );

  it('retries a 429 after its retry-after', async () => {
    gh.faults.add({
      route: REPO_ROUTE,
      times: 2,
      status: 429,
      headers: { 'retry-after': '11' },
      body: { message: 'Too many requests' },
    });
    const { github, sleeps } = client();
    await github.rest(REPO_ROUTE, getRepo);
    expect(sleeps).toEqual([11, 11]); // 11 "seconds" of 1 ms
    expect(github.requests()).toBe(3);
  });

  it('gives up with a GitHubRateLimitError carrying the wait GitHub asked for', async () => {
    gh.faults.add({
      route: REPO_ROUTE,
      times: Infinity,
      status: 429,
      headers: { 'retry-after': '30' },
      body: { message: 'Too many requests' },
    });
    const { github, sleeps } = client({ rateLimitRetries: 2 });
    const error = await failure(github.rest(REPO_ROUTE, getRepo));
    expect(error).toBeInstanceOf(GitHubRateLimitError);
    expect((error as GitHubRateLimitError).retryAfterMs).toBe(30_000);
    expect((error as GitHubRateLimitError).status).toBe(429);
    expect(sleeps).toHaveLength(2);
  });

  it('does not make a rate-limit wait longer than the cap', async () => {
    gh.faults.secondaryRateLimit(REPO_ROUTE, { retryAfterSeconds: 900, times: Infinity });
    const { github, log } = client({ maxRateLimitWaitMs: 60_000 });
    const error = await failure(github.rest(REPO_ROUTE, getRepo));
    expect(error).toBeInstanceOf(GitHubRateLimitError);
    expect((error as GitHubRateLimitError).retryAfterMs).toBe(900_000);
    expect(github.requests()).toBe(1);
    expect(log.join('\n')).toMatch(/not waiting 900 s/);
  });

  it('retries a 502 and a dropped connection, and stops after `retries`', async () => {
    gh.faults.serverError(REPO_ROUTE, { status: 502 });
    const { github } = client({ retries: 2 });
    await github.rest(REPO_ROUTE, getRepo);
    expect(github.requests()).toBe(2);
    gh.faults.dropConnection(REPO_ROUTE);
    await github.rest(REPO_ROUTE, getRepo);
    expect(github.requests()).toBe(4);

    gh.faults.serverError(REPO_ROUTE, { status: 503, times: Infinity });
    const { github: again } = client({ retries: 1 });
    const error = await failure(again.rest(REPO_ROUTE, getRepo));
    expect(error).toBeInstanceOf(GitHubError);
    expect((error as GitHubError).status).toBe(503);
    expect(again.requests()).toBe(2);
  });
});

describe('typed errors', () => {
  it('404 is GitHubNotFoundError, REST and GraphQL', async () => {
    const { github } = client({ retries: 0 });
    const rest = await failure(github.rest(REPO_ROUTE, { owner: 'acme', repo: 'absent' }));
    expect(rest).toBeInstanceOf(GitHubNotFoundError);
    expect((rest as GitHubNotFoundError).status).toBe(404);
    expect((rest as GitHubNotFoundError).message).toBe('GitHub GET request failed with HTTP 404: Not Found');
    const graphql = await failure(
      github.graphql('query { repository(owner: "acme", name: "absent") { id } }'),
    );
    expect(graphql).toBeInstanceOf(GitHubNotFoundError);
    expect((graphql as GitHubNotFoundError).errors[0]?.type).toBe('NOT_FOUND');
  });

  it("a 422 names GitHub's details (errors[]) after its message", async () => {
    const refs = await gh.repos.create('acme/refs');
    const sha = await refs.commit({ files: { 'README.md': 'refs\n' } });
    await refs.branch('same', sha);
    gh.tokens.set('ghs_writer', {
      permissions: { contents: 'write', pull_requests: 'write', metadata: 'read' },
    });
    const { github } = client({ token: 'ghs_writer', retries: 0 });
    const error = await failure(
      github.rest('POST /repos/{owner}/{repo}/pulls', {
        owner: 'acme',
        repo: 'refs',
        title: 'nothing to merge',
        head: 'same',
        base: 'main',
      }),
    );
    expect(error).toBeInstanceOf(GitHubError);
    expect((error as GitHubError).status).toBe(422);
    expect((error as GitHubError).message).toBe(
      'GitHub POST request failed with HTTP 422: Validation Failed; No commits between main and same',
    );
  });

  it('a write without permission is GitHubPermissionError naming the permission GitHub accepts', async () => {
    const { github } = client({ token: 'ghs_read', retries: 0 });
    const error = await failure(
      github.rest('POST /repos/{owner}/{repo}/git/refs', {
        ...getRepo,
        ref: 'refs/heads/x',
        sha: '0'.repeat(40),
      }),
    );
    expect(error).toBeInstanceOf(GitHubPermissionError);
    expect((error as GitHubPermissionError).status).toBe(403);
    expect((error as GitHubPermissionError).accepted).toBe('contents=write');
    expect((error as GitHubPermissionError).hint).toContain('contents=write');
  });

  it('a bad token is GitHubPermissionError with status 401', async () => {
    const { github } = client({ token: 'ghs_unknown', retries: 0 });
    const error = await failure(github.rest(REPO_ROUTE, getRepo));
    expect(error).toBeInstanceOf(GitHubPermissionError);
    expect((error as GitHubPermissionError).status).toBe(401);
  });

  it('a request without an answer in time is GitHubTimeoutError naming the URL', async () => {
    gh.faults.latency(REPO_ROUTE, 3_000, { times: 1 });
    const { github } = client({ timeoutMs: 200, retries: 0 });
    const error = await failure(github.rest(REPO_ROUTE, getRepo));
    expect(error).toBeInstanceOf(GitHubTimeoutError);
    expect((error as GitHubTimeoutError).message).toBe(
      `GitHub GET request to ${gh.url}/repos/acme/ops got no response within 200 ms`,
    );
  });
});

describe('endpoints', () => {
  it('derives the GHES GraphQL and web roots from GITHUB_API_URL, and the client reaches both APIs', async () => {
    const ghes = await startGitHubDouble({ layout: 'ghes' });
    try {
      await ghes.repos.create('acme/ops');
      const endpoints = githubEndpoints({ GITHUB_API_URL: ghes.url });
      expect(endpoints).toEqual({ apiUrl: ghes.url, graphqlUrl: ghes.graphqlUrl, serverUrl: ghes.serverUrl });
      const github = createGitHub({ token: 't', endpoints, retries: 0 });
      expect(await github.rest<{ full_name: string }>(REPO_ROUTE, getRepo)).toMatchObject({
        full_name: 'acme/ops',
      });
      const data = await github.graphql<{ repository: { name: string } }>(
        'query { repository(owner: "acme", name: "ops") { name } }',
      );
      expect(data.repository.name).toBe('ops');
    } finally {
      await ghes.close();
    }
  });

  it('honours GITHUB_GRAPHQL_URL and GITHUB_SERVER_URL over the derived ones', () => {
    expect(
      githubEndpoints({
        GITHUB_API_URL: 'https://ghes.example/api/v3/',
        GITHUB_GRAPHQL_URL: 'https://graphql.ghes.example/graphql',
        GITHUB_SERVER_URL: 'https://web.ghes.example/',
      }),
    ).toEqual({
      apiUrl: 'https://ghes.example/api/v3',
      graphqlUrl: 'https://graphql.ghes.example/graphql',
      serverUrl: 'https://web.ghes.example',
    });
  });

  it('github.com and GHE.com roots', () => {
    expect(githubEndpoints({})).toEqual({
      apiUrl: 'https://api.github.com',
      graphqlUrl: 'https://api.github.com/graphql',
      serverUrl: 'https://github.com',
    });
    expect(githubEndpoints({ GITHUB_API_URL: 'https://api.octo.ghe.com' })).toEqual({
      apiUrl: 'https://api.octo.ghe.com',
      graphqlUrl: 'https://api.octo.ghe.com/graphql',
      serverUrl: 'https://octo.ghe.com',
    });
    expect(endpointsFor('https://api.octo.ghe.com').serverUrl).toBe('https://octo.ghe.com');
  });
});

describe('proxy', () => {
  let proxy: ForwardProxy;
  const saved = { ...process.env };
  beforeAll(async () => {
    proxy = await startForwardProxy();
    proxy.route('api.proxied.test', Number(new URL(gh.url).port));
  });
  afterAll(async () => {
    for (const name of ['http_proxy', 'https_proxy', 'no_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY'])
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    await proxy.close();
  });
  const proxiedUrl = () => `http://api.proxied.test:${new URL(gh.url).port}`;

  it('sends REST and GraphQL through HTTP(S)_PROXY', async () => {
    Object.assign(process.env, proxy.env());
    proxy.log.length = 0;
    const { github } = client({ endpoints: endpointsFor(proxiedUrl()), retries: 0 });
    await github.rest(REPO_ROUTE, getRepo);
    await github.graphql('query { repository(owner: "acme", name: "ops") { id } }');
    const through = proxy.log.filter(
      (entry) => entry.host === 'api.proxied.test' && entry.kind !== 'connect',
    );
    expect(through.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      'GET /repos/acme/ops 200',
      'POST /graphql 200',
    ]);
  });

  it('goes direct for a NO_PROXY host (which here cannot resolve)', async () => {
    Object.assign(process.env, proxy.env({ noProxy: 'api.proxied.test' }));
    proxy.log.length = 0;
    const { github } = client({ endpoints: endpointsFor(proxiedUrl()), retries: 0 });
    const error = await failure(github.rest(REPO_ROUTE, getRepo));
    expect(error).toBeInstanceOf(GitHubNoResponseError);
    expect((error as Error).message).toMatch(
      /got no response: getaddrinfo (ENOTFOUND|EAI_AGAIN) api\.proxied\.test/,
    );
    expect(proxy.log).toEqual([]);
  });
});
