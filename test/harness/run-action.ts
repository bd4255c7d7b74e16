/**
 * Runs an action the way the GitHub runner does, against its committed bundle:
 * reads action.yml, applies input defaults, sets INPUT_* and the file-command
 * variables, runs `main`, then `post` (with STATE_* from the main step and the env
 * it exported; with `deferPost`, post is handed back as `deferredPost` for the caller
 * to run at the end of its job), and collects outputs, env, PATH additions, state, masks,
 * annotations and the job summary. Composite actions run their `run:` steps with
 * bash; `uses:` steps are run through this harness when `resolveUses` maps them to
 * a local action folder.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { inputEnvName } from '@slipway/core';
import { annotationsFrom, masksFrom, type Annotation } from './file-commands.ts';
import {
  collect,
  fileCommandEnv,
  newStepFiles,
  spawnStep,
  type StepFiles,
  type StepResult,
} from './step-process.ts';

export type { StepResult } from './step-process.ts';
import {
  evaluateCondition,
  interpolate,
  type ExpressionContext,
  type ExpressionValue,
} from './expressions.ts';

export interface ActionMetadata {
  name: string;
  description?: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: string | number | boolean }>;
  outputs?: Record<string, { description?: string; value?: string }>;
  runs: {
    using: string;
    main?: string;
    pre?: string;
    post?: string;
    'post-if'?: string;
    steps?: CompositeStep[];
  };
}

interface CompositeStep {
  id?: string;
  name?: string;
  if?: string;
  run?: string;
  shell?: string;
  uses?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string | number | boolean>;
  'working-directory'?: string;
  'continue-on-error'?: boolean;
}

export interface RunActionOptions {
  /** Folder holding action.yml (or action.yaml). */
  actionDir: string;
  inputs?: Record<string, string>;
  /** Extra environment (GITHUB_API_URL of a double, GITHUB_TOKEN, ACTIONS_ID_TOKEN_REQUEST_URL...). */
  env?: Record<string, string>;
  /** GITHUB_WORKSPACE; a fresh temp dir when omitted. */
  workspace?: string;
  /** Node binary for JavaScript actions; defaults to the one running the tests. */
  node?: string;
  /** Skip the post step even when action.yml declares one. */
  skipPost?: boolean;
  /**
   * Do not run the post step now: return it as `deferredPost`, to be run later (GitHub runs post
   * steps at the end of the job, in reverse order). Ignored with skipPost. JavaScript actions only.
   */
  deferPost?: boolean;
  timeoutMs?: number;
  /** Maps a composite `uses:` to a local action folder, e.g. OWNER/slipway/actions/sign@sha -> actions/sign. */
  resolveUses?: (uses: string) => string | undefined;
}

export interface ActionRunResult {
  /** Exit code of the action as the job sees it (main's, or the first failing composite step's). */
  exitCode: number;
  main: StepResult;
  post?: StepResult;
  /** Composite: one result per executed step. */
  steps?: StepResult[];
  outputs: Record<string, string>;
  /** Env exported by all steps (GITHUB_ENV), post included. */
  env: Record<string, string>;
  path: string[];
  state: Record<string, string>;
  masks: string[];
  annotations: Annotation[];
  summary: string;
  /** Everything the action printed, stdout and stderr of every step. */
  log: string;
  runnerTemp: string;
  workspace: string;
  /** With `deferPost`, when action.yml declares a post step: run it with this, later. */
  deferredPost?: DeferredPost;
}

/** A post step held back by `deferPost`, with main's STATE_* and inputs. */
export interface DeferredPost {
  /** `runs.post-if` as written; `always()` when action.yml has none. */
  condition: string;
  /**
   * Evaluates `post-if` against `status` (the job's, at the end) and runs the post step, or returns
   * undefined when the condition is false. `env` replaces the `env` given to runAction (the job's
   * environment at the end of the job, exports of later steps included); without it, post sees
   * that env plus main's exports and PATH additions, as when runAction runs post itself.
   */
  run(options: {
    status: 'success' | 'failure';
    env?: Record<string, string>;
    timeoutMs?: number;
  }): Promise<PostRunResult | undefined>;
}

export interface PostRunResult {
  exitCode: number;
  post: StepResult;
  /** Env the post step exported (GITHUB_ENV). */
  env: Record<string, string>;
  path: string[];
  masks: string[];
  annotations: Annotation[];
  summary: string;
  log: string;
}

export function readActionMetadata(actionDir: string): ActionMetadata {
  const file = ['action.yml', 'action.yaml'].map((f) => join(actionDir, f)).find(existsSync);
  if (!file) throw new Error(`no action.yml in ${actionDir}`);
  return parse(readFileSync(file, 'utf8')) as ActionMetadata;
}

export async function runAction(options: RunActionOptions): Promise<ActionRunResult> {
  const actionDir = resolve(options.actionDir);
  const meta = readActionMetadata(actionDir);
  const scratch = mkdtempSync(join(tmpdir(), 'slipway-harness-'));
  const runnerTemp = join(scratch, 'runner-temp');
  const workspace = options.workspace ?? join(scratch, 'workspace');
  mkdirSync(runnerTemp, { recursive: true });
  mkdirSync(workspace, { recursive: true });
  const timeoutMs = options.timeoutMs ?? 120_000;

  const runnerDefaults: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? scratch,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_RUN_ID: '1000001',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'build',
    GITHUB_WORKFLOW: 'ci',
    GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_ACTOR: 'octocat',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: join(scratch, 'tool-cache'),
    RUNNER_OS: process.platform === 'win32' ? 'Windows' : process.platform === 'darwin' ? 'macOS' : 'Linux',
    RUNNER_ARCH: process.arch === 'arm64' ? 'ARM64' : 'X64',
  };
  const baseEnv: Record<string, string> = { ...runnerDefaults, ...options.env };

  const masks: string[] = [];
  const exported: Record<string, string> = {};
  const pathAdds: string[] = [];
  const context = (
    inputs: Record<string, string>,
    steps: Record<string, Record<string, string>>,
    status: 'success' | 'failure',
  ): ExpressionContext => ({
    status,
    lookup: ([scope, ...rest]): ExpressionValue | undefined => {
      const key = rest.join('.');
      if (scope === 'inputs') return inputs[key];
      if (scope === 'env') return { ...baseEnv, ...exported }[key];
      if (scope === 'steps' && rest[1] === 'outputs')
        return steps[rest[0] as string]?.[rest.slice(2).join('.')];
      if (scope === 'github' && key === 'token') return baseEnv.GITHUB_TOKEN ?? '';
      if (scope === 'github' && key === 'action_path') return actionDir;
      if (scope === 'github' && key === 'workspace') return workspace;
      // the other github.* values the runner derives from its GITHUB_* variables (github.repository, github.sha...)
      if (
        scope === 'github' &&
        /^[a-z_]+$/.test(key) &&
        baseEnv[`GITHUB_${key.toUpperCase()}`] !== undefined
      ) {
        return baseEnv[`GITHUB_${key.toUpperCase()}`];
      }
      if (scope === 'runner' && key === 'temp') return runnerTemp;
      if (scope === 'runner' && key === 'os') return baseEnv.RUNNER_OS;
      throw new Error(`harness: unsupported context ${[scope, ...rest].join('.')}`);
    },
  });

  // inputs: caller values win, then action.yml defaults (defaults may be expressions)
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
    if (spec.default !== undefined)
      inputs[name] = interpolate(String(spec.default), context({}, {}, 'success'));
  }
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    if (!meta.inputs || !(name in meta.inputs))
      throw new Error(`harness: input '${name}' is not declared in ${actionDir}/action.yml`);
    inputs[name] = value;
  }
  const inputEnv = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [inputEnvName(k), v]));

  const absorb = (step: StepResult) => {
    Object.assign(exported, step.env);
    pathAdds.push(...step.path);
    masks.push(...masksFrom(step.commands));
  };
  /** The env a step sees: the base env, what earlier steps exported, their PATH additions first. */
  const envWithExports = (exports = exported, adds = pathAdds) => ({
    ...baseEnv,
    ...exports,
    PATH: [...[...adds].reverse(), baseEnv.PATH].join(delimiter),
  });
  const stepEnv = (files: StepFiles, extra: Record<string, string>) => ({
    ...envWithExports(),
    ...fileCommandEnv(files),
    ...extra,
  });

  if (meta.runs.using === 'composite') {
    return runComposite();
  }
  if (!/^node\d+$/.test(meta.runs.using))
    throw new Error(`harness: runs.using '${meta.runs.using}' is not supported`);
  if (!meta.runs.main) throw new Error(`harness: ${actionDir}/action.yml has no runs.main`);
  const node = options.node ?? process.execPath;

  const mainFiles = newStepFiles(scratch, 'main');
  const main = collect(
    mainFiles,
    await spawnStep(
      node,
      [resolve(actionDir, meta.runs.main)],
      stepEnv(mainFiles, inputEnv),
      workspace,
      timeoutMs,
    ),
  );
  absorb(main);
  const stateEnv = Object.fromEntries(Object.entries(main.state).map(([k, v]) => [`STATE_${k}`, v]));
  const postCommand = meta.runs.post ? resolve(actionDir, meta.runs.post) : undefined;
  const runPostStep = async (env: Record<string, string>, stepTimeoutMs: number) => {
    const postFiles = newStepFiles(scratch, 'post');
    return collect(
      postFiles,
      await spawnStep(
        node,
        [postCommand as string],
        { ...env, ...fileCommandEnv(postFiles), ...inputEnv, ...stateEnv },
        workspace,
        stepTimeoutMs,
      ),
    );
  };
  let deferredPost: DeferredPost | undefined;
  if (postCommand && !options.skipPost && options.deferPost) {
    // what main left behind, frozen now: later runAction calls must not change it
    const mainExports = { ...exported };
    const mainPath = [...pathAdds];
    deferredPost = {
      condition: meta.runs['post-if'] ?? 'always()',
      run: async ({ status, env, timeoutMs: postTimeoutMs }) => {
        if (!evaluateCondition(meta.runs['post-if'], context(inputs, {}, status), 'always()'))
          return undefined;
        const postEnv = env ? { ...runnerDefaults, ...env } : envWithExports(mainExports, mainPath);
        const step = await runPostStep(postEnv, postTimeoutMs ?? timeoutMs);
        return {
          exitCode: step.exitCode,
          post: step,
          env: step.env,
          path: step.path,
          masks: masksFrom(step.commands),
          annotations: annotationsFrom(step.commands),
          summary: step.summary,
          log: step.stdout + step.stderr,
        };
      },
    };
  }
  let post: StepResult | undefined;
  const mainStatus = main.exitCode === 0 ? 'success' : 'failure';
  if (
    postCommand &&
    !options.skipPost &&
    !options.deferPost &&
    evaluateCondition(meta.runs['post-if'], context(inputs, {}, mainStatus), 'always()')
  ) {
    post = await runPostStep(envWithExports(), timeoutMs);
    absorb(post);
  }
  const all = post ? [main, post] : [main];
  return {
    exitCode: main.exitCode !== 0 ? main.exitCode : (post?.exitCode ?? 0),
    main,
    ...(post ? { post } : {}),
    outputs: main.outputs,
    env: { ...exported },
    path: pathAdds,
    state: main.state,
    masks,
    annotations: all.flatMap((s) => annotationsFrom(s.commands)),
    summary: all.map((s) => s.summary).join(''),
    log: all.map((s) => s.stdout + s.stderr).join('\n'),
    runnerTemp,
    workspace,
    ...(deferredPost ? { deferredPost } : {}),
  };

  async function runComposite(): Promise<ActionRunResult> {
    const stepOutputs: Record<string, Record<string, string>> = {};
    const results: StepResult[] = [];
    const annotations: Annotation[] = [];
    let status: 'success' | 'failure' = 'success';
    let exitCode = 0;
    for (const [index, step] of (meta.runs.steps ?? []).entries()) {
      const ctx = context(inputs, stepOutputs, status);
      if (!evaluateCondition(step.if, ctx)) continue;
      const env = Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)]),
      );
      let result: StepResult;
      if (step.run !== undefined) {
        if (step.shell !== 'bash')
          throw new Error(
            `harness: composite step ${index} uses shell '${step.shell}'; only bash is supported`,
          );
        const files = newStepFiles(scratch, `step${index}`);
        const script = join(scratch, `step${index}.sh`);
        writeFileSync(script, interpolate(step.run, ctx));
        const cwd = step['working-directory']
          ? resolve(workspace, interpolate(step['working-directory'], ctx))
          : workspace;
        result = collect(
          files,
          await spawnStep(
            'bash',
            ['--noprofile', '--norc', '-eo', 'pipefail', script],
            stepEnv(files, { ...env, GITHUB_ACTION_PATH: actionDir }),
            cwd,
            timeoutMs,
          ),
        );
        absorb(result);
        annotations.push(...annotationsFrom(result.commands));
      } else if (step.uses !== undefined) {
        const target = options.resolveUses?.(step.uses);
        if (!target)
          throw new Error(
            `harness: composite step ${index} uses '${step.uses}'; pass resolveUses to map it to a local action`,
          );
        const withInputs = Object.fromEntries(
          Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)]),
        );
        const nested = await runAction({
          ...options,
          actionDir: target,
          inputs: withInputs,
          workspace,
          env: { ...baseEnv, ...exported, ...env },
        });
        if (nested.deferredPost)
          throw new Error(
            `harness: composite step ${index} uses '${step.uses}', which has a post step; deferPost does not reach into composite actions`,
          );
        Object.assign(exported, nested.env);
        pathAdds.push(...nested.path);
        masks.push(...nested.masks);
        annotations.push(...nested.annotations);
        result = {
          ...nested.main,
          exitCode: nested.exitCode,
          outputs: nested.outputs,
          summary: nested.summary,
        };
      } else {
        throw new Error(`harness: composite step ${index} has neither run nor uses`);
      }
      results.push(result);
      if (step.id) stepOutputs[step.id] = result.outputs;
      if (result.exitCode !== 0 && !step['continue-on-error']) {
        status = 'failure';
        if (exitCode === 0) exitCode = result.exitCode;
      }
    }
    const final = context(inputs, stepOutputs, status);
    const outputs = Object.fromEntries(
      Object.entries(meta.outputs ?? {}).map(([k, v]) => [k, interpolate(String(v.value ?? ''), final)]),
    );
    const empty: StepResult = {
      exitCode,
      stdout: '',
      stderr: '',
      outputs,
      env: {},
      path: [],
      state: {},
      summary: '',
      commands: [],
    };
    return {
      exitCode,
      main: results[0] ?? empty,
      steps: results,
      outputs,
      env: { ...exported },
      path: pathAdds,
      state: {},
      masks,
      annotations,
      summary: results.map((s) => s.summary).join(''),
      log: results.map((s) => s.stdout + s.stderr).join('\n'),
      runnerTemp,
      workspace,
    };
  }
}

/**
 * Every place a secret shows in what the action printed or wrote for the job
 * (log lines other than its own ::add-mask::, the summary, exported env is allowed
 * only when masked). Tests assert this is empty.
 */
export function findLeaks(result: ActionRunResult, secrets: readonly string[]): string[] {
  const leaks: string[] = [];
  const logLines = result.log.split(/\r?\n/).filter((line) => !line.startsWith('::add-mask::'));
  for (const secret of secrets) {
    if (!secret) continue;
    if (logLines.some((line) => line.includes(secret))) leaks.push(`log contains ${secret.slice(0, 4)}…`);
    if (result.summary.includes(secret)) leaks.push(`summary contains ${secret.slice(0, 4)}…`);
    if (!result.masks.includes(secret)) leaks.push(`${secret.slice(0, 4)}… was never masked`);
  }
  return leaks;
}
