import * as core from '@actions/core';
import { UserError, run } from '@slipway/core';
import { createGitHub } from '@slipway/github';
import {
  findRollbackTarget,
  readFileHistory,
  readKustomizeImage,
  restoreImageSpec,
  rollbackSearchSettled,
} from '@slipway/gitops';
import { getInputs } from './inputs.ts';

export default async function main(): Promise<void> {
  await run(readHistory);
}

async function readHistory(): Promise<void> {
  const inputs = getInputs();
  const client = createGitHub({ token: inputs.token, log: (message) => core.info(message) });
  const slug = `${inputs.owner}/${inputs.repo}`;
  const history = await readFileHistory(client, {
    owner: inputs.owner,
    repo: inputs.repo,
    ...(inputs.ref ? { ref: inputs.ref } : {}),
    path: inputs.file,
    // without `failed` only the newest version is needed; with it, only as far back as the target
    limit: inputs.failed ? inputs.depth : 1,
    until: (read) =>
      inputs.failed === undefined ||
      rollbackSearchSettled({
        file: inputs.file,
        image: inputs.image,
        history: read,
        failed: inputs.failed,
        alsoBad: inputs['also-bad'],
      }),
  });
  const head = history[0];
  if (!head?.text)
    throw new UserError(`${inputs.file} does not exist in ${slug} at ${inputs.ref ?? 'the default branch'}.`);
  const current = readKustomizeImage(inputs.file, head.text, inputs.image);
  if (!current) throw new UserError(`${inputs.file} has no \`images\` entry named '${inputs.image}'.`);
  core.setOutput('commit', head.commit);
  core.setOutput('digest', current.digest ?? '');
  core.setOutput('tag', current.newTag ?? '');
  core.info(
    `${inputs.image} in ${slug}/${inputs.file} at ${head.commit}: ${restoreImageSpec(inputs.image, current)}`,
  );
  if (!inputs.failed) return;

  const target = findRollbackTarget({
    file: inputs.file,
    image: inputs.image,
    history,
    failed: inputs.failed,
    alsoBad: inputs['also-bad'],
  });
  const spec = restoreImageSpec(inputs.image, target.fields);
  core.setOutput('rollback-commit', target.commit);
  core.setOutput('rollback-digest', target.fields.digest ?? '');
  core.setOutput('rollback-tag', target.fields.newTag ?? '');
  core.setOutput('rollback-image', spec);
  core.info(`rollback target: ${spec} from ${target.commit} (${target.skipped} newer commit(s) passed over)`);
}
