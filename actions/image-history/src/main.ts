import * as core from '@actions/core';
import { UserError, run } from '@slipway/core';
import { createGitHub } from '@slipway/github';
import {
  findRollbackTarget,
  formatValuePath,
  locatorFor,
  readFileHistory,
  readerFor,
  restoreChanges,
  restoreImageSpec,
  rollbackSearchSettled,
  type ImageReader,
} from '@slipway/gitops';
import { getInputs } from './inputs.ts';

export default async function main(): Promise<void> {
  await run(readHistory);
}

async function readHistory(): Promise<void> {
  const inputs = getInputs();
  const client = createGitHub({ token: inputs.token, log: (message) => core.info(message) });
  const slug = `${inputs.owner}/${inputs.repo}`;
  // which kind of file it is is known once the newest version is read (as image-bump decides)
  let read: ImageReader | undefined;
  let label = inputs.image ?? formatValuePath(inputs.key);
  const history = await readFileHistory(client, {
    owner: inputs.owner,
    repo: inputs.repo,
    ...(inputs.ref ? { ref: inputs.ref } : {}),
    path: inputs.file,
    // without `failed` only the newest version is needed; with it, only as far back as the target
    limit: inputs.failed ? inputs.depth : 1,
    until: (got) => {
      if (!read && got[0]?.text !== undefined) {
        const locator = locatorFor(inputs.file, got[0].text, inputs);
        read = readerFor(locator);
        label = locator.kind === 'kustomize' ? locator.image : formatValuePath(locator.key);
      }
      return (
        inputs.failed === undefined ||
        rollbackSearchSettled({
          file: inputs.file,
          image: label,
          ...(read ? { read } : {}),
          history: got,
          failed: inputs.failed,
          alsoBad: inputs['also-bad'],
        })
      );
    },
  });
  const head = history[0];
  if (!head?.text)
    throw new UserError(`${inputs.file} does not exist in ${slug} at ${inputs.ref ?? 'the default branch'}.`);
  const locator = locatorFor(inputs.file, head.text, inputs);
  read ??= readerFor(locator);
  const current = read(inputs.file, head.text);
  if (!current && locator.kind === 'kustomize')
    throw new UserError(`${inputs.file} has no \`images\` entry named '${locator.image}'.`);
  if (!current)
    throw new UserError(
      `${inputs.file} has no image under \`${label}\` (a mapping with repository, tag or digest).`,
      { hint: "Give the values key that holds the image in the 'key' input." },
    );
  core.setOutput('commit', head.commit);
  core.setOutput('digest', current.digest ?? '');
  core.setOutput('tag', current.newTag ?? '');
  core.setOutput('kind', locator.kind);
  core.info(`${label} in ${slug}/${inputs.file} at ${head.commit}: ${restoreImageSpec(label, current)}`);
  if (!inputs.failed) return;

  const target = findRollbackTarget({
    file: inputs.file,
    image: label,
    read,
    history,
    failed: inputs.failed,
    alsoBad: inputs['also-bad'],
  });
  const changes = restoreChanges(inputs.file, locator, current, target.fields);
  core.setOutput('rollback-commit', target.commit);
  core.setOutput('rollback-digest', target.fields.digest ?? '');
  core.setOutput('rollback-tag', target.fields.newTag ?? '');
  if (locator.kind === 'kustomize')
    core.setOutput('rollback-image', restoreImageSpec(locator.image, target.fields));
  core.setOutput('rollback-changes', changes);
  core.info(
    `rollback target from ${target.commit} (${target.skipped} newer commit(s) passed over), as image-bump changes:\n${changes}`,
  );
}
