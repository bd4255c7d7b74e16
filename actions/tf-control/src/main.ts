import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { actionsSummaryWriter, run, UserError } from '@slipway/core';
import { createGitHub, githubEndpoints } from '@slipway/github';
import { planStatus, postCommitStatus } from '@slipway/terraform/control';
import { releaseLocks, takePlanLock, unlockDirectory } from '@slipway/terraform/control';
import { routeEvent, type WorkflowEvent } from '@slipway/terraform/control';
import { getInputs } from './inputs.ts';

export default () =>
  run(async () => {
    const env = process.env;
    const inputs = getInputs();
    const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
    if (!owner || !repo)
      throw new UserError('GITHUB_REPOSITORY is not set: tf-control runs in a GitHub Actions job.');
    const endpoints = githubEndpoints(env);
    const client = createGitHub({
      token: inputs['github-token'],
      endpoints,
      log: (line) => core.info(line),
    });
    const at = { client, owner, repo };
    const runUrl = env.GITHUB_RUN_ID
      ? `${endpoints.serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
    const key = { dir: inputs.directory ?? '.', workspace: inputs.workspace ?? 'default' };

    switch (inputs.command) {
      case 'route': {
        const eventName = env.GITHUB_EVENT_NAME ?? '';
        const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH ?? '', 'utf8')) as WorkflowEvent;
        const route = await routeEvent(at, eventName, event, {
          replyToRefusals: true,
          runUrl,
          warn: (message) => core.warning(message),
        });
        core.setOutput('action', route.action);
        const entries = route.action === 'plan' || route.action === 'apply' ? route.entries : [];
        core.setOutput('matrix', JSON.stringify({ include: entries }));
        core.setOutput('count', String(entries.length));
        core.setOutput('pr', String(route.action === 'none' ? '' : route.pr));
        core.setOutput('sha', route.action === 'none' || route.action === 'release' ? '' : route.sha);
        core.setOutput('merge-commit', route.action === 'release' ? (route.mergeCommit ?? '') : '');
        if (route.action === 'unlock') {
          core.setOutput('unlock-directory', route.target.dir);
          core.setOutput('unlock-workspace', route.target.workspace ?? '');
          core.setOutput('unlock-reason', route.reason);
          core.setOutput('actor', route.actor);
        }
        if (route.action === 'plan' || route.action === 'apply') {
          for (const warning of route.warnings) core.warning(warning);
          core.info(
            `${route.action}: ${entries.map((e) => `${e.dir}@${e.workspace}`).join(', ') || 'nothing'}`,
          );
        } else {
          core.info(
            route.action === 'none'
              ? `Nothing to do: ${route.reason}.`
              : `${route.action} for PR #${route.pr}`,
          );
        }
        return;
      }
      case 'lock': {
        const result = await takePlanLock(at, {
          key,
          pr: inputs.pr!,
          sha: inputs.sha!,
          run: env.GITHUB_RUN_ID ?? '0',
          actor: env.GITHUB_ACTOR,
          targetUrl: runUrl,
        });
        if ('held' in result) {
          core.setOutput('message', result.held.message);
          throw result.held;
        }
        core.setOutput('message', '');
        core.info(`Lock of ${key.dir} (workspace ${key.workspace}): ${result.outcome}.`);
        return;
      }
      case 'status': {
        const status = planStatus({
          planOutcome: inputs['plan-outcome'],
          exitcode: inputs.exitcode,
          counts: { add: inputs.add, change: inputs.change, destroy: inputs.destroy },
          lockMessage: inputs['lock-message'],
        });
        await postCommitStatus(
          client,
          { owner, repo },
          { sha: inputs.sha!, key, ...status, targetUrl: runUrl },
        );
        core.info(`Commit status of ${key.dir}: ${status.state} (${status.description})`);
        return;
      }
      case 'release': {
        const released = await releaseLocks(at, {
          pr: inputs.pr!,
          by: inputs['release-by'],
          ...(inputs.directory ? { key } : {}),
          ...(inputs['merge-commit'] ? { mergeCommit: inputs['merge-commit'] } : {}),
        });
        const list = released.map((k) => `${k.dir} (workspace ${k.workspace})`).join(', ');
        core.info(
          released.length ? `Released the locks of PR #${inputs.pr}: ${list}.` : 'No lock to release.',
        );
        return;
      }
      case 'vars': {
        for (const { name, value } of inputs['tf-vars']) core.exportVariable(`TF_VAR_${name}`, value);
        const names = inputs['tf-vars'].map((v) => `TF_VAR_${v.name}`);
        core.info(names.length ? `Exported (masked): ${names.join(', ')}.` : 'No tf-vars given.');
        return;
      }
      case 'unlock': {
        const done = await unlockDirectory(at, {
          dir: key.dir,
          ...(inputs.workspace ? { workspace: inputs.workspace } : {}),
          actor: inputs.actor ?? env.GITHUB_ACTOR ?? 'unknown',
          reason: inputs.reason!,
        });
        const lines = done.map(
          (d) => `- ${d.key.dir} (workspace ${d.key.workspace}), held by PR #${d.previousPr}`,
        );
        await actionsSummaryWriter(
          `## /unlock ${key.dir}\n\n${lines.length ? `Released:\n${lines.join('\n')}` : 'No lock was held.'}\n`,
        );
        core.info(lines.length ? lines.join('\n') : `No lock of ${key.dir} was held.`);
        return;
      }
    }
  });
