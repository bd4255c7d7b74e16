import * as core from '@actions/core';
import { actionsSummaryWriter, codeBlock, details, run } from '@slipway/core';
import { bumpOpsRepo, changeTable, type BumpOutcome } from '@slipway/gitops';
import { createGitHub } from '@slipway/github';
import { getInputs } from './inputs.ts';

export default async function main(): Promise<void> {
  await run(bump);
}

async function bump(): Promise<void> {
  const inputs = getInputs();
  const env = process.env;
  // API, GraphQL and web roots from the runner (github.com, GHE.com, GHES)
  const client = createGitHub({ token: inputs.token, log: (message) => core.info(message) });
  // links in the commit message and PR body point at the workflow's own server
  const serverUrl = client.endpoints.serverUrl;
  const sourceRepository = env.GITHUB_REPOSITORY ?? '';
  const outcome = await bumpOpsRepo(
    client,
    {
      owner: inputs.owner,
      repo: inputs.repo,
      ...(inputs.base ? { base: inputs.base } : {}),
      changes: inputs.changes,
      direct: inputs.direct,
      templates: {
        branch: inputs.branch,
        commit: inputs['commit-message'],
        title: inputs['pr-title'],
        body: inputs['pr-body'],
      },
      run: {
        sha: env.GITHUB_SHA ?? '',
        runUrl: `${serverUrl}/${sourceRepository}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`,
        sourceRepository,
      },
      pullRequest: {
        labels: inputs.labels,
        reviewers: inputs.reviewers,
        teamReviewers: inputs['team-reviewers'],
        assignees: inputs.assignees,
        draft: inputs.draft,
        autoMerge: inputs['auto-merge'],
      },
      preferRest: inputs['commit-api'] === 'rest',
    },
    { log: (message) => core.info(message), totalTimeoutMs: inputs['retry-timeout'] },
  );
  for (const warning of outcome.warnings) core.warning(warning);
  core.setOutput('changed', String(outcome.changed));
  core.setOutput('commit-sha', outcome.commit?.oid ?? '');
  core.setOutput('pull-request-number', outcome.pullRequest ? String(outcome.pullRequest.number) : '');
  core.setOutput('pull-request-url', outcome.pullRequest?.url ?? '');
  core.setOutput('files', JSON.stringify(outcome.files));
  core.setOutput('branch', outcome.branch);
  core.info(describe(outcome, `${inputs.owner}/${inputs.repo}`));
  await actionsSummaryWriter(summary(outcome, `${inputs.owner}/${inputs.repo}`));
}

function describe(outcome: BumpOutcome, slug: string): string {
  if (!outcome.changed && !outcome.pullRequest)
    return `image-bump: ${slug} already has every value; nothing committed.`;
  const commit = outcome.commit ? `committed ${outcome.commit.oid} to ${outcome.branch}` : 'no new commit';
  const pr = outcome.pullRequest
    ? `; pull request #${outcome.pullRequest.number} ${outcome.pullRequest.created ? 'opened' : 'updated'}: ${outcome.pullRequest.url}`
    : '';
  return `image-bump: ${commit}${pr} (${outcome.attempts} attempt(s))`;
}

function summary(outcome: BumpOutcome, slug: string): string {
  const lines = [`## Image bump in ${slug}`, ''];
  if (!outcome.changed && outcome.changes.length === 0) {
    lines.push('Every value was already set; nothing was committed.');
    return `${lines.join('\n')}\n`;
  }
  if (outcome.commit)
    lines.push(
      `Commit [\`${outcome.commit.oid.slice(0, 12)}\`](${outcome.commit.url}) on \`${outcome.branch}\`.`,
    );
  if (outcome.pullRequest) {
    lines.push(
      `Pull request [#${outcome.pullRequest.number}](${outcome.pullRequest.url}) ${outcome.pullRequest.created ? 'opened' : 'updated'}.`,
    );
  }
  lines.push(
    '',
    // file names and values come from the ops repository and the inputs: escaped
    changeTable(outcome.changes),
    '',
    details('Diff', codeBlock(outcome.diff.trimEnd(), 'diff')),
  );
  return `${lines.join('\n')}\n`;
}
