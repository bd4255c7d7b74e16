/**
 * A fork's pull request from a branch with the bump branch's name must never be
 * taken for the bump's own: GitHub's `pullRequests(headRefName:)` returns it too.
 * Against the GitHub double (real git repositories, GitHub's schema), through the
 * same octokit client the action uses.
 */
import { describe, expect, it } from 'vitest';
import { bumpOpsRepo } from './bump.ts';
import {
  BUMP_TEMPLATES,
  bumpRequest,
  client,
  gh,
  octokit,
  ops,
  owner,
  repo,
  useOpsRepoDouble,
} from './ops-repo.fixture.ts';
import { readOpsRepo } from './ops-repo-read.ts';
import { upsertPullRequest } from './pull-request.ts';

const WEB = 'apps/web/kustomization.yaml';
const API = 'apps/api/kustomization.yaml';
const BRANCH = 'slipway/bump/web';
const kustomization = (name: string, tag: string) => `images:\n  - name: ${name}\n    newTag: "${tag}"\n`;

useOpsRepoDouble({ [WEB]: kustomization('web', '1.0'), [API]: kustomization('api', '1.0') });

/** The bump branch is BRANCH whatever the image. */
const request = (image: string, file = WEB) =>
  bumpRequest(image, file, { templates: { ...BUMP_TEMPLATES, branch: BRANCH } });

/** A fork of the ops repository with its own `slipway/bump/web`, and a pull request from it. */
async function forkPullRequest(forkName = `mallory/${repo}`, state: 'open' | 'closed' = 'open') {
  const fork = await ops.fork(forkName);
  await fork.commit({ branch: BRANCH, files: { [WEB]: kustomization('web', 'evil') } });
  const pr = await octokit.rest.pulls.create({
    owner,
    repo,
    head: `${fork.repo.owner}:${BRANCH}`,
    ...(fork.repo.owner === owner ? { head_repo: fork.fullName } : {}),
    base: 'main',
    title: 'Innocent change',
    body: 'please merge',
  });
  if (state === 'closed')
    await octokit.rest.pulls.update({ owner, repo, pull_number: pr.data.number, state });
  return { fork, number: pr.data.number };
}

const pull = (number: number) => ops.repo.pulls.find((p) => p.number === number)!;

describe('bump pull request and forks', () => {
  it('opens its own pull request when only a fork has an open one from a branch of the same name', async () => {
    const theirs = await forkPullRequest();
    const outcome = await bumpOpsRepo(client, request('web=*:v2'));
    const head = await ops.resolve(`refs/heads/${BRANCH}`);
    expect(outcome.commit?.oid).toBe(head);
    expect(outcome.pullRequest).toEqual({
      number: 2,
      url: `${gh.serverUrl}/${ops.fullName}/pull/2`,
      created: true,
    });
    expect(pull(2).head.repo).toBe(ops.repo);
    expect(pull(2).title).toBe('Bump web to v2');
    expect(pull(theirs.number)).toMatchObject({ title: 'Innocent change', body: 'please merge' });
  });

  it('updates its own open pull request, not the fork one listed before it', async () => {
    const theirs = await forkPullRequest();
    const first = await bumpOpsRepo(client, request('web=*:v2'));
    const second = await bumpOpsRepo(client, request('api=*:v3', API));
    expect(second.pullRequest).toMatchObject({ number: first.pullRequest!.number, created: false });
    expect(pull(first.pullRequest!.number).title).toBe('Bump web to v2, api to v3');
    expect(pull(theirs.number)).toMatchObject({ title: 'Innocent change', body: 'please merge' });
  });

  it('a closed fork pull request at the branch head does not make the branch look left over', async () => {
    // the branch holds an earlier bump whose pull request was never opened; a fork copies it
    const earlier = await ops.commit({ branch: BRANCH, files: { [API]: kustomization('api', '2.0') } });
    const fork = await ops.fork(`mallory/${repo}`);
    await octokit.rest.pulls.create({ owner, repo, head: `mallory:${BRANCH}`, base: 'main' });
    await octokit.rest.pulls.update({ owner, repo, pull_number: 1, state: 'closed' });
    expect(await fork.resolve(`refs/heads/${BRANCH}`)).toBe(earlier);
    const log: string[] = [];
    const outcome = await bumpOpsRepo(client, request('web=*:v2'), { log: (m) => log.push(m) });
    expect(log.join('\n')).not.toContain('left over');
    expect(await ops.resolve(`${outcome.commit!.oid}^`)).toBe(earlier);
    expect(await ops.readFile(outcome.commit!.oid, API)).toBe(kustomization('api', '2.0'));
    expect(outcome.pullRequest).toMatchObject({ number: 2, created: true });
  });

  it('reads only pull requests whose head repository is the ops repository', async () => {
    const theirs = await forkPullRequest();
    const closed = await forkPullRequest(`eve/${repo}`, 'closed');
    const snapshot = await readOpsRepo(client, { owner, repo, branch: BRANCH, paths: [WEB] });
    expect(snapshot.pullRequest).toBeUndefined();
    expect(snapshot.lastClosedHeadOid).toBeUndefined();
    expect([theirs.number, closed.number]).toEqual([1, 2]);
  });

  it('never edits a cross-repository pull request handed to it as the existing one', async () => {
    const theirs = await forkPullRequest();
    await ops.commit({ branch: BRANCH, files: { [WEB]: kustomization('web', 'v2') } });
    const snapshot = await readOpsRepo(client, { owner, repo, paths: [WEB] });
    const result = await upsertPullRequest(
      client,
      {
        owner,
        repo,
        repositoryId: snapshot.repositoryId,
        base: 'main',
        branch: BRANCH,
        existing: {
          id: 'PR_x',
          number: theirs.number,
          url: `${gh.serverUrl}/${ops.fullName}/pull/${theirs.number}`,
          title: 'Innocent change',
          body: 'please merge',
          isCrossRepository: true,
          headRepository: { id: theirs.fork.repo.nodeId, nameWithOwner: theirs.fork.fullName },
        },
      },
      { title: 'Bump web to v2', body: 'bump' },
      request('web=*:v2').pullRequest,
    );
    expect(result).toMatchObject({ number: 2, created: true });
    expect(pull(theirs.number)).toMatchObject({ title: 'Innocent change', body: 'please merge' });
  });

  it('after "already exists", updates its own pull request, not a same-owner fork listed first', async () => {
    await ops.commit({ branch: BRANCH, files: { [WEB]: kustomization('web', 'v2') } });
    const ours = await octokit.rest.pulls.create({ owner, repo, head: BRANCH, base: 'main', title: 'old' });
    // a fork in the same account: `head=acme:slipway/bump/web` lists it too, newest first
    const sibling = await forkPullRequest(`${owner}/ops-copy-${repo}`);
    const snapshot = await readOpsRepo(client, { owner, repo, paths: [WEB] });
    gh.requests.reset();
    const result = await upsertPullRequest(
      client,
      { owner, repo, repositoryId: snapshot.repositoryId, base: 'main', branch: BRANCH, existing: undefined },
      { title: 'Bump web to v2', body: 'bump' },
      request('web=*:v2').pullRequest,
    );
    expect(gh.requests.count('GET /repos/{owner}/{repo}/pulls')).toBe(1);
    expect(result).toMatchObject({ number: ours.data.number, created: false });
    expect(pull(ours.data.number)).toMatchObject({ title: 'Bump web to v2', body: 'bump' });
    expect(pull(sibling.number)).toMatchObject({ title: 'Innocent change', body: 'please merge' });
  });
});
