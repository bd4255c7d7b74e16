/**
 * The double's plain issues (list/create/update/comment, numbers shared with pull
 * requests) and pull request files (renames, removals, line counts), through
 * octokit; every response is validated against GitHub's OpenAPI description.
 */
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubDouble, type GitHubDouble } from './index.ts';

let gh: GitHubDouble;
let octokit: ReturnType<typeof getOctokit>;
const repoArgs = { owner: 'infra', repo: 'live' };

beforeAll(async () => {
  gh = await startGitHubDouble();
  octokit = getOctokit('t', { baseUrl: gh.url });
  const live = await gh.repos.create('infra/live');
  await live.commit({ files: { 'a/main.tf': 'one\ntwo\n', 'b/old.tf': 'x\ny\nz\n', 'c/gone.tf': 'gone\n' } });
  await live.commit({
    branch: 'change',
    files: {
      'a/main.tf': 'one\nTWO\nthree\n',
      'b/old.tf': null,
      'b/new.tf': 'x\ny\nz\n',
      'c/gone.tf': null,
      'd/added.tf': 'd\n',
    },
  });
});
afterAll(async () => {
  await gh.close();
});

describe('pull request files', () => {
  it('lists added, modified, removed and renamed files with counts', async () => {
    const pr = await octokit.rest.pulls.create({ ...repoArgs, head: 'change', base: 'main', title: 't' });
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
      ...repoArgs,
      pull_number: pr.data.number,
      per_page: 2,
    });
    const byName = Object.fromEntries(files.map((f) => [f.filename, f]));
    expect(Object.keys(byName).sort()).toEqual(['a/main.tf', 'b/new.tf', 'c/gone.tf', 'd/added.tf']);
    expect(byName['a/main.tf']).toMatchObject({ status: 'modified', additions: 2, deletions: 1, changes: 3 });
    expect(byName['b/new.tf']).toMatchObject({ status: 'renamed', previous_filename: 'b/old.tf' });
    expect(byName['c/gone.tf']).toMatchObject({ status: 'removed', deletions: 1 });
    expect(byName['d/added.tf']).toMatchObject({ status: 'added', additions: 1 });
    expect(gh.requests.count('GET /repos/{owner}/{repo}/pulls/{pull_number}/files')).toBe(2);
  });
});

describe('issues', () => {
  it('creates, lists by label and state, updates, comments and closes; numbers follow pull requests', async () => {
    const created = await octokit.rest.issues.create({
      ...repoArgs,
      title: 'drift in a',
      body: 'b',
      labels: ['slipway-drift', { name: 'infra' }],
    });
    expect(created.data.number).toBe(2); // pull request #1 exists
    await octokit.rest.issues.create({ ...repoArgs, title: 'other', labels: ['infra'] });
    const drift = await octokit.rest.issues.listForRepo({ ...repoArgs, labels: 'slipway-drift,infra' });
    expect(drift.data.map((i) => i.number)).toEqual([2]);
    const all = await octokit.rest.issues.listForRepo({ ...repoArgs, state: 'all' });
    expect(all.data.map((i) => [i.number, i.pull_request === undefined])).toEqual([
      [3, true],
      [2, true],
      [1, false],
    ]);
    await octokit.rest.issues.createComment({ ...repoArgs, issue_number: 2, body: 'clean now' });
    const closed = await octokit.rest.issues.update({
      ...repoArgs,
      issue_number: 2,
      state: 'closed',
      body: 'new',
    });
    expect(closed.data).toMatchObject({
      state: 'closed',
      state_reason: 'completed',
      comments: 1,
      body: 'new',
    });
    const open = await octokit.rest.issues.listForRepo({ ...repoArgs, labels: 'slipway-drift' });
    expect(open.data).toEqual([]);
    await expect(
      octokit.rest.issues.update({ ...repoArgs, issue_number: 99, state: 'closed' }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });
});
