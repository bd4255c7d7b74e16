/** The check-runs routes: create, then list per commit with filter/name/status as GitHub does. */
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubDouble, type GitHubDouble } from './index.ts';

let gh: GitHubDouble;
let sha: string;
let other: string;

beforeAll(async () => {
  gh = await startGitHubDouble();
  const repo = await gh.repos.create('octo-org/checks');
  sha = await repo.commit({ files: { 'a.txt': 'a\n' } });
  other = await repo.commit({ files: { 'a.txt': 'b\n' } });
});
afterAll(async () => {
  await gh.close();
});

describe('check runs', () => {
  it('lists the newest run per name by default, every run with filter=all, by name and status', async () => {
    const octokit = getOctokit('t', { baseUrl: gh.url });
    const base = { owner: 'octo-org', repo: 'checks' };
    const created = await octokit.rest.checks.create({
      ...base,
      head_sha: sha,
      name: 'cd/web',
      status: 'in_progress',
    });
    expect(created.data).toMatchObject({
      status: 'in_progress',
      conclusion: null,
      completed_at: null,
      head_sha: sha,
    });
    const done = await octokit.rest.checks.create({
      ...base,
      head_sha: sha,
      name: 'cd/web',
      conclusion: 'success',
      output: { title: 'Healthy', summary: 'synced' },
    });
    // a conclusion completes the run
    expect(done.data).toMatchObject({
      status: 'completed',
      conclusion: 'success',
      output: { title: 'Healthy' },
    });
    expect(done.data.completed_at).not.toBeNull();
    await octokit.rest.checks.create({ ...base, head_sha: sha, name: 'cd/api', status: 'queued' });
    await octokit.rest.checks.create({ ...base, head_sha: other, name: 'cd/web', conclusion: 'failure' });

    const list = (q: Record<string, string>) =>
      octokit.rest.checks.listForRef({ ...base, ref: sha, ...q }).then((r) => r.data);
    const latest = await list({});
    expect(latest.total_count).toBe(2);
    expect(latest.check_runs.map((r) => [r.name, r.status])).toEqual([
      ['cd/api', 'queued'],
      ['cd/web', 'completed'],
    ]);
    expect((await list({ filter: 'all' })).check_runs.map((r) => r.id)).toHaveLength(3);
    expect((await list({ check_name: 'cd/web', filter: 'all' })).check_runs.map((r) => r.id)).toEqual([
      done.data.id,
      created.data.id,
    ]);
    expect((await list({ status: 'queued' })).check_runs.map((r) => r.name)).toEqual(['cd/api']);
    expect((await list({ check_name: 'cd/none' })).total_count).toBe(0);
    // a branch name resolves like a SHA
    expect((await list({ ref: 'main' } as Record<string, string>)).check_runs[0]).toMatchObject({
      name: 'cd/web',
      conclusion: 'failure',
    });
    await expect(octokit.rest.checks.listForRef({ ...base, ref: 'no-such-ref' })).rejects.toMatchObject({
      status: 404,
    });
    expect(gh.violations).toEqual([]);
  });
});
