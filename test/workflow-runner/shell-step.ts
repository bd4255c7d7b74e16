/**
 * One `run:` step as the runner executes it on Linux: the script in a file under
 * RUNNER_TEMP, run with the step's shell (unspecified: `bash -e {0}`; `shell: bash`:
 * `bash --noprofile --norc -eo pipefail {0}`), fresh GITHUB_OUTPUT / GITHUB_ENV /
 * GITHUB_PATH / GITHUB_STEP_SUMMARY files, and what it wrote read back: the
 * harness's step process (test/harness/step-process.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  collect,
  fileCommandEnv,
  newStepFiles,
  spawnStep,
  type StepResult,
} from '../harness/step-process.ts';

/** A step's result (as the harness collects it) and whether the timeout ended it. */
export interface ShellRun extends StepResult {
  timedOut: boolean;
}

/** argv of a shell keyword, `{0}` being the script file. */
export function shellArgv(shell: string | undefined, script: string): [string, string[]] {
  if (shell === undefined) return ['bash', ['-e', script]];
  if (shell === 'bash') return ['bash', ['--noprofile', '--norc', '-eo', 'pipefail', script]];
  if (shell === 'sh') return ['sh', ['-e', script]];
  throw new Error(`not supported by the local runner: shell '${shell}' (bash, sh or unspecified)`);
}

export interface ShellStepOptions {
  label: string;
  script: string;
  shell: string | undefined;
  env: Record<string, string>;
  cwd: string;
  runnerTemp: string;
  timeoutMs: number;
}

export async function runShellStep(options: ShellStepOptions): Promise<ShellRun> {
  const files = newStepFiles(options.runnerTemp, `_runner_file_commands_${options.label}`);
  const script = join(options.runnerTemp, `${options.label}.sh`);
  writeFileSync(script, options.script);
  const [command, args] = shellArgv(options.shell, script);
  const raw = await spawnStep(
    command,
    args,
    { ...options.env, ...fileCommandEnv(files) },
    options.cwd,
    options.timeoutMs,
  );
  return { ...collect(files, raw), timedOut: raw.timedOut };
}
