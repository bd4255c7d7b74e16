import { join } from 'node:path';
import { tmpdir } from 'node:os';
import * as core from '@actions/core';
import { actionsCoreMask, actionsSummaryWriter, markdownTable, UserError } from '@slipway/core';
import { createGitHub } from '@slipway/github';
import { publicGoodTrustedRoot, readTrustedRoot } from '@slipway/supply-chain/signing';
import { runApplyStep } from '@slipway/terraform/apply';
import { rootModuleOutputDir, rootModuleTarget } from '@slipway/terraform/inputs';
import { installTfForAction } from '@slipway/terraform/install';
import { collectSecrets, scrubbedProgramRunner, scrubText } from '@slipway/terraform/render';
import type { Inputs } from './inputs.ts';

/** Everything after the inputs: trusted root, install, verify and apply, outputs and summary. */
export async function apply(inputs: Inputs): Promise<void> {
  const env = process.env;
  // TF_VAR_* values and backend-config values: tofu's apply output can show them (a variable
  // not marked sensitive, an output of one); the log gets them scrubbed
  const secrets = collectSecrets(
    {
      inputs: [inputs['github-token'], inputs['plan-key'].toString('base64')],
      env,
      backendConfig: inputs['backend-config'],
      patterns: [],
    },
    actionsCoreMask,
  );
  const log = (line: string) => core.info(scrubText(line, secrets));
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const temp = env.RUNNER_TEMP || tmpdir();
  const trustedRoot = inputs['trusted-root']
    ? readTrustedRoot(inputs['trusted-root'])
    : await publicGoodTrustedRoot(join(temp, 'slipway-tuf'), 30_000);
  const installed = await installTfForAction(inputs.tool, inputs.version, env);
  const client = createGitHub({
    token: inputs['github-token'],
    log: (line) => core.info(line),
  });
  const step = runApplyStep(
    {
      ...rootModuleTarget(inputs, installed),
      sealedFile: inputs['sealed-plan'],
      bundleFile: inputs['plan-bundle'],
      key: inputs['plan-key'],
      trustedRoot,
      policy: inputs.policy,
      commit: inputs.sha,
      github: { client, owner, repo },
      onMismatch: inputs['on-mismatch'],
      outputDir: rootModuleOutputDir(temp, 'slipway-tf-apply', inputs),
    },
    {
      run: scrubbedProgramRunner(secrets, (line) => core.info(line)),
      log,
      warn: (line) => core.warning(scrubText(line, secrets)),
    },
  );
  const result = await step.catch(async (error: unknown) => {
    if (error instanceof UserError) {
      core.setOutput('applied', 'false');
      await actionsSummaryWriter(
        `## tf-apply ${inputs.directoryLabel}: refused\n\nNothing was applied. ${error.message.replace(/\n/g, ' ')}\n`,
      );
    }
    throw error;
  });
  core.setOutput('applied', String(result.applied));
  core.setOutput('mode', result.mode);
  core.setOutput('plan-digest', result.planSha256);
  core.setOutput('reason', result.reason);
  const rows = [
    ['directory', `${inputs.directoryLabel} (workspace ${inputs.workspace})`],
    ['mode', result.mode === 'sealed-plan' ? 'the sealed, reviewed plan' : 'a fresh plan (re-planned)'],
    ['applied', result.applied ? 'yes' : 'no (no changes)'],
    ['plan sha256', result.planSha256 || '-'],
    ['planned tree', result.manifest?.sourceTree ?? '-'],
    ['commit', inputs.sha],
  ];
  if (result.reason) rows.push(['why re-planned', result.reason.replace(/\n/g, ' ')]);
  await actionsSummaryWriter(`## tf-apply ${inputs.directoryLabel}\n\n${markdownTable(['', ''], rows)}\n`);
}
