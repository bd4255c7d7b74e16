/**
 * One `run:` step as the runner executes it on Linux: the script in a file under
 * RUNNER_TEMP, run with the step's shell (unspecified: `bash -e {0}`; `shell: bash`:
 * `bash --noprofile --norc -eo pipefail {0}`), fresh GITHUB_OUTPUT / GITHUB_ENV /
 * GITHUB_PATH / GITHUB_STEP_SUMMARY files, and what it wrote read back with the
 * harness parsers (test/harness/file-commands.ts).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKeyValueFile, parseWorkflowCommands, type WorkflowCommand } from '../harness/file-commands.ts';

export interface ShellRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  outputs: Record<string, string>;
  env: Record<string, string>;
  path: string[];
  summary: string;
  commands: WorkflowCommand[];
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
  const file = (name: string) => join(options.runnerTemp, `_runner_file_commands_${options.label}_${name}`);
  const files = {
    GITHUB_OUTPUT: file('output'),
    GITHUB_ENV: file('env'),
    GITHUB_PATH: file('path'),
    GITHUB_STEP_SUMMARY: file('summary'),
  };
  for (const path of Object.values(files)) writeFileSync(path, '');
  const script = join(options.runnerTemp, `${options.label}.sh`);
  writeFileSync(script, options.script);
  const [command, args] = shellArgv(options.shell, script);
  const raw = await new Promise<{ exitCode: number; stdout: string; stderr: string; timedOut: boolean }>(
    (resolve, reject) => {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: { ...options.env, ...files },
        stdio: ['ignore', 'pipe', 'pipe'],
        // its own process group, so a timeout kills the script's children too (as the runner does)
        detached: true,
      });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => {
        timedOut = true;
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      }, options.timeoutMs);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ exitCode: code ?? 1, stdout, stderr, timedOut });
      });
    },
  );
  const commands = parseWorkflowCommands(raw.stdout);
  const outputs = parseKeyValueFile(readFileSync(files.GITHUB_OUTPUT, 'utf8'), 'GITHUB_OUTPUT');
  for (const c of commands) {
    if (c.command === 'set-output' && c.properties.name) outputs[c.properties.name] = c.message;
  }
  return {
    ...raw,
    outputs,
    env: parseKeyValueFile(readFileSync(files.GITHUB_ENV, 'utf8'), 'GITHUB_ENV'),
    path: readFileSync(files.GITHUB_PATH, 'utf8').split(/\r?\n/).filter(Boolean),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    commands,
  };
}
