/** Drift issues on the GitHub double: open, update in place, close when clean, with request counts. */
import { getOctokit } from '@actions/github';
import { UserError } from '@slipway/core';
import type { GitHubClient } from '@slipway/github';
import { clientOnDouble } from '../../../../test/doubles/github/client.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startGitHubDouble,
  type GitHubDouble,
  type HostedRepo,
} from '../../../../test/doubles/github/index.ts';
import { syncDriftIssues } from './drift-issues.ts';
import { DRIFT_LABEL, ISSUE_BODY_LIMIT, parseDriftMarker, type DriftResult } from './drift-report.ts';

let gh: GitHubDouble;
let client: GitHubClient;
let hosted: HostedRepo;
const repoArgs = { owner: 'infra', repo: 'live' };
const run = (id: number) => ({
  url: `https://github.example/infra/live/actions/runs/${id}`,
  at: new Date('2026-12-01T06:00:00Z'),
});

const LIST = 'GET /repos/{owner}/{repo}/issues';
const CREATE = 'POST /repos/{owner}/{repo}/issues';
const UPDATE = 'PATCH /repos/{owner}/{repo}/issues/{issue_number}';
const COMMENT = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';

function result(dir: string, exitCode: 0 | 1 | 2, add = 0, summary = ''): DriftResult {
  return {
    dir,
    workspace: 'default',
    exitCode,
    ...(exitCode === 1 ? {} : { counts: { add, change: 0, destroy: 0, replace: 0 } }),
    summary: summary || `plan of ${dir}: ${add} to add`,
  };
}

function counts() {
  return [LIST, CREATE, UPDATE, COMMENT].map((k) => gh.requests.count(k));
}

beforeAll(async () => {
  gh = await startGitHubDouble();
  const octokit = getOctokit('t', { baseUrl: gh.url });
  client = clientOnDouble(gh);
  const live = await gh.repos.create('infra/live');
  await live.commit({ files: { 'a.tf': '' } });
  await live.commit({ branch: 'feature', files: { 'b.tf': '' } });
  hosted = live.repo;
  // a pull request and an issue carrying the label without a marker must be left alone
  const pr = await octokit.rest.pulls.create({ ...repoArgs, head: 'feature', base: 'main', title: 'pr' });
  await octokit.rest.issues.addLabels({ ...repoArgs, issue_number: pr.data.number, labels: [DRIFT_LABEL] });
  await octokit.rest.issues.create({
    ...repoArgs,
    title: 'about drift',
    body: 'hand-written',
    labels: [DRIFT_LABEL],
  });
});
afterAll(async () => {
  await gh.close();
});

describe('drift issues', () => {
  it('follows each directory through opened, updated in place, closed when clean, reopened as a new issue', async () => {
    // run 1: two drifted directories, one clean, one failed plan
    gh.requests.reset();
    const first = await syncDriftIssues(
      client,
      repoArgs,
      [
        result('infra/prod', 2, 1),
        result('infra/a|b', 2, 3),
        result('infra/dev', 0),
        result('infra/broken', 1),
      ],
      run(1),
    );
    expect(counts()).toEqual([1, 2, 0, 0]);
    expect(first.opened).toHaveLength(2);
    const [prodIssue, pipeIssue] = first.opened.map((n) => hosted.issues.find((i) => i.number === n)!);
    expect(prodIssue).toMatchObject({
      title: 'Drift: infra/prod (workspace default)',
      state: 'open',
      labels: [DRIFT_LABEL],
    });
    expect(parseDriftMarker(prodIssue!.body)).toEqual({ dir: 'infra/prod', workspace: 'default' });
    expect(parseDriftMarker(pipeIssue!.body)).toEqual({ dir: 'infra/a|b', workspace: 'default' });
    expect(prodIssue!.body).toContain('1 to add, 0 to change, 0 to destroy, 0 to replace');
    expect(prodIssue!.body).toContain('plan of infra/prod: 1 to add');
    expect(prodIssue!.body).toContain('(https://github.example/infra/live/actions/runs/1)');

    // run 2: prod still drifts (new counts), a|b is clean, dev still clean, broken still failing
    gh.requests.reset();
    const second = await syncDriftIssues(
      client,
      repoArgs,
      [result('infra/prod', 2, 5), result('infra/a|b', 0), result('infra/dev', 0), result('infra/broken', 1)],
      run(2),
    );
    expect(counts()).toEqual([1, 0, 2, 1]); // list; update prod + close a|b; one comment
    expect(second).toMatchObject({ opened: [], updated: [prodIssue!.number], closed: [pipeIssue!.number] });
    expect(prodIssue).toMatchObject({ state: 'open' });
    expect(prodIssue!.body).toContain('5 to add');
    expect(prodIssue!.body).toContain('actions/runs/2');
    expect(pipeIssue).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(pipeIssue!.comments.map((c) => c.body)).toEqual([
      'No drift any more: [this run](https://github.example/infra/live/actions/runs/2) planned no changes at 2026-12-01T06:00:00.000Z. Closing.',
    ]);
    expect(second.table.split('\n')).toEqual([
      '| directory | workspace | status | add | change | destroy | replace | issue |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      `| \`infra/a\\|b\` | \`default\` | clean | 0 | 0 | 0 | 0 | [#${pipeIssue!.number}](${gh.serverUrl}/infra/live/issues/${pipeIssue!.number}) |`,
      '| `infra/broken` | `default` | plan failed |  |  |  |  |  |',
      '| `infra/dev` | `default` | clean | 0 | 0 | 0 | 0 |  |',
      `| \`infra/prod\` | \`default\` | drift | 5 | 0 | 0 | 0 | [#${prodIssue!.number}](${gh.serverUrl}/infra/live/issues/${prodIssue!.number}) |`,
    ]);

    // run 3: a|b drifts again: a new issue, the closed one stays closed
    const third = await syncDriftIssues(client, repoArgs, [result('infra/a|b', 2, 1)], run(3));
    expect(third.opened).toHaveLength(1);
    expect(third.opened[0]).not.toBe(pipeIssue!.number);
    expect(pipeIssue!.state).toBe('closed');
  });

  it('keeps an issue body under GitHub’s limit, saying where the full plan is', async () => {
    const huge = result('infra/huge', 2, 200, `${'x'.repeat(70_000)}`);
    const sync = await syncDriftIssues(client, repoArgs, [huge], run(4));
    const body = hosted.issues.find((i) => i.number === sync.opened[0])!.body!;
    expect(body.length).toBeLessThanOrEqual(ISSUE_BODY_LIMIT);
    expect(body.length).toBeGreaterThan(ISSUE_BODY_LIMIT - 100);
    expect(body).toMatch(/cut to fit the issue; the full plan is in the run summary\)$/);
  });

  it('a token without issues: write gets a UserError naming the permission', async () => {
    gh.tokens.set('read-only', { permissions: { issues: 'read', contents: 'read', metadata: 'read' } });
    const readOnly = clientOnDouble(gh, { token: 'read-only' });
    const attempt = syncDriftIssues(readOnly, repoArgs, [result('infra/new', 2, 1)], run(5));
    await expect(attempt).rejects.toThrow(UserError);
    await expect(attempt).rejects.toThrow(/needs `issues: write` on infra\/live/);
  });
});
