import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubClient } from '@slipway/github';
import { clientOnDouble } from '../../../../test/doubles/github/client.ts';
import { startGitHubDouble, type GitHubDouble } from '../../../../test/doubles/github/index.ts';
import { issueComments } from '../../../../test/doubles/github/routes/issue-comments.ts';
import type { HostedRepo } from '../../../../test/doubles/github/repo-store.ts';
import { hasMarker, planCommentMarker } from './comment-marker.ts';
import { upsertPlanComment } from './plan-comment.ts';

let gh: GitHubDouble;
let client: GitHubClient;
let repo: HostedRepo;

beforeAll(async () => {
  gh = await startGitHubDouble();
  const builder = await gh.repos.create('octo/infra');
  await builder.commit({ files: { 'main.tf': '' } });
  await builder.commit({ branch: 'change', files: { 'main.tf': '# x\n' } });
  const octokit = getOctokit('token', { baseUrl: gh.url });
  await octokit.rest.pulls.create({
    owner: 'octo',
    repo: 'infra',
    head: 'change',
    base: 'main',
    title: 'infra change',
  });
  client = clientOnDouble(gh);
  repo = builder.repo;
});
afterAll(() => gh.close());

describe('upsertPlanComment on the GitHub double', () => {
  it('creates the comment once, then edits it in place; other directories and comments are left alone', async () => {
    const target = (dir: string, ws = 'default') => ({
      owner: 'octo',
      repo: 'infra',
      issueNumber: 1,
      marker: planCommentMarker(dir, ws),
    });
    // 120 unrelated comments first: the marker is found past the first page
    for (let i = 0; i < 120; i += 1)
      await client.rest('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner: 'octo',
        repo: 'infra',
        issue_number: 1,
        body: `chatter ${i}`,
      });
    const first = await upsertPlanComment(
      client,
      target('infra/app'),
      `${planCommentMarker('infra/app', 'default')}\nplan 1`,
    );
    expect(first.action).toBe('created');
    gh.requests.reset();
    const second = await upsertPlanComment(
      client,
      target('infra/app'),
      `${planCommentMarker('infra/app', 'default')}\nplan 2`,
    );
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    expect(gh.requests.count('POST /repos/{owner}/{repo}/issues/{issue_number}/comments')).toBe(0);
    expect(gh.requests.count('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}')).toBe(1);
    const other = await upsertPlanComment(
      client,
      target('infra/app', 'staging'),
      `${planCommentMarker('infra/app', 'staging')}\nplan s`,
    );
    expect(other.action).toBe('created');
    const plans = issueComments(repo).filter((c) => c.body.startsWith('<!-- slipway:tf-plan'));
    expect(plans.map((c) => c.body)).toEqual([
      `${planCommentMarker('infra/app', 'default')}\nplan 2`,
      `${planCommentMarker('infra/app', 'staging')}\nplan s`,
    ]);
    expect(issueComments(repo).filter((c) => c.body.startsWith('chatter'))).toHaveLength(120);
  });

  it('a marker for a prefix directory does not match a longer one', () => {
    expect(
      hasMarker(
        `${planCommentMarker('infra/app-2', 'default')}\nx`,
        planCommentMarker('infra/app', 'default'),
      ),
    ).toBe(false);
  });
});
