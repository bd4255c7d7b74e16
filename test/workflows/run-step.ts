/**
 * Runs one `run:` step of a workflow the way a GitHub-hosted Linux runner does
 * (`bash --noprofile --norc -eo pipefail <script>`), with the step's inputs given as env vars and
 * GITHUB_OUTPUT / RUNNER_TEMP / GITHUB_STEP_SUMMARY pointing into a scratch folder, so the shell
 * logic of the workflows can be tested with plain values.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface WorkflowStep {
  name?: string;
  id?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}

export interface StepResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** name=value lines (and name<<DELIM blocks) written to GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  runnerTemp: string;
}

export function findStep(file: string, job: string, name: string): WorkflowStep {
  const workflow = parse(readFileSync(file, 'utf8')) as { jobs: Record<string, { steps?: WorkflowStep[] }> };
  const step = workflow.jobs[job]?.steps?.find((s) => s.name === name || s.id === name);
  if (!step?.run) throw new Error(`${file}: job '${job}' has no run step '${name}'`);
  return step;
}

export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

/**
 * Runs `step.run` with `env` (the values its `env:` block would receive, or a function of the scratch
 * RUNNER_TEMP folder returning them) after `prepare` has set up that folder.
 */
export function runStep(
  step: WorkflowStep,
  env: Record<string, string> | ((runnerTemp: string) => Record<string, string>),
  prepare?: (runnerTemp: string) => void,
): StepResult {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-step-'));
  const script = join(dir, 'step.sh');
  const output = join(dir, 'github_output');
  writeFileSync(script, step.run!);
  writeFileSync(output, '');
  prepare?.(dir);
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      RUNNER_TEMP: dir,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      ...(typeof env === 'function' ? env(dir) : env),
    },
  });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: parseOutputFile(readFileSync(output, 'utf8')),
    runnerTemp: dir,
  };
}
