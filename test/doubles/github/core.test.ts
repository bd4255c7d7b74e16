import { getOctokit } from '@actions/github';
import { graphql } from '@octokit/graphql';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubDouble, type GitHubDouble } from './index.ts';

let gh: GitHubDouble;
let head: string;
const REF_ROUTE = 'GET /repos/{owner}/{repo}/git/ref/{ref}';

beforeAll(async () => {
  gh = await startGitHubDouble();
  const repo = await gh.repos.create('acme/app');
  head = await repo.commit({ files: { 'README.md': 'hello\n' }, date: '2024-05-01T00:00:00Z' });
});

afterEach(() => {
  gh.faults.clear();
  gh.requests.reset();
});

afterAll(async () => {
  gh.violations.length = 0; // the broken-shape test leaves one on purpose
  await gh.close();
});

describe('validation against GitHub OpenAPI', () => {
  it('answers a request body that violates the OpenAPI description with 422', async () => {
    const octokit = getOctokit('t', { baseUrl: gh.url });
    const error = await octokit
      .request('POST /repos/{owner}/{repo}/git/refs', {
        owner: 'acme',
        repo: 'app',
        ref: 'refs/heads/x',
        sha: 42 as unknown as string, // deliberately not a string
      })
      .catch(
        (e: unknown) =>
          e as { status: number; response: { data: { message: string; documentation_url: string } } },
      );
    expect(error).toMatchObject({
      status: 422,
      response: {
        data: {
          message: expect.stringMatching(/^Invalid request\.\n\n\/sha must be string/),
          documentation_url: 'https://docs.github.com/rest/git/refs#create-a-reference',
        },
      },
    });
    expect(await gh.repos.builder('acme/app').resolve('refs/heads/x')).toBeNull();
  });

  it('catches a response the double shapes wrongly and reports it as a violation', async () => {
    gh.faults.add({
      route: REF_ROUTE,
      transformResponse: (body) => ({ ...(body as object), object: undefined }),
    });
    const octokit = getOctokit('t', { baseUrl: gh.url });
    await expect(
      octokit.rest.git.getRef({ owner: 'acme', repo: 'app', ref: 'heads/main' }),
    ).rejects.toMatchObject({
      status: 500,
    });
    expect(gh.violations).toEqual([
      {
        route: REF_ROUTE,
        status: 200,
        message: expect.stringContaining("must have required property 'object'"),
      },
    ]);
    gh.violations.length = 0;
  });
});

describe('counters', () => {
  it('counts REST routes, GraphQL root fields and bytes', async () => {
    const octokit = getOctokit('t', { baseUrl: gh.url });
    await octokit.rest.git.getRef({ owner: 'acme', repo: 'app', ref: 'heads/main' });
    await octokit.rest.git.getRef({ owner: 'acme', repo: 'app', ref: 'heads/main' });
    await octokit.graphql(
      `query Batch { a: repository(owner: "acme", name: "app") { id } b: repository(owner: "acme", name: "app") { id } rateLimit { remaining } }`,
    );
    expect(gh.requests.count(REF_ROUTE)).toBe(2);
    expect(gh.requests.count('POST /graphql')).toBe(1);
    expect(gh.requests.count('graphql:repository')).toBe(2);
    expect(gh.requests.count('graphql:rateLimit')).toBe(1);
    expect(gh.requests.count('graphql operation:Batch')).toBe(1);
    expect(gh.requests.counts()).toEqual({
      [REF_ROUTE]: 2,
      'POST /graphql': 1,
      'graphql:repository': 2,
      'graphql:rateLimit': 1,
    });
    const graphqlRecord = gh.requests.records[2]!;
    expect(graphqlRecord.bytesIn).toBeGreaterThan(100);
    expect(gh.requests.bytesOut).toBe(gh.requests.records.reduce((n, r) => n + r.bytesOut, 0));
    expect(gh.requests.records[0]!.bytesOut).toBe(
      Buffer.byteLength(
        JSON.stringify(
          (await octokit.rest.git.getRef({ owner: 'acme', repo: 'app', ref: 'heads/main' })).data,
        ),
      ),
    );
  });
});

describe('faults', () => {
  it('injects a secondary rate limit that octokit throttling honours via retry-after', async () => {
    const waits: number[] = [];
    const octokit = getOctokit(
      't',
      {
        baseUrl: gh.url,
        throttle: {
          onRateLimit: () => false,
          onSecondaryRateLimit: (retryAfter: number) => {
            waits.push(retryAfter);
            return true;
          },
        },
      },
      throttling,
    );
    const fault = gh.faults.secondaryRateLimit(REF_ROUTE, { retryAfterSeconds: 1 });
    const response = await octokit.rest.git.getRef({ owner: 'acme', repo: 'app', ref: 'heads/main' });
    expect(response.data.object.sha).toBe(head);
    expect(waits).toEqual([1]);
    expect(fault.hits).toBe(1);
    expect(gh.requests.records.map((r) => r.status)).toEqual([403, 200]);
  });

  it('answers the secondary rate limit with GitHub shape (no plugin)', async () => {
    gh.faults.secondaryRateLimit('graphql:repository', { retryAfterSeconds: 7 });
    const client = graphql.defaults({ baseUrl: gh.url });
    const error = (await client(`{ repository(owner: "acme", name: "app") { id } }`).catch(
      (e: unknown) => e,
    )) as {
      status: number;
      response: { headers: Record<string, string>; data: { message: string } };
    };
    expect(error.status).toBe(403);
    expect(error.response.headers['retry-after']).toBe('7');
    expect(error.response.data.message).toMatch(/^You have exceeded a secondary rate limit/);
  });

  it('injects a primary rate limit with x-ratelimit-reset', async () => {
    const reset = Math.floor(Date.now() / 1000) + 1;
    gh.faults.primaryRateLimit(REF_ROUTE, { resetEpochSeconds: reset, times: 2 });
    const octokit = getOctokit('t', { baseUrl: gh.url });
    const error = (await octokit.rest.git
      .getRef({ owner: 'acme', repo: 'app', ref: 'heads/main' })
      .catch((e: unknown) => e)) as {
      status: number;
      response: { headers: Record<string, string> };
    };
    expect(error.status).toBe(403);
    expect(error.response.headers['x-ratelimit-remaining']).toBe('0');
    expect(error.response.headers['x-ratelimit-reset']).toBe(String(reset));
  });

  it('injects 5xx N times; octokit retry recovers after exactly N failures', async () => {
    const fault = gh.faults.serverError(REF_ROUTE, { status: 502, times: 2 });
    const octokit = getOctokit('t', { baseUrl: gh.url, retry: { retryAfterBaseValue: 1 } }, retry);
    const response = await octokit.rest.git.getRef({ owner: 'acme', repo: 'app', ref: 'heads/main' });
    expect(response.status).toBe(200);
    expect(fault.hits).toBe(2);
    expect(gh.requests.records.map((r) => r.status)).toEqual([502, 502, 200]);
  });

  it('drops the connection and adds latency', async () => {
    gh.faults.dropConnection(REF_ROUTE);
    const octokit = getOctokit('t', { baseUrl: gh.url });
    await expect(
      octokit.rest.git.getRef({ owner: 'acme', repo: 'app', ref: 'heads/main' }),
    ).rejects.toThrow();
    gh.faults.latency(REF_ROUTE, 150);
    const started = Date.now();
    await octokit.rest.git.getRef({ owner: 'acme', repo: 'app', ref: 'heads/main' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });
});

describe('tokens', () => {
  it('answers 401 for unknown tokens, 404 for hidden private repositories and 403 without write permission', async () => {
    const secured = await startGitHubDouble({
      tokens: {
        reader: { permissions: { contents: 'read' }, repositories: ['acme/public'] },
        writer: { permissions: { contents: 'write' }, scopes: ['repo'] },
      },
    });
    try {
      const pub = await secured.repos.create('acme/public');
      const sha = await pub.commit({ files: { a: 'a\n' } });
      await secured.repos.create('acme/secret', { private: true });
      const as = (token: string) => getOctokit(token, { baseUrl: secured.url });
      await expect(as('nope').rest.repos.get({ owner: 'acme', repo: 'public' })).rejects.toMatchObject({
        status: 401,
        response: { data: { message: 'Bad credentials' } },
      });
      await expect(as('reader').rest.repos.get({ owner: 'acme', repo: 'secret' })).rejects.toMatchObject({
        status: 404,
      });
      await expect(
        as('reader').rest.git.createRef({ owner: 'acme', repo: 'public', ref: 'refs/heads/b', sha }),
      ).rejects.toMatchObject({
        status: 403,
        response: {
          data: { message: 'Resource not accessible by integration' },
          headers: { 'x-accepted-github-permissions': 'contents=write' },
        },
      });
      const created = await as('writer').rest.git.createRef({
        owner: 'acme',
        repo: 'public',
        ref: 'refs/heads/b',
        sha,
      });
      expect(created.status).toBe(201);
      expect(created.headers['x-oauth-scopes']).toBe('repo');
      const mutation = await graphql(
        `
          mutation ($input: CreateCommitOnBranchInput!) {
            createCommitOnBranch(input: $input) {
              commit {
                oid
              }
            }
          }
        `,
        {
          baseUrl: secured.url,
          headers: { authorization: 'token reader' },
          input: {
            branch: { repositoryNameWithOwner: 'acme/public', branchName: 'main' },
            expectedHeadOid: sha,
            message: { headline: 'x' },
            fileChanges: { additions: [{ path: 'b', contents: Buffer.from('b').toString('base64') }] },
          },
        },
      ).catch((e: unknown) => e as { errors: unknown });
      expect((mutation as { errors: unknown }).errors).toEqual([
        {
          type: 'FORBIDDEN',
          path: ['createCommitOnBranch'],
          locations: [{ line: 3, column: 13 }],
          message: 'Resource not accessible by integration',
        },
      ]);
    } finally {
      await secured.close();
    }
  });
});

describe('hidden GraphQL fields', () => {
  it('answers a hidden mutation like GitHub answers an unknown field (GHES without createCommitOnBranch)', async () => {
    const ghes = await startGitHubDouble({ hiddenGraphqlFields: ['Mutation.createCommitOnBranch'] });
    try {
      const error = (await graphql(
        `
          mutation M($input: CreateCommitOnBranchInput!) {
            createCommitOnBranch(input: $input) {
              commit {
                oid
              }
            }
          }
        `,
        {
          baseUrl: ghes.url,
          input: {
            branch: { branchName: 'main' },
            expectedHeadOid: 'a'.repeat(40),
            message: { headline: 'x' },
          },
        },
      ).catch((e: unknown) => e)) as { errors: unknown };
      expect(error.errors).toEqual([
        {
          path: ['mutation M', 'createCommitOnBranch'],
          extensions: { code: 'undefinedField', typeName: 'Mutation', fieldName: 'createCommitOnBranch' },
          locations: [{ line: 3, column: 13 }],
          message: "Field 'createCommitOnBranch' doesn't exist on type 'Mutation'",
        },
      ]);
    } finally {
      await ghes.close();
    }
  });
});

describe('unimplemented GraphQL fields', () => {
  it('fails loudly on a non-null field the double does not resolve instead of inventing a value', async () => {
    const client = graphql.defaults({ baseUrl: gh.url });
    await expect(
      client(`{ repository(owner: "acme", name: "app") { stargazerCount } }`),
    ).rejects.toMatchObject({
      status: 500,
    });
    expect(gh.violations.map((v) => v.message)).toEqual([
      expect.stringContaining('GitHub double does not implement Repository.stargazerCount'),
    ]);
    gh.violations.length = 0;
  });
});
