import { graphql } from '@octokit/graphql';
import { describe, expect, it } from 'vitest';
import { useOpsRepo } from './ops-repo-setup.ts';

const setup = useOpsRepo();

describe('pull requests', () => {
  it('creates, finds, updates, labels, assigns and requests review; a duplicate gets 422; auto-merge by node id', async () => {
    await setup.ops.commit({ branch: 'bump/web', files: { 'apps/web/kustomization.yaml': 'images: []\n' } });
    const { owner, repo } = setup.repoArgs();
    const created = await setup.octokit.rest.pulls.create({
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
      base: { ref: 'main', sha: setup.base },
    });
    await expect(
      setup.octokit.rest.pulls.create({ owner, repo, head: 'bump/web', base: 'main', title: 'again' }),
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
    const listed = await setup.octokit.rest.pulls.list({
      owner,
      repo,
      head: `${owner}:bump/web`,
      state: 'open',
      base: 'main',
    });
    expect(listed.data.map((p) => p.number)).toEqual([1]);
    expect((await setup.octokit.rest.pulls.list({ owner, repo, head: `${owner}:other` })).data).toEqual([]);

    const updated = await setup.octokit.rest.pulls.update({
      owner,
      repo,
      pull_number: 1,
      title: 'Bump web to 1.1',
    });
    expect(updated.data.title).toBe('Bump web to 1.1');
    const labels = await setup.octokit.rest.issues.addLabels({
      owner,
      repo,
      issue_number: 1,
      labels: ['gitops', 'auto'],
    });
    expect(labels.data.map((l) => l.name)).toEqual(['gitops', 'auto']);
    const assigned = await setup.octokit.rest.issues.addAssignees({
      owner,
      repo,
      issue_number: 1,
      assignees: ['alice'],
    });
    expect(assigned.data.assignees?.map((a) => a.login)).toEqual(['alice']);
    const reviewed = await setup.octokit.rest.pulls.requestReviewers({
      owner,
      repo,
      pull_number: 1,
      reviewers: ['bob'],
      team_reviewers: ['platform'],
    });
    expect(reviewed.data.requested_reviewers?.map((r) => r.login)).toEqual(['bob']);
    expect(reviewed.data.requested_teams?.map((t) => t.slug)).toEqual(['platform']);
    const fetched = await setup.octokit.rest.pulls.get({ owner, repo, pull_number: 1 });
    expect(fetched.data).toMatchObject({
      title: 'Bump web to 1.1',
      labels: [{ name: 'gitops' }, { name: 'auto' }],
      commits: 1,
    });

    const client = graphql.defaults({ baseUrl: setup.gh.url });
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
      headRefOid: await setup.ops.resolve('refs/heads/bump/web'),
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
      (await setup.octokit.rest.pulls.get({ owner, repo, pull_number: 1 })).data.auto_merge?.merge_method,
    ).toBe('squash');
  });

  it('a pull request from a fork: REST head.repo is the fork, GraphQL isCrossRepository and headRepository say so', async () => {
    const { owner, repo } = setup.repoArgs();
    await setup.ops.commit({ branch: 'bump/web', files: { 'a.yaml': 'ours\n' } });
    const fork = await setup.ops.fork(`evil/${repo}`);
    await fork.commit({ branch: 'bump/web', files: { 'a.yaml': 'theirs\n' } });
    const forkHead = await fork.resolve('refs/heads/bump/web');
    // the fork's pull request first, then ours from the branch of the same name
    const theirs = await setup.octokit.rest.pulls.create({
      owner,
      repo,
      head: 'evil:bump/web',
      base: 'main',
      title: 'from a fork',
    });
    const ours = await setup.octokit.rest.pulls.create({
      owner,
      repo,
      head: 'bump/web',
      base: 'main',
      title: 'ours',
    });
    expect(theirs.data.head).toMatchObject({
      label: 'evil:bump/web',
      ref: 'bump/web',
      sha: forkHead,
      repo: { full_name: fork.fullName, node_id: fork.repo.nodeId, fork: true },
    });
    expect(ours.data.head.repo).toMatchObject({
      full_name: setup.ops.fullName,
      node_id: setup.ops.repo.nodeId,
    });
    const listed = await setup.octokit.rest.pulls.list({ owner, repo, head: `${owner}:bump/web` });
    expect(listed.data.map((p) => [p.number, p.head.repo.node_id])).toEqual([[2, setup.ops.repo.nodeId]]);
    const forkListed = await setup.octokit.rest.pulls.list({ owner, repo, head: 'evil:bump/web' });
    expect(forkListed.data.map((p) => p.number)).toEqual([1]);

    const client = graphql.defaults({ baseUrl: setup.gh.url });
    const found = await client<{ repository: { id: string; pullRequests: { nodes: unknown[] } } }>(
      `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { id
        pullRequests(headRefName: "bump/web", states: [OPEN], first: 5) { nodes {
          number headRefOid isCrossRepository headRepository { id nameWithOwner } headRepositoryOwner { login } } } } }`,
      { owner, name: repo },
    );
    // GitHub matches headRefName in every repository of the network: both come back
    expect(found.repository.pullRequests.nodes).toEqual([
      {
        number: 1,
        headRefOid: forkHead,
        isCrossRepository: true,
        headRepository: { id: fork.repo.nodeId, nameWithOwner: fork.fullName },
        headRepositoryOwner: { login: 'evil' },
      },
      {
        number: 2,
        headRefOid: await setup.ops.resolve('refs/heads/bump/web'),
        isCrossRepository: false,
        headRepository: { id: found.repository.id, nameWithOwner: setup.ops.fullName },
        headRepositoryOwner: { login: owner },
      },
    ]);
  });

  it('head_repo opens a pull request from a fork with the same owner; head=owner:branch lists both', async () => {
    const { owner, repo } = setup.repoArgs();
    await setup.ops.commit({ branch: 'bump/web', files: { 'a.yaml': 'ours\n' } });
    const sibling = await setup.ops.fork(`${owner}/${repo}-copy`);
    await sibling.commit({ branch: 'bump/web', files: { 'a.yaml': 'copy\n' } });
    const ours = await setup.octokit.rest.pulls.create({
      owner,
      repo,
      head: `${owner}:bump/web`,
      base: 'main',
    });
    const copy = await setup.octokit.rest.pulls.create({
      owner,
      repo,
      head: `${owner}:bump/web`,
      head_repo: sibling.fullName,
      base: 'main',
    });
    expect(ours.data.head.repo.full_name).toBe(setup.ops.fullName);
    expect(copy.data.head.repo).toMatchObject({ full_name: sibling.fullName, fork: true });
    expect(copy.data.head.sha).toBe(await sibling.resolve('refs/heads/bump/web'));
    const listed = await setup.octokit.rest.pulls.list({ owner, repo, head: `${owner}:bump/web` });
    expect(listed.data.map((p) => p.head.repo.full_name)).toEqual([sibling.fullName, setup.ops.fullName]);
    await expect(
      setup.octokit.rest.pulls.create({
        owner,
        repo,
        head: 'bump/web',
        head_repo: 'nobody/else',
        base: 'main',
      }),
    ).rejects.toMatchObject({ status: 422 });
  });
});
