import { getOctokit } from '@actions/github';
import { graphql } from '@octokit/graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubDouble, type GitHubDouble } from './index.ts';
import { buildReadFixture, type ReadFixture } from './read-fixture.ts';

let gh: GitHubDouble;
let c1: string;
let c2: string;
let c3: string;
let annotatedV1: string;
let impostor: string;

beforeAll(async () => {
  gh = await startGitHubDouble();
  const fixture: ReadFixture = await buildReadFixture(gh);
  ({ c1, c2, c3, annotatedV1, impostor } = fixture);
}, 30_000);

afterAll(async () => {
  await gh.close();
});

describe('REST read side', () => {
  it('serves repository, refs and tags that octokit parses', async () => {
    const octokit = getOctokit('t', { baseUrl: gh.url });
    const repo = await octokit.rest.repos.get({ owner: 'actions', repo: 'checkout' });
    expect(repo.data.full_name).toBe('actions/checkout');
    expect(repo.data.default_branch).toBe('main');
    expect(repo.data.fork).toBe(false);
    const fork = await octokit.rest.repos.get({ owner: 'evil', repo: 'checkout' });
    expect(fork.data.fork).toBe(true);
    expect(fork.data.parent?.full_name).toBe('actions/checkout');

    const light = await octokit.rest.git.getRef({ owner: 'actions', repo: 'checkout', ref: 'tags/v1' });
    expect(light.data.object).toMatchObject({ type: 'commit', sha: c1 });
    const annotated = await octokit.rest.git.getRef({
      owner: 'actions',
      repo: 'checkout',
      ref: 'tags/v1.0.0',
    });
    expect(annotated.data.object).toMatchObject({ type: 'tag', sha: annotatedV1 });
    const tag = await octokit.rest.git.getTag({ owner: 'actions', repo: 'checkout', tag_sha: annotatedV1 });
    expect(tag.data).toMatchObject({
      tag: 'v1.0.0',
      message: 'first release\n',
      object: { sha: c1, type: 'commit' },
    });
    expect(tag.data.tagger.date).toBe('2024-01-02T00:00:00Z');

    const matching = await octokit.rest.git.listMatchingRefs({
      owner: 'actions',
      repo: 'checkout',
      ref: 'tags/v1',
    });
    expect(matching.data.map((r) => r.ref)).toEqual(['refs/tags/v1', 'refs/tags/v1.0.0']);
    const tags = await octokit.paginate(octokit.rest.repos.listTags, {
      owner: 'actions',
      repo: 'checkout',
      per_page: 2,
    });
    expect(tags.map((t) => [t.name, t.commit.sha])).toEqual([
      ['v2', c2],
      ['v1.0.0', c1],
      ['v1', c1],
    ]);
    const branches = await octokit.rest.repos.listBranches({ owner: 'actions', repo: 'checkout' });
    expect(branches.data.map((b) => [b.name, b.commit.sha])).toEqual([
      ['feature', c3],
      ['main', c2],
    ]);
    await expect(
      octokit.rest.git.getRef({ owner: 'actions', repo: 'checkout', ref: 'tags/nope' }),
    ).rejects.toMatchObject({
      status: 404,
      response: {
        data: {
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest/git/refs#get-a-reference',
        },
      },
    });
  });

  it('resolves commits by sha, branch and tag and reports missing ones with 422', async () => {
    const octokit = getOctokit('t', { baseUrl: gh.url });
    const byTag = await octokit.rest.repos.getCommit({ owner: 'actions', repo: 'checkout', ref: 'v1.0.0' });
    expect(byTag.data.sha).toBe(c1);
    const byBranch = await octokit.rest.repos.getCommit({ owner: 'actions', repo: 'checkout', ref: 'main' });
    expect(byBranch.data).toMatchObject({ sha: c2, parents: [{ sha: c1 }], commit: { message: 'two' } });
    await expect(
      octokit.rest.repos.getCommit({ owner: 'actions', repo: 'checkout', ref: 'f'.repeat(40) }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining(`No commit found for SHA: ${'f'.repeat(40)}`),
    });
  });

  it('computes compare status with merge-base, including impostor commits from a fork', async () => {
    const octokit = getOctokit('t', { baseUrl: gh.url });
    const compare = async (basehead: string) =>
      (await octokit.rest.repos.compareCommitsWithBasehead({ owner: 'actions', repo: 'checkout', basehead }))
        .data;
    expect(await compare(`main...main`)).toMatchObject({ status: 'identical', ahead_by: 0, behind_by: 0 });
    expect(await compare(`v1...main`)).toMatchObject({
      status: 'ahead',
      ahead_by: 1,
      behind_by: 0,
      total_commits: 1,
    });
    expect(await compare(`main...v1`)).toMatchObject({ status: 'behind', ahead_by: 0, behind_by: 1 });
    const diverged = await compare(`feature...${impostor}`);
    expect(diverged).toMatchObject({ status: 'diverged', ahead_by: 1, behind_by: 1 });
    expect(diverged.merge_base_commit.sha).toBe(c2);
    expect(diverged.commits.map((c) => c.sha)).toEqual([impostor]);
    // The impostor commit lives only in the fork, yet the parent's name serves it.
    const viaParent = await octokit.rest.repos.getCommit({
      owner: 'actions',
      repo: 'checkout',
      ref: impostor,
    });
    expect(viaParent.data.commit.message).toBe('evil');
    expect(await compare(`main...${impostor}`)).toMatchObject({ status: 'ahead', ahead_by: 1 });
    // Cross-fork form owner:ref resolves the head in the fork.
    expect(await compare(`main...evil:main`)).toMatchObject({ status: 'ahead', ahead_by: 1 });
    await expect(compare(`main...nobody:main`)).rejects.toMatchObject({ status: 404 });
  });

  it('serves the sha media type and releases (latest skips prereleases)', async () => {
    const octokit = getOctokit('t', { baseUrl: gh.url });
    const sha = await octokit.rest.repos.getCommit({
      owner: 'actions',
      repo: 'checkout',
      ref: 'v1.0.0',
      mediaType: { format: 'sha' },
    });
    expect(sha.data).toBe(c1);
    expect(sha.headers['content-type']).toBe('application/vnd.github.sha; charset=utf-8');
    const latest = await octokit.rest.repos.getLatestRelease({ owner: 'actions', repo: 'checkout' });
    expect(latest.data.tag_name).toBe('v1.0.0');
    const list = await octokit.rest.repos.listReleases({ owner: 'actions', repo: 'checkout' });
    expect(list.data.map((r) => [r.tag_name, r.prerelease])).toEqual([
      ['v2', true],
      ['v1.0.0', false],
    ]);
    await expect(
      octokit.rest.repos.getReleaseByTag({ owner: 'actions', repo: 'checkout', tag: 'v9' }),
    ).rejects.toMatchObject({ status: 404 });
    const client = graphql.defaults({ baseUrl: gh.url });
    const data = await client<Record<string, unknown>>(
      `{ repository(owner: "actions", name: "checkout") {
          latestRelease { tagName isLatest tagCommit { oid } }
          releases(first: 5, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { tagName isPrerelease } }
      } }`,
    );
    expect(data.repository).toEqual({
      latestRelease: { tagName: 'v1.0.0', isLatest: true, tagCommit: { oid: c1 } },
      releases: {
        nodes: [
          { tagName: 'v2', isPrerelease: true },
          { tagName: 'v1.0.0', isPrerelease: false },
        ],
      },
    });
  });

  it('reports the primary rate limit', async () => {
    const octokit = getOctokit('t', { baseUrl: gh.url });
    const response = await octokit.rest.rateLimit.get();
    expect(response.data.resources.core.limit).toBe(5000);
    expect(Number(response.headers['x-ratelimit-remaining'])).toBe(5000 - response.data.resources.core.used);
  });
});
