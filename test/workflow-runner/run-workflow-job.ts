/**
 * Runs one job of a reusable workflow locally, step by step, the way the GitHub
 * runner does: `workflow_call` inputs and secrets checked and typed, each step's
 * `if:` evaluated against the job status, `env:`/`with:` interpolated, `run:` steps
 * with bash, `uses: ./…` through the harness runAction(), third-party `uses:`
 * through stand-ins the test supplies; step outputs, GITHUB_ENV, GITHUB_PATH, masks,
 * annotations and summaries collected; job outputs and the workflow_call outputs
 * computed. Anything it does not model throws "not supported by the local runner".
 * See README.md for what is and is not modelled.
 */
import { delimiter } from 'node:path';
import { evaluateCondition, interpolate, type ExpressionValue } from '../harness/expressions.ts';
import { jobExpressionContext, stepsContext, type Contexts, type StepContext } from './job-context.ts';
import { prepareJobEnvironment } from './job-environment.ts';
import { computeOutputs } from './job-outputs.ts';
import { expandMatrix, matrixIndex, type MatrixLeg } from './job-matrix.ts';
import { runJobStep, type DeferredPostStep, type StepRecord } from './job-step.ts';
import { runPostSteps } from './post-steps.ts';
import type { StandIn } from './stand-in.ts';
import {
  readWorkflow,
  resolveCallInputs,
  resolveCallSecrets,
  type Scalar,
  type Trigger,
} from './workflow-file.ts';
import type { Annotation } from '../harness/file-commands.ts';

export interface GitHubRunContext {
  /** The caller's repository, owner/name. */
  repository: string;
  /** github.repository_id / github.repository_owner_id (defaults: 100000001 / 200000001). */
  repositoryId?: string;
  repositoryOwnerId?: string;
  sha: string;
  ref: string;
  /** github.token (GITHUB_TOKEN of the caller's run). */
  token: string;
  serverUrl?: string;
  apiUrl?: string;
  graphqlUrl?: string;
  eventName?: string;
  event?: Record<string, ExpressionValue>;
  actor?: string;
  runId?: string;
  /** job.workflow_repository / job.workflow_sha / job.workflow_ref: the reusable workflow's own. */
  workflowRepository: string;
  workflowSha: string;
  workflowRef?: string;
}

export interface RunWorkflowJobOptions {
  workflow: string;
  job: string;
  /** Default workflow_call; schedule runs with an empty inputs context, workflow_dispatch with its own inputs. */
  trigger?: Trigger;
  inputs?: Record<string, Scalar>;
  secrets?: Record<string, string>;
  github: GitHubRunContext;
  /** Third-party actions by `owner/repo[/path]` (no `@ref`). */
  standIns?: Record<string, StandIn>;
  /** The runner machine's environment (what a hosted image would set), under everything else. */
  runnerEnv?: Record<string, string>;
  /** The one matrix combination to run, for a job with strategy.matrix. */
  matrix?: Record<string, ExpressionValue>;
  needs?: Record<string, { result: string; outputs: Record<string, string> }>;
  /** Results of the workflow's other jobs, for workflow_call outputs that read them. */
  jobs?: Record<string, { result: string; outputs: Record<string, string> }>;
  /**
   * The job's OIDC token endpoint (an OIDC issuer double). Set as ACTIONS_ID_TOKEN_REQUEST_URL /
   * _TOKEN only when the job's permissions (else the workflow's) grant `id-token: write`, as GitHub does.
   */
  oidc?: { requestUrl: string; requestToken: string };
  /** Node for local JavaScript actions. Default: Node 24 (npx node@24) for runs.using node24, as GitHub. */
  node?: string;
}

export interface JobRunResult {
  conclusion: 'success' | 'failure' | 'skipped';
  steps: StepRecord[];
  /** jobs.<id>.outputs */
  outputs: Record<string, string>;
  /** on.workflow_call.outputs that this job (with options.jobs) can compute */
  workflowOutputs: Record<string, string>;
  /** on.workflow_call.outputs that read a job this run did not run, with the reason */
  workflowOutputsUnavailable: Record<string, string>;
  env: Record<string, string>;
  path: string[];
  masks: string[];
  annotations: (Annotation & { step: string })[];
  warnings: string[];
  summary: string;
  /** Everything the steps printed, with masked values replaced by *** as the runner shows them. */
  log: string;
  /** The same, unmasked: what the steps really printed (for findJobLeaks). */
  rawLog: string;
  workspace: string;
  runnerTemp: string;
  home: string;
  runsOn: string;
  /** The job's permissions block (else the workflow's), as written: recorded, not enforced. */
  permissions: unknown;
  environment?: string;
  concurrencyGroup?: string;
}

const text = (value: Scalar | undefined) => (value === undefined ? undefined : String(value));

export async function runWorkflowJob(options: RunWorkflowJobOptions): Promise<JobRunResult> {
  const workflow = readWorkflow(options.workflow);
  const job = workflow.jobs[options.job];
  if (!job) throw new Error(`${options.workflow}: no job '${options.job}'`);
  for (const key of ['container', 'services', 'uses', 'continue-on-error'] as const) {
    if (job[key] !== undefined)
      throw new Error(`not supported by the local runner: jobs.${options.job}.${key}`);
  }
  for (const need of [job.needs ?? []].flat()) {
    if (!options.needs?.[need])
      throw new Error(`jobs.${options.job} needs '${need}': pass its result and outputs in options.needs`);
  }

  const trigger = options.trigger ?? 'workflow_call';
  const inputs = resolveCallInputs(workflow, options.inputs ?? {}, trigger);
  const secrets = resolveCallSecrets(workflow, options.secrets ?? {}, trigger);
  const gh = options.github;
  const permissions = job.permissions ?? workflow.permissions ?? 'default';
  const { github, runnerEnv, workspace, home, runnerTemp, toolCache, idToken } = prepareJobEnvironment(
    options,
    permissions,
  );
  const contexts: Contexts = {
    github,
    inputs,
    secrets: { GITHUB_TOKEN: gh.token, ...secrets },
    job: {
      status: 'success',
      workflow_repository: gh.workflowRepository,
      workflow_sha: gh.workflowSha,
      workflow_ref:
        gh.workflowRef ??
        `${gh.workflowRepository}/${options.workflow.split('/').slice(-3).join('/')}@${gh.workflowSha}`,
      workflow_file_path: options.workflow.split('/').slice(-3).join('/'),
    },
    steps: {},
    env: {},
    runner: {
      os: 'Linux',
      arch: runnerEnv.RUNNER_ARCH as string,
      temp: runnerTemp,
      tool_cache: toolCache,
      name: 'local',
    },
    strategy: { 'fail-fast': job.strategy?.['fail-fast'] ?? true, 'job-index': 0, 'job-total': 1 },
    matrix: {},
    needs: options.needs ?? {},
  };
  if (job.strategy?.matrix !== undefined) {
    const legs = expandMatrix(
      job.strategy.matrix,
      jobExpressionContext(contexts, 'success', 'strategy.matrix'),
      options.job,
    );
    const index = matrixIndex(legs, options.matrix, options.job);
    contexts.matrix = legs[index] as MatrixLeg;
    contexts.strategy = { ...(contexts.strategy as object), 'job-index': index, 'job-total': legs.length };
  } else if (options.matrix !== undefined) {
    throw new Error(`jobs.${options.job} has no strategy.matrix, yet options.matrix was given`);
  }
  const masks = [
    gh.token,
    ...Object.values(secrets),
    idToken ? (options.oidc?.requestToken ?? '') : '',
  ].filter(Boolean);
  const ctx = (status: 'success' | 'failure', where: string) => jobExpressionContext(contexts, status, where);
  const value = (v: Scalar | undefined, where: string) =>
    v === undefined ? undefined : interpolate(String(v), ctx('success', where));

  // job-level keys, in the order the runner evaluates them
  const runsOn = value(text([job['runs-on'] ?? ''].flat().join(',')), 'runs-on') ?? '';
  const environmentSpec = typeof job.environment === 'object' ? job.environment.name : job.environment;
  const environment = value(environmentSpec, 'environment');
  const concurrency = job.concurrency ?? workflow.concurrency;
  const concurrencyGroup = value(
    typeof concurrency === 'object' && concurrency !== null
      ? (concurrency as { group?: string }).group
      : (concurrency as string | undefined),
    'concurrency',
  );
  const jobTimeoutMinutes = Number(value(job['timeout-minutes'] ?? 360, 'timeout-minutes'));
  const deadline = Date.now() + jobTimeoutMinutes * 60_000;
  const envContext: Record<string, string> = {};
  for (const [key, v] of Object.entries({ ...workflow.env, ...job.env }))
    envContext[key] = value(v, `env.${key}`) as string;
  contexts.env = envContext;

  const base = {
    runsOn,
    permissions,
    ...(environment !== undefined ? { environment } : {}),
    ...(concurrencyGroup !== undefined ? { concurrencyGroup } : {}),
    workspace,
    runnerTemp,
    home,
  };
  if (job.if !== undefined && !evaluateCondition(String(job.if), ctx('success', 'jobs.if'))) {
    return {
      ...base,
      conclusion: 'skipped',
      steps: [],
      outputs: {},
      workflowOutputs: {},
      workflowOutputsUnavailable: {},
      env: {},
      path: [],
      masks,
      annotations: [],
      warnings: [],
      summary: '',
      log: '',
      rawLog: '',
    };
  }

  const exported: Record<string, string> = {};
  const pathAdds: string[] = [];
  const steps: StepRecord[] = [];
  const stepContexts: Record<string, StepContext> = {};
  const warnings: string[] = [];
  const deferred: DeferredPostStep[] = [];
  let status: 'success' | 'failure' = 'success';
  const jobEnv = () => ({
    ...runnerEnv,
    ...envContext,
    ...exported,
    PATH: [...[...pathAdds].reverse(), runnerEnv.PATH].join(delimiter),
  });
  const absorb = (record: StepRecord) => {
    steps.push(record);
    if (record.id) stepContexts[record.id] = record;
    Object.assign(exported, record.exported);
    pathAdds.push(...record.path);
    masks.push(...record.masks);
    warnings.push(...record.warnings);
    if (record.conclusion === 'failure') status = 'failure';
  };
  for (const [index, spec] of (job.steps ?? []).entries()) {
    contexts.steps = stepsContext(stepContexts);
    contexts.env = { ...envContext, ...exported };
    contexts.job = { ...(contexts.job as Record<string, ExpressionValue>), status };
    const record = await runJobStep({
      index,
      spec,
      defaults: { ...workflow.defaults?.run, ...job.defaults?.run },
      context: (where) => ctx(status, where),
      baseEnv: jobEnv(),
      workspace,
      runnerTemp,
      deadline,
      github: {
        repository: gh.repository,
        sha: gh.sha,
        ref: gh.ref,
        token: gh.token,
        serverUrl: github.server_url as string,
        apiUrl: github.api_url as string,
        actor: github.actor as string,
      },
      standIns: options.standIns ?? {},
      ...(options.node ? { node: options.node } : {}),
      deferPost: (post) => deferred.push(post),
    });
    absorb(record);
  }
  // post steps of local actions: at the end of the job, in reverse order
  await runPostSteps({
    deferred,
    firstIndex: steps.length,
    status: () => status,
    jobEnv,
    deadline,
    absorb,
  });

  contexts.steps = stepsContext(stepContexts);
  const { outputs, workflowOutputs, workflowOutputsUnavailable } = computeOutputs({
    jobOutputs: job.outputs ?? {},
    workflowOutputs: trigger === 'workflow_call' ? (workflow.on.workflow_call?.outputs ?? {}) : {},
    context: (where) => ctx(status, where),
    setJobs: (jobs) =>
      (contexts.jobs = { ...options.jobs, [options.job]: { result: status, outputs: jobs } }),
    masks,
    warnings,
  });

  const mask = (s: string) => masks.reduce((acc, m) => acc.split(m).join('***'), s);
  return {
    ...base,
    conclusion: status,
    steps,
    outputs,
    workflowOutputs,
    workflowOutputsUnavailable,
    env: exported,
    path: pathAdds,
    masks,
    annotations: steps.flatMap((s) => s.annotations.map((a) => ({ ...a, step: s.name }))),
    warnings,
    summary: steps.map((s) => s.summary).join(''),
    log: mask(steps.map((s) => s.log).join('\n')),
    rawLog: steps.map((s) => s.log).join('\n'),
  };
}
