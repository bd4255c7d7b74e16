/**
 * readOpsRepo against the GitHub double (real git repositories, GitHub's GraphQL schema), through
 * the octokit client the action uses: one query returns both heads, the files at each, and the
 * bump branch's pull requests; bad inputs are errors that name the input or the file.
 */
import { UserError } from '@slipway/core';
import { describe, expect, it } from 'vitest';
import { readOpsRepo } from './ops-repo-read.ts';
import { client, gh, octokit, ops, owner, repo, useOpsRepoDouble } from './ops-repo.fixture.ts';

const WEB = 'apps/web/kustomization.yaml';
const API = 'apps/api/values.yaml';
const BRANCH = 'slipway/bump/web';

useOpsRepoDouble({ [WEB]: 'images:\n  - name: web\n    newTag: "1.0"\n', [API]: 'image:\n  tag: "1"\n' });

describe('readOpsRepo', () => {
  it('reads the default branch, its files and an absent bump branch in one GraphQL request', async () => {
    const snapshot = await readOpsRepo(client, { owner, repo, branch: BRANCH, paths: [WEB, 'missing.yaml'] });
    expect(gh.requests.total).toBe(1);
    expect(gh.requests.count('POST /graphql')).toBe(1);
    expect(snapshot.nameWithOwner).toBe(ops.fullName);
    expect(snapshot.repositoryId).toBeTruthy();
    expect(snapshot.base.name).toBe('main');
    expect(snapshot.base.oid).toBe(await ops.resolve('main'));
    expect(snapshot.base.treeOid).toBe(await ops.resolve('main^{tree}'));
    expect(snapshot.base.files.get(WEB)).toEqual({
      text: 'images:\n  - name: web\n    newTag: "1.0"\n',
      mode: '100644',
    });
    expect(snapshot.base.files.has('missing.yaml')).toBe(true);
    expect(snapshot.base.files.get('missing.yaml')).toBeUndefined();
    expect(snapshot.head).toBeUndefined();
    expect(snapshot.pullRequest).toBeUndefined();
    expect(snapshot.lastClosedHeadOid).toBeUndefined();
  });

  it('reads the bump branch with its own file contents and its open pull request', async () => {
    await ops.commit({ branch: BRANCH, files: { [WEB]: 'images: []\n' } });
    const head = await ops.commit({ branch: BRANCH, files: { [API]: 'image:\n  tag: "2"\n' } });
    const open = await octokit.rest.pulls.create({
      owner,
      repo,
      head: BRANCH,
      base: 'main',
      title: 'Bump api',
      body: 'the body',
    });
    gh.requests.reset();

    const snapshot = await readOpsRepo(client, { owner, repo, branch: BRANCH, paths: [WEB, API] });
    expect(gh.requests.total).toBe(1);
    expect(snapshot.head?.name).toBe(BRANCH);
    expect(snapshot.head?.oid).toBe(head);
    expect(snapshot.head?.files.get(API)?.text).toBe('image:\n  tag: "2"\n');
    expect(snapshot.head?.files.get(WEB)?.text).toBe('images: []\n');
    expect(snapshot.base.files.get(API)?.text).toBe('image:\n  tag: "1"\n');
    expect(snapshot.pullRequest).toMatchObject({
      number: open.data.number,
      title: 'Bump api',
      body: 'the body',
      isCrossRepository: false,
    });
    expect(snapshot.pullRequest?.url).toContain(`/pull/${open.data.number}`);
    expect(snapshot.lastClosedHeadOid).toBeUndefined();
  });

  it('reports the head of the last closed pull request of the bump branch', async () => {
    const head = await ops.commit({ branch: BRANCH, files: { [WEB]: 'images: []\n' } });
    const closed = await octokit.rest.pulls.create({ owner, repo, head: BRANCH, base: 'main', title: 'old' });
    await octokit.rest.pulls.update({ owner, repo, pull_number: closed.data.number, state: 'closed' });
    const snapshot = await readOpsRepo(client, { owner, repo, branch: BRANCH, paths: [WEB] });
    expect(snapshot.pullRequest).toBeUndefined();
    expect(snapshot.lastClosedHeadOid).toBe(head);
  });

  it('reads the files of an explicit base branch, not of the default branch', async () => {
    await ops.commit({ branch: 'release', files: { [WEB]: 'images: []\n' } });
    const snapshot = await readOpsRepo(client, { owner, repo, base: 'release', paths: [WEB] });
    expect(snapshot.base.name).toBe('release');
    expect(snapshot.base.oid).toBe(await ops.resolve('release'));
    expect(snapshot.base.files.get(WEB)?.text).toBe('images: []\n');
  });

  it('names the base input when the base branch does not exist', async () => {
    const error = await readOpsRepo(client, { owner, repo, base: 'nope', paths: [WEB] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      `Input 'base': the branch 'nope' does not exist in ${ops.fullName}.`,
    );
  });

  it('names the repository when it does not exist', async () => {
    const error = await readOpsRepo(client, { owner, repo: 'no-such-repo', paths: [WEB] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(`${owner}/no-such-repo`);
  });

  it('refuses a path that is a folder, naming it and the branch', async () => {
    await expect(readOpsRepo(client, { owner, repo, paths: ['apps/web'] })).rejects.toThrow(
      `apps/web in ${ops.fullName}@main is not a file.`,
    );
  });
});
