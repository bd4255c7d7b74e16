/**
 * image-bump through the committed bundle on GitHub Enterprise Server: the GitHub double in its
 * 'ghes' layout (REST only under /api/v3, GraphQL only at /api/graphql, web at the origin's root)
 * with the runner's GHES variables. The verified commit goes through GraphQL createCommitOnBranch,
 * a GHES without that mutation (before 3.6) gets the Git Data API fallback under /api/v3, and
 * every link in outputs, summary and pull request body points at GITHUB_SERVER_URL.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLeaks, runAction } from '../harness/run-action.ts';
import { startGitHubDouble, type GitHubDouble, type RepoBuilder } from '../doubles/github/index.ts';

const root = resolve(import.meta.dirname, '../..');
const actionDir = join(root, 'actions/image-bump');
const fixture = join(root, 'test/fixtures/gitops/ops-repo');
const DEV = 'apps/web/overlays/dev/kustomization.yaml';
const TOKEN = 'ghs_ghesimagebump00000000000000000000001';
const original = (path: string) => readFileSync(join(fixture, path), 'utf8');
const GRANT = {
  permissions: { contents: 'write', pull_requests: 'write', issues: 'write', metadata: 'read' },
} as const;

async function ghesDouble(hiddenGraphqlFields: string[] = []) {
  const gh = await startGitHubDouble({ layout: 'ghes', hiddenGraphqlFields, tokens: { [TOKEN]: GRANT } });
  const ops = await gh.repos.create('platform/ops');
  await ops.commit({ files: { [DEV]: original(DEV) }, message: 'init' });
  gh.requests.reset();
  return { gh, ops, origin: new URL(gh.url).origin };
}

/** The runner's variables on a GHES host (the double's origin stands for https://HOST). */
const ghesEnv = (origin: string) => ({
  GITHUB_SERVER_URL: origin,
  GITHUB_API_URL: `${origin}/api/v3`,
  GITHUB_GRAPHQL_URL: `${origin}/api/graphql`,
  GITHUB_REPOSITORY: 'acme/web',
});

function bump(env: Record<string, string>, inputs: Record<string, string> = {}) {
  return runAction({
    actionDir,
    inputs: { repository: 'platform/ops', token: TOKEN, file: DEV, image: 'web=*:v9', ...inputs },
    env,
  });
}

function expectOnlyGhesPaths(gh: GitHubDouble) {
  expect(gh.requests.total).toBeGreaterThan(0);
  for (const r of gh.requests.records) {
    expect(r.url, r.url).toMatch(/^\/api\/(v3\/|graphql$)/);
    expect(r.route).not.toBe('unmatched');
  }
}

function expectNoGithubCom(texts: string[]) {
  for (const text of texts) expect(text).not.toMatch(/github\.com/);
}

describe('image-bump on GitHub Enterprise Server 3.6 or later', () => {
  let gh: GitHubDouble;
  let ops: RepoBuilder;
  let origin: string;
  beforeAll(async () => {
    ({ gh, ops, origin } = await ghesDouble());
  });
  afterAll(async () => {
    await gh.close();
  });

  it('commits with createCommitOnBranch at /api/graphql, opens the PR at /api/v3, links the GHES server', async () => {
    const result = await bump(ghesEnv(origin));
    expect(result.exitCode, result.log).toBe(0);
    const head = (await ops.resolve('refs/heads/slipway/bump/web'))!;
    const prUrl = `${origin}/platform/ops/pull/1`;
    expect(result.outputs).toEqual({
      changed: 'true',
      'commit-sha': head,
      'pull-request-number': '1',
      'pull-request-url': prUrl,
      files: JSON.stringify([DEV]),
      branch: 'slipway/bump/web',
    });
    expect(await ops.readFile(head, DEV)).toBe(original(DEV).replace('newTag: "3f2a9c1"', 'newTag: "v9"'));
    expect(gh.requests.records.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'POST /api/graphql',
      'POST /api/v3/repos/platform/ops/git/refs',
      'POST /api/graphql',
      'POST /api/v3/repos/platform/ops/pulls',
    ]);
    expect(gh.requests.counts()).toMatchObject({
      'graphql:repository': 1,
      'graphql:createCommitOnBranch': 1,
      'POST /repos/{owner}/{repo}/pulls': 1,
    });
    expectOnlyGhesPaths(gh);
    expect(result.summary).toContain(
      `Commit [\`${head.slice(0, 12)}\`](${origin}/platform/ops/commit/${head}) on \`slipway/bump/web\`.\nPull request [#1](${prUrl}) opened.\n`,
    );
    expect(result.log).toContain(`pull request #1 opened: ${prUrl}`);
    const pr = ops.repo.pulls[0]!;
    expect(pr.body).toContain(`Source run: ${origin}/acme/web/actions/runs/1000001 (commit`);
    expectNoGithubCom([result.log, result.summary, pr.body ?? '', ...Object.values(result.outputs)]);
    expect(findLeaks(result, [TOKEN])).toEqual([]);
  });

  it('derives /api/graphql from GITHUB_API_URL when GITHUB_GRAPHQL_URL is not set, and updates the PR', async () => {
    gh.requests.reset();
    const result = await bump({ ...ghesEnv(origin), GITHUB_GRAPHQL_URL: '' }, { image: 'web=*:v10' });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs).toMatchObject({
      changed: 'true',
      'pull-request-number': '1',
      'pull-request-url': `${origin}/platform/ops/pull/1`,
    });
    expect(gh.requests.records.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual([
      '/api/graphql',
      '/api/graphql',
    ]);
    expectOnlyGhesPaths(gh);
    expect(result.summary).toContain(`Pull request [#1](${origin}/platform/ops/pull/1) updated.`);
  });
});

describe('image-bump on GitHub Enterprise Server before 3.6 (no createCommitOnBranch)', () => {
  let gh: GitHubDouble;
  let ops: RepoBuilder;
  let origin: string;
  beforeAll(async () => {
    ({ gh, ops, origin } = await ghesDouble(['Mutation.createCommitOnBranch']));
  });
  afterAll(async () => {
    await gh.close();
  });

  it('falls back to the Git Data API under /api/v3 and links the commit on the GHES server', async () => {
    const result = await bump(ghesEnv(origin));
    expect(result.exitCode, result.log).toBe(0);
    const head = (await ops.resolve('refs/heads/slipway/bump/web'))!;
    expect(result.outputs).toMatchObject({
      'commit-sha': head,
      'pull-request-url': `${origin}/platform/ops/pull/1`,
    });
    expect(await ops.readFile(head, DEV)).toBe(original(DEV).replace('newTag: "3f2a9c1"', 'newTag: "v9"'));
    expect(gh.requests.counts()).toMatchObject({
      'graphql:createCommitOnBranch': 1,
      'POST /repos/{owner}/{repo}/git/trees': 1,
      'POST /repos/{owner}/{repo}/git/commits': 1,
      'PATCH /repos/{owner}/{repo}/git/refs/{ref}': 1,
      'POST /repos/{owner}/{repo}/pulls': 1,
    });
    expectOnlyGhesPaths(gh);
    expect(result.summary).toContain(
      `Commit [\`${head.slice(0, 12)}\`](${origin}/platform/ops/commit/${head}) on \`slipway/bump/web\`.`,
    );
    expectNoGithubCom([result.log, result.summary, ops.repo.pulls[0]!.body ?? '']);
  });
});
