import { graphql } from '@octokit/graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubDouble, type GitHubDouble } from './index.ts';
import { buildReadFixture, type ReadFixture } from './read-fixture.ts';

let gh: GitHubDouble;
let c1: string;
let c2: string;
let annotatedV1: string;
let impostor: string;

beforeAll(async () => {
  gh = await startGitHubDouble();
  const fixture: ReadFixture = await buildReadFixture(gh);
  ({ c1, c2, annotatedV1, impostor } = fixture);
}, 30_000);

afterAll(async () => {
  await gh.close();
});

describe('GraphQL read side', () => {
  it('resolves aliased repositories, lightweight and annotated tags, and reports NOT_FOUND per alias', async () => {
    const client = graphql.defaults({ baseUrl: gh.url, headers: { authorization: 'token t' } });
    const query = `query Pins {
      a: repository(owner: "actions", name: "checkout") {
        nameWithOwner isFork
        light: ref(qualifiedName: "refs/tags/v1") { name prefix target { __typename oid } }
        annotated: ref(qualifiedName: "v1.0.0") {
          name prefix
          target { __typename oid ... on Tag { target { oid __typename } } }
        }
        branch: ref(qualifiedName: "main") { prefix target { ... on Commit { oid committedDate } } }
        missing: ref(qualifiedName: "refs/tags/v9") { name }
        defaultBranchRef { name target { oid } }
      }
      b: repository(owner: "actions", name: "nope") { id }
    }`;
    const error = await client(query).then(
      () => null,
      (e: unknown) => e as { data: unknown; errors: unknown },
    );
    expect(error?.errors).toEqual([
      {
        type: 'NOT_FOUND',
        path: ['b'],
        locations: [{ line: 13, column: 7 }],
        message: "Could not resolve to a Repository with the name 'actions/nope'.",
      },
    ]);
    expect(error?.data).toEqual({
      a: {
        nameWithOwner: 'actions/checkout',
        isFork: false,
        light: { name: 'v1', prefix: 'refs/tags/', target: { __typename: 'Commit', oid: c1 } },
        annotated: {
          name: 'v1.0.0',
          prefix: 'refs/tags/',
          target: { __typename: 'Tag', oid: annotatedV1, target: { oid: c1, __typename: 'Commit' } },
        },
        branch: { prefix: 'refs/heads/', target: { oid: c2, committedDate: '2024-02-01T00:00:00Z' } },
        missing: null,
        defaultBranchRef: { name: 'main', target: { oid: c2 } },
      },
      b: null,
    });
    expect(gh.requests.count('graphql:repository')).toBeGreaterThanOrEqual(2);
  });

  it('pages refs ordered by tag commit date and reads objects by oid and expression', async () => {
    const client = graphql.defaults({ baseUrl: gh.url });
    const page = async (after: string | null) =>
      client<{
        repository: {
          refs: {
            nodes: Array<{ name: string }>;
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
          };
        };
      }>(
        `query($after: String) { repository(owner: "actions", name: "checkout") {
          refs(refPrefix: "refs/tags/", first: 2, after: $after, orderBy: { field: TAG_COMMIT_DATE, direction: DESC }) {
            nodes { name } pageInfo { hasNextPage endCursor } } } }`,
        { after },
      );
    const first = await page(null);
    expect(first.repository.refs.nodes.map((n) => n.name)).toEqual(['v2', 'v1']);
    expect(first.repository.refs.pageInfo.hasNextPage).toBe(true);
    const second = await page(first.repository.refs.pageInfo.endCursor);
    expect(second.repository.refs.nodes.map((n) => n.name)).toEqual(['v1.0.0']);
    expect(second.repository.refs.pageInfo.hasNextPage).toBe(false);

    const objects = await client<Record<string, unknown>>(
      `query($oid: GitObjectID!) { repository(owner: "actions", name: "checkout") {
        isFork parent { nameWithOwner }
        impostor: object(oid: $oid) { __typename ... on Commit { messageHeadline } }
        blob: object(expression: "main:action.yml") { ... on Blob { text byteSize isBinary oid } }
        none: object(expression: "main:missing.txt") { oid }
        head: object(expression: "main") {
          ... on Commit {
            file(path: "action.yml") { name path mode object { ... on Blob { text } } }
            missing: file(path: "nope.yml") { mode }
          }
        }
      } }`,
      { oid: impostor },
    );
    expect(objects.repository).toEqual({
      isFork: false,
      parent: null,
      impostor: { __typename: 'Commit', messageHeadline: 'evil' },
      blob: {
        text: 'name: two\n',
        byteSize: 10,
        isBinary: false,
        oid: await gh.repos.builder('actions/checkout').resolve('main:action.yml'),
      },
      none: null,
      head: {
        file: { name: 'action.yml', path: 'action.yml', mode: 0o100644, object: { text: 'name: two\n' } },
        missing: null,
      },
    });
  });

  it('answers an unknown token with 401 Bad credentials', async () => {
    const secured = await startGitHubDouble({ tokens: { good: {} } });
    try {
      const error = (await graphql('{ rateLimit { remaining } }', {
        baseUrl: secured.url,
        headers: { authorization: 'token bad' },
      }).catch((e: unknown) => e)) as { status: number; response: { data: { message: string } } };
      expect(error.status).toBe(401);
      expect(error.response.data.message).toBe('Bad credentials');
    } finally {
      await secured.close();
    }
  });

  it('rejects unknown fields with GitHub validation error shape', async () => {
    const client = graphql.defaults({ baseUrl: gh.url });
    const error = (await client(`query { repository(owner: "a", name: "b") { foo } }`).catch(
      (e: unknown) => e,
    )) as {
      errors: unknown;
    };
    expect(error.errors).toEqual([
      {
        path: ['query', 'repository', 'foo'],
        extensions: { code: 'undefinedField', typeName: 'Repository', fieldName: 'foo' },
        locations: [{ line: 1, column: 45 }],
        message: "Field 'foo' doesn't exist on type 'Repository'",
      },
    ]);
  });
});
