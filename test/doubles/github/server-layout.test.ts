import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubDouble, type GitHubDouble } from './index.ts';

describe("layout 'ghes': REST under /api/v3, GraphQL at /api/graphql, web at the root", () => {
  let gh: GitHubDouble;
  let origin: string;
  let head: string;

  beforeAll(async () => {
    gh = await startGitHubDouble({ layout: 'ghes' });
    origin = new URL(gh.url).origin;
    const repo = await gh.repos.create('acme/app');
    head = await repo.commit({ files: { 'README.md': 'hi\n' }, date: '2024-05-01T00:00:00Z' });
    for (let i = 0; i < 3; i += 1) await repo.tag(`v1.0.${i}`, head);
  });

  afterAll(async () => {
    await gh.close();
  });

  it('reports the GHES endpoint shapes in url, graphqlUrl, serverUrl and env', () => {
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(gh.layout).toBe('ghes');
    expect(gh.url).toBe(`${origin}/api/v3`);
    expect(gh.graphqlUrl).toBe(`${origin}/api/graphql`);
    expect(gh.serverUrl).toBe(origin);
    expect(gh.env).toEqual({
      GITHUB_API_URL: `${origin}/api/v3`,
      GITHUB_GRAPHQL_URL: `${origin}/api/graphql`,
      GITHUB_SERVER_URL: origin,
    });
  });

  it('serves REST below /api/v3 with api and web URLs of the GHES shape', async () => {
    gh.requests.reset();
    const octokit = getOctokit('t', { baseUrl: gh.url });
    const { data } = await octokit.rest.repos.get({ owner: 'acme', repo: 'app' });
    expect(data.url).toBe(`${origin}/api/v3/repos/acme/app`);
    expect(data.html_url).toBe(`${origin}/acme/app`);
    expect(gh.requests.records.map((r) => [r.url, r.route, r.status])).toEqual([
      ['/api/v3/repos/acme/app', 'GET /repos/{owner}/{repo}', 200],
    ]);
    expect(gh.requests.count('GET /repos/{owner}/{repo}')).toBe(1);
  });

  it('keeps the /api/v3 prefix in pagination links', async () => {
    const octokit = getOctokit('t', { baseUrl: gh.url });
    const response = await octokit.request('GET /repos/{owner}/{repo}/tags', {
      owner: 'acme',
      repo: 'app',
      per_page: 1,
    });
    expect(response.headers.link).toBe(
      `<${origin}/api/v3/repos/acme/app/tags?per_page=1&page=2>; rel="next", <${origin}/api/v3/repos/acme/app/tags?per_page=1&page=3>; rel="last"`,
    );
    const all = await octokit.paginate('GET /repos/{owner}/{repo}/tags', {
      owner: 'acme',
      repo: 'app',
      per_page: 1,
    });
    expect(all.map((t) => t.name).sort()).toEqual(['v1.0.0', 'v1.0.1', 'v1.0.2']);
  });

  it('answers GraphQL at /api/graphql, where octokit derives it from the /api/v3 base', async () => {
    gh.requests.reset();
    const octokit = getOctokit('t', { baseUrl: gh.url });
    const data = await octokit.graphql<{
      repository: { url: string; object: { oid: string; url: string } };
    }>(
      `query($oid: GitObjectID!) { repository(owner: "acme", name: "app") { url object(oid: $oid) { oid ... on Commit { url } } } }`,
      { oid: head },
    );
    expect(data.repository).toEqual({
      url: `${origin}/acme/app`,
      object: { oid: head, url: `${origin}/acme/app/commit/${head}` },
    });
    expect(gh.requests.records.map((r) => [r.method, r.url, r.route])).toEqual([
      ['POST', '/api/graphql', 'POST /graphql'],
    ]);
  });

  it('answers 404 outside the API paths (the github.com shapes, a bare /api/v3)', async () => {
    gh.requests.reset();
    const probe = async (method: string, path: string, body?: string) => {
      const response = await fetch(`${origin}${path}`, { method, ...(body ? { body } : {}) });
      return [path, response.status, ((await response.json()) as { message: string }).message];
    };
    const query = JSON.stringify({ query: '{ rateLimit { limit } }' });
    expect(await probe('GET', '/repos/acme/app')).toEqual(['/repos/acme/app', 404, 'Not Found']);
    expect(await probe('POST', '/graphql', query)).toEqual(['/graphql', 404, 'Not Found']);
    expect(await probe('GET', '/api/v3')).toEqual(['/api/v3', 404, 'Not Found']);
    expect(await probe('GET', '/api/v3repos/acme/app')).toEqual(['/api/v3repos/acme/app', 404, 'Not Found']);
    expect(gh.requests.records.map((r) => r.route)).toEqual([
      'unmatched',
      'unmatched',
      'unmatched',
      'unmatched',
    ]);
  });

  it('applies faults by the same route keys as the root layout', async () => {
    gh.faults.serverError('GET /repos/{owner}/{repo}', { status: 502 });
    gh.faults.serverError('POST /graphql', { status: 503 });
    const octokit = getOctokit('t', { baseUrl: gh.url, request: { retries: 0 } });
    await expect(octokit.rest.repos.get({ owner: 'acme', repo: 'app' })).rejects.toMatchObject({
      status: 502,
    });
    await expect(octokit.graphql('{ rateLimit { limit } }')).rejects.toMatchObject({ status: 503 });
    const { data } = await octokit.rest.repos.get({ owner: 'acme', repo: 'app' });
    expect(data.full_name).toBe('acme/app');
  });
});

describe("layout 'ghe.com' (and the default): API at the origin's root, web at /web", () => {
  it('has the api.<sub>.ghe.com shapes: REST at the root, GraphQL at /graphql', async () => {
    const gh = await startGitHubDouble({ layout: 'ghe.com' });
    try {
      const origin = new URL(gh.url).origin;
      expect([gh.url, gh.graphqlUrl, gh.serverUrl]).toEqual([origin, `${origin}/graphql`, `${origin}/web`]);
      await gh.repos.create('acme/app');
      const octokit = getOctokit('t', { baseUrl: gh.url });
      const { data } = await octokit.rest.repos.get({ owner: 'acme', repo: 'app' });
      expect(data.html_url).toBe(`${origin}/web/acme/app`);
      const response = await fetch(`${origin}/api/v3/repos/acme/app`);
      expect(response.status).toBe(404);
    } finally {
      await gh.close();
    }
  });

  it('keeps the default layout unchanged', async () => {
    const gh = await startGitHubDouble();
    try {
      const origin = new URL(gh.url).origin;
      expect(gh.layout).toBe('github.com');
      expect(gh.env).toEqual({
        GITHUB_API_URL: origin,
        GITHUB_GRAPHQL_URL: `${origin}/graphql`,
        GITHUB_SERVER_URL: `${origin}/web`,
      });
    } finally {
      await gh.close();
    }
  });
});
