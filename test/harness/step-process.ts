/**
 * One step of an action as a process, the way the runner starts it: fresh
 * file-command files (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE, GITHUB_PATH,
 * GITHUB_STEP_SUMMARY), the process in its own group with a timeout that kills
 * the group, and what it printed and wrote collected afterwards.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKeyValueFile, parseWorkflowCommands, type WorkflowCommand } from './file-commands.ts';

export interface StepResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  env: Record<string, string>;
  path: string[];
  state: Record<string, string>;
  summary: string;
  commands: WorkflowCommand[];
}

export interface StepFiles {
  output: string;
  env: string;
  state: string;
  path: string;
  summary: string;
}

export function newStepFiles(dir: string, label: string): StepFiles {
  const files = {
    output: join(dir, `${label}-output`),
    env: join(dir, `${label}-env`),
    state: join(dir, `${label}-state`),
    path: join(dir, `${label}-path`),
    summary: join(dir, `${label}-summary`),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  return files;
}

export function spawnStep(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
  timeoutMs: number,
) {
  return new Promise<{ exitCode: number; stdout: string; stderr: string; timedOut: boolean }>(
    (resolvePromise, reject) => {
      // Its own process group, so a timeout kills what the step started too (a grandchild holding
      // stdout open would otherwise keep the step "running" after the child is gone).
      const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          process.kill(-(child.pid as number), 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, timeoutMs);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (signal) stderr += `\n[harness] step killed by ${signal} (timeout ${timeoutMs} ms)`;
        resolvePromise({ exitCode: code ?? 1, stdout, stderr, timedOut });
      });
    },
  );
}

export function collect(
  files: StepFiles,
  raw: { exitCode: number; stdout: string; stderr: string },
): StepResult {
  const commands = parseWorkflowCommands(raw.stdout);
  const outputs = parseKeyValueFile(readFileSync(files.output, 'utf8'), 'GITHUB_OUTPUT');
  const state = parseKeyValueFile(readFileSync(files.state, 'utf8'), 'GITHUB_STATE');
  // deprecated stdout forms still honoured by the runner
  for (const c of commands) {
    if (c.command === 'set-output' && c.properties.name) outputs[c.properties.name] = c.message;
    if (c.command === 'save-state' && c.properties.name) state[c.properties.name] = c.message;
  }
  return {
    ...raw,
    outputs,
    env: parseKeyValueFile(readFileSync(files.env, 'utf8'), 'GITHUB_ENV'),
    path: readFileSync(files.path, 'utf8').split(/\r?\n/).filter(Boolean),
    state,
    summary: readFileSync(files.summary, 'utf8'),
    commands,
  };
}

/** The file-command variables of a step, pointing at its files. */
export function fileCommandEnv(files: StepFiles): Record<string, string> {
  return {
    GITHUB_OUTPUT: files.output,
    GITHUB_ENV: files.env,
    GITHUB_STATE: files.state,
    GITHUB_PATH: files.path,
    GITHUB_STEP_SUMMARY: files.summary,
  };
}
