/**
 * routeEvent on the GitHub double: a refused comment command gets a reply on the pull request
 * (when asked for), the refusal is thrown whether or not the reply could be posted, and a comment
 * that is no command gets no reply.
 */
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startGitHubDouble,
  type GitHubDouble,
  type RepoBuilder,
} from '../../../../test/doubles/github/index.ts';
import { clientOnDouble } from '../../../../test/doubles/github/client.ts';
import { setCollaborator } from '../../../../test/doubles/github/routes/collaborators.ts';
import { issueComments } from '../../../../test/doubles/github/routes/issue-comments.ts';
import { CommandRefusedError } from './command-gate.ts';
import { REFUSAL_MARKER } from './refusal-reply.ts';
import { routeEvent } from './route-event.ts';

const TOKEN = 'ghs_routeEventTestToken00000000000000001';
let gh: GitHubDouble;
let repo: RepoBuilder;
let head = '';

beforeAll(async () => {
  gh = await startGitHubDouble();
  repo = await gh.repos.create('acme/infra');
  await repo.commit({ files: { 'app/main.tf': 'resource "terraform_data" "a" {}\n' } });
  head = await repo.commit({ branch: 'f', files: { 'app/main.tf': 'resource "terraform_data" "b" {}\n' } });
  const octokit = getOctokit(TOKEN, { baseUrl: gh.url });
  await octokit.rest.pulls.create({ owner: 'acme', repo: 'infra', head: 'f', base: 'main', title: 'f' });
  setCollaborator(repo.repo, 'mallory', 'read');
}, 60_000);
afterAll(async () => gh?.close());

const at = () => ({
  client: clientOnDouble(gh),
  owner: 'acme',
  repo: 'infra',
});
const comment = (body: string, user = 'mallory') => ({
  action: 'created',
  issue: { number: 1, pull_request: {} },
  comment: { body, user: { login: user } },
});
const replies = () => issueComments(repo.repo).filter((c) => c.body.startsWith(REFUSAL_MARKER));

describe('routeEvent: refused comment commands', () => {
  it('replies with the refusal and throws it; without replyToRefusals it only throws', async () => {
    const event = comment(`/plan ${head.slice(0, 8)}`);
    await expect(routeEvent(at(), 'issue_comment', event)).rejects.toBeInstanceOf(CommandRefusedError);
    expect(replies()).toHaveLength(0);
    const run = 'https://github.com/acme/infra/actions/runs/5';
    await expect(
      routeEvent(at(), 'issue_comment', event, { replyToRefusals: true, runUrl: run }),
    ).rejects.toThrow('/plan by @mallory refused');
    expect(replies().map((c) => c.body)).toEqual([expect.stringContaining(`**/plan was refused.**`)]);
    expect(replies()[0]!.body).toContain(run);
  });

  it('a command with bad arguments is refused with the usage, a plain comment gets nothing', async () => {
    const before = replies().length;
    await expect(
      routeEvent(at(), 'issue_comment', comment('/apply not-a-sha', 'alice'), { replyToRefusals: true }),
    ).rejects.toThrow();
    expect(replies()).toHaveLength(before + 1);
    expect(replies().at(-1)!.body).toContain('/plan &lt;head sha&gt;');
    expect(
      await routeEvent(at(), 'issue_comment', comment('looks good'), { replyToRefusals: true }),
    ).toMatchObject({
      action: 'none',
    });
    expect(replies()).toHaveLength(before + 1);
  });

  it('a reply that cannot be posted is a warning; the refusal is still what is thrown', async () => {
    const before = replies().length;
    gh.faults.add({
      route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    const warnings: string[] = [];
    await expect(
      routeEvent(at(), 'issue_comment', comment(`/apply ${head}`), {
        replyToRefusals: true,
        warn: (w) => warnings.push(w),
      }),
    ).rejects.toBeInstanceOf(CommandRefusedError);
    expect(replies()).toHaveLength(before);
    expect(warnings).toEqual([expect.stringContaining('Could not reply to the refused command on #1')]);
  });
});
