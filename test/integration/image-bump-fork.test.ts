/**
 * image-bump through the committed bundle when a fork of the ops repository has
 * an open pull request from a branch named like the bump branch: GitHub's
 * `pullRequests(headRefName:)` lists it, and the action must neither edit it nor
 * report it, but open its own pull request for its commit.
 */
import { getOctokit } from '@actions/github';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '../harness/run-action.ts';
import { startGitHubDouble, type GitHubDouble, type RepoBuilder } from '../doubles/github/index.ts';

const root = resolve(import.meta.dirname, '../..');
const actionDir = join(root, 'actions/image-bump');
const DEV = 'apps/web/overlays/dev/kustomization.yaml';
const original = readFileSync(join(root, 'test/fixtures/gitops/ops-repo', DEV), 'utf8');
const TOKEN = 'ghs_imagebumpforktoken00000000000000001';
const BRANCH = 'slipway/bump/web';

let gh: GitHubDouble;
let ops: RepoBuilder;

beforeAll(async () => {
  gh = await startGitHubDouble();
  gh.tokens.set(TOKEN, {
    permissions: { contents: 'write', pull_requests: 'write', issues: 'write', metadata: 'read' },
  });
});
afterAll(async () => {
  await gh.close();
});
beforeEach(async () => {
  ops = await gh.repos.create(`acme/ops-${Math.random().toString(36).slice(2, 8)}`);
  await ops.commit({ files: { [DEV]: original }, message: 'init' });
});

function bump(image: string) {
  return runAction({
    actionDir,
    inputs: { repository: ops.fullName, token: TOKEN, file: DEV, image },
    env: { ...gh.env, GITHUB_REPOSITORY: 'acme/web' },
  });
}

/** mallory forks the ops repository and opens a pull request from her own `slipway/bump/web`. */
async function openForkPullRequest(): Promise<number> {
  const fork = await ops.fork(`mallory/${ops.repo.name}`);
  await fork.commit({ branch: BRANCH, files: { [DEV]: original.replace('3f2a9c1', 'evil') } });
  const { data } = await getOctokit(TOKEN, { baseUrl: gh.url }).rest.pulls.create({
    owner: ops.repo.owner,
    repo: ops.repo.name,
    head: `mallory:${BRANCH}`,
    base: 'main',
    title: 'Fix typo',
    body: 'harmless',
  });
  return data.number;
}

describe('image-bump and a fork pull request from a branch of the same name', () => {
  it('opens and then updates its own pull request; the fork one is never edited nor reported', async () => {
    const theirs = await openForkPullRequest();
    const first = await bump('web=*:v2');
    expect(first.exitCode, first.log).toBe(0);
    const head = await ops.resolve(`refs/heads/${BRANCH}`);
    expect(first.outputs).toMatchObject({
      changed: 'true',
      'commit-sha': head,
      'pull-request-number': '2',
      'pull-request-url': `${gh.serverUrl}/${ops.fullName}/pull/2`,
    });
    const ours = ops.repo.pulls.find((p) => p.number === 2)!;
    expect(ours.head.repo).toBe(ops.repo);
    expect(ours.title).toBe('Bump web to v2');

    const second = await bump('web=*:v3');
    expect(second.exitCode, second.log).toBe(0);
    expect(second.outputs['pull-request-number']).toBe('2');
    expect(second.log).toContain(`pull request #2 updated: ${gh.serverUrl}/${ops.fullName}/pull/2`);
    expect(ours.title).toBe('Bump web to v3');
    expect(await ops.resolve(`${second.outputs['commit-sha']}^`)).toBe(head);

    const fork = ops.repo.pulls.find((p) => p.number === theirs)!;
    expect(fork).toMatchObject({ title: 'Fix typo', body: 'harmless', state: 'open' });
    expect(fork.head.repo.fullName).toBe(`mallory/${ops.repo.name}`);
    expect(ops.repo.pulls).toHaveLength(2);
  });
});
