/**
 * Runs `init`, `workspace select`, `plan -detailed-exitcode` and `show -json`
 * with the tofu/terraform binary directly: argv arrays through @actions/exec, no
 * wrapper script, so the plan's exit code is the program's own (0 no changes,
 * 1 error, 2 changes).
 */
import { UserError } from '@slipway/core';
import { type ProgramResult, type ProgramRunner, sha256File, tail } from '@slipway/supply-chain/tools';

export interface PlanRequest {
  /** Absolute path of the verified tofu/terraform executable. */
  binary: string;
  /** Root module directory (absolute). */
  workingDirectory: string;
  /** Workspace to select (created when missing); `default` or unset: none selected. */
  workspace?: string;
  /** -var-file arguments, as given (relative to the working directory or absolute). */
  varFiles: readonly string[];
  /** -backend-config arguments: `key=value` or a file path. */
  backendConfig: readonly string[];
  /** Where the binary plan is written (absolute). */
  planFile: string;
  /** Extra environment for the program (TF_IN_AUTOMATION and TF_INPUT=0 are always set). */
  env?: Record<string, string>;
  run: ProgramRunner;
}

export type PlanExitCode = 0 | 1 | 2;

export interface PlanRun {
  exitcode: PlanExitCode;
  hasChanges: boolean;
  /** Present when the plan succeeded (exit code 0 or 2). */
  planFile: string | undefined;
  planDigest: string | undefined;
  /** `show -json` of the plan file, parsed; undefined for a failed plan. */
  planJson: unknown;
  /** Which step failed and the last lines of its stderr, for a failed plan; '' otherwise. */
  errorTail: string;
}

/** `show -json` failed on a plan that was written: a bug or a broken binary, not a plan error. */
export class TfCommandError extends UserError {
  constructor(
    readonly step: string,
    readonly exitCode: number,
    stderr: string,
  ) {
    super(`\`${step}\` failed with exit code ${exitCode}:\n${tail(stderr, 25)}`, {
      hint: 'Run the same command locally in the working directory; check backend-config and the credentials of this job.',
    });
    this.name = 'TfCommandError';
  }
}

const AUTOMATION_ENV = { TF_IN_AUTOMATION: '1', TF_INPUT: '0' };

/** init, workspace select and plan failures all end as a failed plan (exit code 1) with the step's errors. */
function failed(step: string, result: ProgramResult): PlanRun {
  return {
    exitcode: 1,
    hasChanges: false,
    planFile: undefined,
    planDigest: undefined,
    planJson: undefined,
    errorTail: `${step} failed (exit code ${result.exitCode}):\n${tail(result.stderr || result.stdout, 40)}`,
  };
}

export async function runPlan(request: PlanRequest): Promise<PlanRun> {
  const env = { ...AUTOMATION_ENV, ...request.env };
  const cwd = request.workingDirectory;
  const exec = (args: string[]) => request.run(request.binary, args, { cwd, env });

  const init = await exec([
    'init',
    '-input=false',
    '-no-color',
    ...request.backendConfig.map((c) => `-backend-config=${c}`),
  ]);
  if (init.exitCode !== 0) return failed('init', init);

  if (request.workspace && request.workspace !== 'default') {
    const ws = await exec(['workspace', 'select', '-or-create=true', '-no-color', request.workspace]);
    if (ws.exitCode !== 0) return failed(`workspace select ${request.workspace}`, ws);
  }

  const plan = await exec([
    'plan',
    '-input=false',
    '-no-color',
    '-detailed-exitcode',
    `-out=${request.planFile}`,
    ...request.varFiles.map((f) => `-var-file=${f}`),
  ]);
  if (plan.exitCode !== 0 && plan.exitCode !== 2) return failed('plan', plan);
  const exitcode = plan.exitCode as 0 | 2;

  const show = await exec(['show', '-json', '-no-color', request.planFile]);
  if (show.exitCode !== 0) throw new TfCommandError('show -json', show.exitCode, show.stderr);
  const planJson = parseShowJson(show.stdout);
  return {
    exitcode,
    hasChanges: exitcode === 2,
    planFile: request.planFile,
    planDigest: await sha256File(request.planFile),
    planJson,
    errorTail: '',
  };
}

/**
 * The plan document of `show -json`: one line of JSON. CLI-configuration diagnostics
 * (e.g. an unreadable TF_CLI_CONFIG_FILE) are printed on stdout before it, so the
 * document is the last line that starts with `{`.
 */
export function parseShowJson(stdout: string): unknown {
  const line = stdout
    .split(/\r?\n/)
    .filter((l) => l.startsWith('{'))
    .at(-1);
  try {
    if (line === undefined) throw new Error('no JSON line');
    return JSON.parse(line);
  } catch (error) {
    throw new UserError(`\`show -json\` printed no plan document (${(error as Error).message}).`);
  }
}
