/**
 * One step of a job: its `if:` against the job status, its `env:`/`with:` and
 * `working-directory` interpolated, its time limit (`timeout-minutes`, within what
 * is left of the job's), then the `run:` script, the local action or the stand-in,
 * and `continue-on-error` turning a failed outcome into a successful conclusion.
 */
import { resolve } from 'node:path';
import { evaluateCondition, interpolate, type ExpressionContext } from '../harness/expressions.ts';
import { annotationsFrom, masksFrom, type Annotation } from '../harness/file-commands.ts';
import type { StepContext } from './job-context.ts';
import { runLocalAction } from './local-action-step.ts';
import { runShellStep } from './shell-step.ts';
import type { StandIn, StandInGitHub } from './stand-in.ts';
import type { DeferredPost } from '../harness/run-action.ts';
import type { WorkflowStepSpec } from './workflow-file.ts';

export interface StepRecord extends StepContext {
  index: number;
  id?: string;
  name: string;
  kind: 'run' | 'local-action' | 'stand-in';
  /** Set on the post step of a local action, which the job runs at its end ("Post <name>"). */
  stage?: 'post';
  uses?: string;
  /** Interpolated `with:` as the step gave it (local actions: the inputs they received, defaults included). */
  with: Record<string, string>;
  /** Interpolated step `env:`. */
  env: Record<string, string>;
  exitCode?: number;
  /** Local JavaScript actions: the node binary that ran them. */
  node?: string;
  timedOut: boolean;
  exported: Record<string, string>;
  path: string[];
  masks: string[];
  annotations: Annotation[];
  warnings: string[];
  summary: string;
  log: string;
}

export interface JobStepOptions {
  index: number;
  spec: WorkflowStepSpec;
  defaults: { shell?: string; 'working-directory'?: string };
  context: (where: string) => ExpressionContext;
  /** Runner, workflow, job and exported env, with PATH additions applied. */
  baseEnv: Record<string, string>;
  workspace: string;
  runnerTemp: string;
  /** Epoch ms when the job's timeout-minutes run out. */
  deadline: number;
  github: StandInGitHub;
  standIns: Record<string, StandIn>;
  node?: string;
  /** Receives a local action's post step, with the step's own env (`env:`, GITHUB_ACTION) for it. */
  deferPost: (post: DeferredPostStep) => void;
}

export interface DeferredPostStep {
  main: StepRecord;
  post: DeferredPost;
  stepEnv: Record<string, string>;
}

const truthyFlag = (v: string) => v === 'true';

export async function runJobStep(options: JobStepOptions): Promise<StepRecord> {
  const { spec, index } = options;
  const label = spec.id ?? `step${index + 1}`;
  const where = (key: string) => `steps[${index}] (${spec.name ?? spec.id ?? spec.uses ?? 'run'}).${key}`;
  const text = (v: string | number | boolean, key: string) =>
    interpolate(String(v), options.context(where(key)));
  for (const key of Object.keys(spec)) {
    if (
      ![
        'id',
        'name',
        'if',
        'run',
        'shell',
        'uses',
        'with',
        'env',
        'working-directory',
        'continue-on-error',
        'timeout-minutes',
      ].includes(key)
    )
      throw new Error(`not supported by the local runner: ${where(key)}`);
  }
  const name =
    spec.name !== undefined ? text(spec.name, 'name') : (spec.uses ?? `Run ${spec.run?.split('\n')[0]}`);
  const record = skippedRecord({
    index,
    ...(spec.id ? { id: spec.id } : {}),
    name,
    kind: spec.run !== undefined ? 'run' : spec.uses?.startsWith('./') ? 'local-action' : 'stand-in',
    ...(spec.uses ? { uses: spec.uses } : {}),
  });
  const condition = spec.if === undefined ? undefined : String(spec.if);
  if (!evaluateCondition(condition, options.context(where('if')))) return record;

  record.env = Object.fromEntries(Object.entries(spec.env ?? {}).map(([k, v]) => [k, text(v, `env.${k}`)]));
  record.with = Object.fromEntries(
    Object.entries(spec.with ?? {}).map(([k, v]) => [k, text(v, `with.${k}`)]),
  );
  const continueOnError = truthyFlag(text(spec['continue-on-error'] ?? false, 'continue-on-error'));
  const left = options.deadline - Date.now();
  const stepMinutes =
    spec['timeout-minutes'] === undefined
      ? undefined
      : Number(text(spec['timeout-minutes'], 'timeout-minutes'));
  const timeoutMs = Math.max(1, Math.min(left, stepMinutes === undefined ? left : stepMinutes * 60_000));
  const env = { ...options.baseEnv, ...record.env, GITHUB_ACTION: label };

  let failed = false;
  if (spec.run !== undefined) {
    const workingDirectory = spec['working-directory'] ?? options.defaults['working-directory'];
    const run = await runShellStep({
      label,
      script: text(spec.run, 'run'),
      shell: spec.shell ?? options.defaults.shell,
      env,
      cwd:
        workingDirectory === undefined
          ? options.workspace
          : resolve(options.workspace, text(workingDirectory, 'working-directory')),
      runnerTemp: options.runnerTemp,
      timeoutMs,
    });
    failed = run.exitCode !== 0 || run.timedOut;
    Object.assign(record, {
      exitCode: run.exitCode,
      timedOut: run.timedOut,
      outputs: run.outputs,
      exported: run.env,
      path: run.path,
      masks: masksFrom(run.commands),
      annotations: annotationsFrom(run.commands),
      summary: run.summary,
      log: run.stdout + run.stderr,
    });
    if (run.timedOut)
      record.annotations.push({
        level: 'error',
        message: `The action '${name}' has timed out after ${timeoutMs / 60_000} minutes.`,
      });
    else if (failed)
      record.annotations.push({
        level: 'error',
        message: `Process completed with exit code ${run.exitCode}.`,
      });
  } else if (spec.uses?.startsWith('./')) {
    const { result, node, inputs, warnings, post } = await runLocalAction({
      uses: spec.uses,
      with: record.with,
      env,
      workspace: options.workspace,
      context: options.context(where('with')),
      timeoutMs,
      ...(options.node ? { node: options.node } : {}),
    });
    failed = result.exitCode !== 0;
    Object.assign(record, {
      with: inputs,
      node,
      exitCode: result.exitCode,
      outputs: result.outputs,
      exported: result.env,
      path: result.path,
      masks: result.masks,
      annotations: [
        ...warnings.map((message) => ({ level: 'warning' as const, message })),
        ...result.annotations,
      ],
      warnings,
      summary: result.summary,
      log: result.log,
    });
    // GitHub registers the post step once main has run, whatever main's outcome
    if (post) options.deferPost({ main: record, post, stepEnv: { ...record.env, GITHUB_ACTION: label } });
  } else if (spec.uses !== undefined) {
    const at = spec.uses.lastIndexOf('@');
    if (spec.uses.startsWith('docker://') || at < 0)
      throw new Error(
        `not supported by the local runner: ${where('uses')} '${spec.uses}' (only ./local and owner/repo@ref)`,
      );
    const key = spec.uses.slice(0, at);
    const standIn = options.standIns[key];
    if (!standIn)
      throw new Error(
        `not supported by the local runner: no stand-in for '${key}' (${where('uses')}); pass one in options.standIns`,
      );
    const result =
      (await standIn({
        uses: spec.uses,
        ref: spec.uses.slice(at + 1),
        with: record.with,
        workspace: options.workspace,
        runnerTemp: options.runnerTemp,
        env,
        github: options.github,
      })) ?? {};
    failed = result.failed !== undefined;
    Object.assign(record, {
      outputs: result.outputs ?? {},
      exported: result.env ?? {},
      masks: result.masks ?? [],
      annotations: failed ? [{ level: 'error', message: result.failed }] : [],
      log: (result.log ?? []).join('\n'),
    });
  } else {
    throw new Error(`${where('run')}: a step needs run or uses`);
  }
  record.outcome = failed ? 'failure' : 'success';
  record.conclusion = failed && !continueOnError ? 'failure' : 'success';
  return record;
}

/** A step's record before it runs (or when its `if:` is false): skipped, nothing produced yet. */
export function skippedRecord(
  step: Pick<StepRecord, 'index' | 'name' | 'kind'> & Partial<StepRecord>,
): StepRecord {
  return {
    with: {},
    env: {},
    outputs: {},
    outcome: 'skipped',
    conclusion: 'skipped',
    timedOut: false,
    exported: {},
    path: [],
    masks: [],
    annotations: [],
    warnings: [],
    summary: '',
    log: '',
    ...step,
  };
}
