/**
 * A `uses: ./path` step: the action folder is read from the job's workspace (so
 * `./.slipway/actions/<name>` runs whatever the checkout step put there: the
 * committed action.yml and dist/ bundle), its input defaults are evaluated in the
 * job's contexts as the runner does (`${{ github.token }}`), and it runs through
 * the harness `runAction()`. A post step is held back (`deferPost`) and handed to the job,
 * which runs it at the end; a pre step is refused.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { interpolate, type ExpressionContext } from '../harness/expressions.ts';
import { node24Path } from '../harness/node-versions.ts';
import {
  readActionMetadata,
  runAction,
  type ActionRunResult,
  type DeferredPost,
} from '../harness/run-action.ts';

export interface LocalActionStep {
  uses: string;
  with: Record<string, string>;
  env: Record<string, string>;
  workspace: string;
  context: ExpressionContext;
  timeoutMs: number;
  node?: string;
}

export interface LocalActionRun {
  result: ActionRunResult;
  /** The node binary the action ran with. */
  node: string;
  /** The inputs the action received (given, then defaults). */
  inputs: Record<string, string>;
  /** GitHub's warning for inputs the action does not declare (they are dropped). */
  warnings: string[];
  /** The action's post step, for the end of the job (the job runs these in reverse order). */
  post?: DeferredPost;
}

/** The node the runner uses for `runs.using` (GitHub runs node24 actions on Node 24). */
function nodeFor(using: string, uses: string): string | undefined {
  if (using === 'composite') return undefined;
  if (using === 'node24') return node24Path();
  if (using === `node${process.versions.node.split('.')[0]}`) return process.execPath;
  throw new Error(`not supported by the local runner: ${uses} runs.using '${using}'`);
}

export async function runLocalAction(step: LocalActionStep): Promise<LocalActionRun> {
  const actionDir = resolve(step.workspace, step.uses);
  if (relative(step.workspace, actionDir).startsWith('..'))
    throw new Error(`not supported by the local runner: ${step.uses} points outside the workspace`);
  if (!['action.yml', 'action.yaml'].some((f) => existsSync(join(actionDir, f))))
    throw new Error(
      `Can't find 'action.yml' or 'action.yaml' under '${actionDir}'. Did you forget to run actions/checkout before running your local action?`,
    );
  const meta = readActionMetadata(actionDir);
  if (meta.runs.pre)
    throw new Error(
      `not supported by the local runner: ${step.uses} has a pre step (GitHub runs it at the start of the job)`,
    );
  const declared = meta.inputs ?? {};
  const unexpected = Object.keys(step.with).filter((name) => !(name in declared));
  const warnings =
    unexpected.length > 0
      ? [
          `Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${Object.keys(declared).join("', '")}']`,
        ]
      : [];
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(declared)) {
    if (name in step.with) inputs[name] = step.with[name] as string;
    else if (spec.default !== undefined) inputs[name] = interpolate(String(spec.default), step.context);
  }
  const node = step.node ?? nodeFor(meta.runs.using, step.uses);
  const result = await runAction({
    actionDir,
    inputs,
    env: step.env,
    workspace: step.workspace,
    deferPost: true,
    timeoutMs: step.timeoutMs,
    ...(node ? { node } : {}),
  });
  const { deferredPost: post, ...mainResult } = result;
  return { result: mainResult, node: node ?? process.execPath, inputs, warnings, ...(post ? { post } : {}) };
}
