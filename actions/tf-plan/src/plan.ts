import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as core from '@actions/core';
import { actionsSummaryWriter, actionsCoreMask, UserError } from '@slipway/core';
import { createGitHub, githubEndpoints } from '@slipway/github';
import { rootModuleOutputDir, rootModuleTarget } from '@slipway/terraform/inputs';
import { installTfForAction } from '@slipway/terraform/install';
import { PlanFailedError, runPlanStep } from '@slipway/terraform/plan';
import { runSealStep } from '@slipway/terraform/apply';
import { collectSecrets, scrubbedProgramRunner } from '@slipway/terraform/render';
import type { Inputs } from './inputs.ts';

/** The pull request of the triggering event (pull_request*, or issue_comment on a pull request). */
function pullRequestNumber(env: NodeJS.ProcessEnv): number | undefined {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  try {
    const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as {
      pull_request?: { number?: number };
      issue?: { number?: number; pull_request?: unknown };
    };
    return event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined);
  } catch {
    return undefined;
  }
}

/** Everything after the inputs: install, plan, comment and (with seal) the sealed plan. */
export async function plan(inputs: Inputs): Promise<void> {
  const env = process.env;
  const secrets = collectSecrets(
    {
      inputs: inputs['github-token'] ? [inputs['github-token']] : [],
      env,
      backendConfig: inputs['backend-config'],
      patterns: inputs.redact,
    },
    actionsCoreMask,
  );
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const issueNumber = inputs.comment ? pullRequestNumber(env) : undefined;
  if (inputs.comment && issueNumber === undefined)
    core.notice('tf-plan: this event has no pull request; no plan comment is posted.');
  const endpoints = githubEndpoints(env);
  const installed = await installTfForAction(inputs.tool, inputs.version, env);
  const outputDir = rootModuleOutputDir(env.RUNNER_TEMP || tmpdir(), 'slipway-tf-plan', inputs);
  const client = () =>
    createGitHub({
      token: inputs['github-token'] ?? '',
      endpoints,
      log: (line) => core.info(line),
    });
  const result = await runPlanStep(
    {
      ...rootModuleTarget(inputs, installed),
      outputDir,
      secrets,
      comment:
        issueNumber !== undefined && owner && repo
          ? {
              client: client(),
              owner,
              repo,
              issueNumber,
            }
          : undefined,
      fullPlanUrl:
        env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY
          ? `${endpoints.serverUrl}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
          : undefined,
    },
    {
      run: scrubbedProgramRunner(secrets, (line) => core.info(line)),
      summary: actionsSummaryWriter,
      log: (line) => core.info(line),
    },
  );
  const c = result.changes;
  core.setOutput('exitcode', String(result.exitcode));
  core.setOutput('has-changes', String(result.hasChanges));
  core.setOutput('add', String(c?.add ?? 0));
  core.setOutput('change', String(c?.change ?? 0));
  core.setOutput('destroy', String(c?.destroy ?? 0));
  core.setOutput('replace', String(c?.replace ?? 0));
  core.setOutput('plan-digest', result.planDigest);
  core.setOutput('plan-file', result.planFile);
  core.setOutput('plan-json', result.planJson);
  core.setOutput('comment-url', result.comment?.url ?? '');
  if (inputs.seal && result.exitcode !== 1) {
    const commit = inputs.sha ?? env.GITHUB_SHA ?? '';
    if (!/^[0-9a-f]{40}$/.test(commit) || !owner || !repo)
      throw new UserError(
        'seal: true needs the sha input (or GITHUB_SHA) and GITHUB_REPOSITORY (a GitHub Actions run).',
      );
    const sealed = await runSealStep({
      planFile: result.planFile,
      outputDir,
      key: inputs.seal.key,
      tool: inputs.tool,
      toolVersion: installed.version,
      workingDirectory: inputs['working-directory'],
      directoryLabel: inputs.directoryLabel,
      workspace: inputs.workspace,
      commit,
      runId: env.GITHUB_RUN_ID ?? '',
      github: { client: client(), owner, repo },
      signing: {
        fulcioUrl: inputs.seal.fulcioUrl,
        rekorUrl: inputs.seal.rekorUrl,
        tlogUpload: true,
        timeoutMs: 30_000,
        identityToken: await sigstoreIdToken(),
      },
    });
    core.setOutput('sealed-plan', sealed.sealedFile);
    core.setOutput('plan-bundle', sealed.bundleFile);
    core.info(`Sealed plan ${sealed.manifest.planSha256} for tree ${sealed.manifest.sourceTree}.`);
  }
  if (result.exitcode === 1) throw new PlanFailedError(inputs.directoryLabel, inputs.workspace);
}

/** The job's OIDC token for Fulcio (audience `sigstore`); @actions/core masks it. */
async function sigstoreIdToken(): Promise<string> {
  try {
    return await core.getIDToken('sigstore');
  } catch (error) {
    throw new UserError(`seal: requesting the GitHub OIDC token failed: ${(error as Error).message}`, {
      hint: 'Add `permissions: id-token: write` to the job.',
      cause: error,
    });
  }
}
