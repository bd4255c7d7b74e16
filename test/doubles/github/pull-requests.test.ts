import { getOctokit } from '@actions/github';
import { graphql } from '@octokit/graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubDouble, type GitHubDouble, type RepoBuilder } from './index.ts';
import { createOpsRepo, ownerAndRepo } from './ops-repo-setup.ts';

let gh: GitHubDouble;
let ops: RepoBuilder;
let octokit: ReturnType<typeof getOctokit>;
let base: string;

beforeAll(async () => {
  gh = await startGitHubDouble();
  octokit = getOctokit('t', { baseUrl: gh.url });
});

beforeEach(async () => {
  ({ ops, base } = await createOpsRepo(gh));
});

afterAll(async () => {
  await gh.close();
});

const repoArgs = () => ownerAndRepo(ops);

describe('pull requests', () => {
  it('creates, finds, updates, labels, assigns and requests review; a duplicate gets 422; auto-merge by node id', async () => {
    await ops.commit({ branch: 'bump/web', files: { 'apps/web/kustomization.yaml': 'images: []\n' } });
    const { owner, repo } = repoArgs();
    const created = await octokit.rest.pulls.create({
      owner,
      repo,
      head: 'bump/web',
      base: 'main',
      title: 'Bump web',
      body: 'b',
    });
    expect(created.data).toMatchObject({
      number: 1,
      state: 'open',
      head: { ref: 'bump/web' },
      base: { ref: 'main', sha: base },
    });
    await expect(
      octokit.rest.pulls.create({ owner, repo, head: 'bump/web', base: 'main', title: 'again' }),
    ).rejects.toMatchObject({
      status: 422,
      response: {
        data: {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'PullRequest',
              code: 'custom',
              message: `A pull request already exists for ${owner}:bump/web.`,
            },
          ],
        },
      },
    });
    const listed = await octokit.rest.pulls.list({
      owner,
      repo,
      head: `${owner}:bump/web`,
      state: 'open',
      base: 'main',
    });
    expect(listed.data.map((p) => p.number)).toEqual([1]);
    expect((await octokit.rest.pulls.list({ owner, repo, head: `${owner}:other` })).data).toEqual([]);

    const updated = await octokit.rest.pulls.update({
      owner,
      repo,
      pull_number: 1,
      title: 'Bump web to 1.1',
    });
    expect(updated.data.title).toBe('Bump web to 1.1');
    const labels = await octokit.rest.issues.addLabels({
      owner,
      repo,
      issue_number: 1,
      labels: ['gitops', 'auto'],
    });
    expect(labels.data.map((l) => l.name)).toEqual(['gitops', 'auto']);
    const assigned = await octokit.rest.issues.addAssignees({
      owner,
      repo,
      issue_number: 1,
      assignees: ['alice'],
    });
    expect(assigned.data.assignees?.map((a) => a.login)).toEqual(['alice']);
    const reviewed = await octokit.rest.pulls.requestReviewers({
      owner,
      repo,
      pull_number: 1,
      reviewers: ['bob'],
      team_reviewers: ['platform'],
    });
    expect(reviewed.data.requested_reviewers?.map((r) => r.login)).toEqual(['bob']);
    expect(reviewed.data.requested_teams?.map((t) => t.slug)).toEqual(['platform']);
    const fetched = await octokit.rest.pulls.get({ owner, repo, pull_number: 1 });
    expect(fetched.data).toMatchObject({
      title: 'Bump web to 1.1',
      labels: [{ name: 'gitops' }, { name: 'auto' }],
      commits: 1,
    });

    const client = graphql.defaults({ baseUrl: gh.url });
    const found = await client<{
      repository: { pullRequests: { nodes: Array<{ id: string; number: number; headRefOid: string }> } };
    }>(
      `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) {
        pullRequests(headRefName: "bump/web", states: [OPEN], first: 1) { nodes { id number headRefOid } } } }`,
      { owner, name: repo },
    );
    const node = found.repository.pullRequests.nodes[0]!;
    expect(node).toEqual({
      id: created.data.node_id,
      number: 1,
      headRefOid: await ops.resolve('refs/heads/bump/web'),
    });
    const auto = await client<{
      enablePullRequestAutoMerge: {
        pullRequest: { number: number; autoMergeRequest: { mergeMethod: string } };
      };
    }>(
      `mutation($id: ID!) { enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: SQUASH }) {
        pullRequest { number autoMergeRequest { mergeMethod } } } }`,
      { id: node.id },
    );
    expect(auto.enablePullRequestAutoMerge.pullRequest).toEqual({
      number: 1,
      autoMergeRequest: { mergeMethod: 'SQUASH' },
    });
    expect(
      (await octokit.rest.pulls.get({ owner, repo, pull_number: 1 })).data.auto_merge?.merge_method,
    ).toBe('squash');
  });
});
