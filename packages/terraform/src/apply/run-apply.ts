/**
 * `init` (+ `workspace select`) and `apply -input=false <planfile>` with the verified binary,
 * argv arrays through the injected runner. A saved plan applies without a prompt and fails
 * (exit 1, "Saved plan is stale") when the state changed since it was made.
 */
import type { ProgramRunner } from '@slipway/supply-chain/tools';
import { TfCommandError } from '../plan/run-plan.ts';

export interface ApplyRequest {
  binary: string;
  workingDirectory: string;
  workspace: string;
  backendConfig: readonly string[];
  planFile: string;
  run: ProgramRunner;
}

const AUTOMATION_ENV = { TF_IN_AUTOMATION: '1', TF_INPUT: '0' };

/** Runs apply and returns its stdout; throws TfCommandError naming the failed step. */
export async function applyPlanFile(request: ApplyRequest): Promise<string> {
  const exec = (args: string[]) =>
    request.run(request.binary, args, { cwd: request.workingDirectory, env: AUTOMATION_ENV });
  const init = await exec([
    'init',
    '-input=false',
    '-no-color',
    ...request.backendConfig.map((c) => `-backend-config=${c}`),
  ]);
  if (init.exitCode !== 0) throw new TfCommandError('init', init.exitCode, init.stderr || init.stdout);
  if (request.workspace !== 'default') {
    const ws = await exec(['workspace', 'select', '-no-color', request.workspace]);
    if (ws.exitCode !== 0)
      throw new TfCommandError(`workspace select ${request.workspace}`, ws.exitCode, ws.stderr || ws.stdout);
  }
  const apply = await exec(['apply', '-input=false', '-no-color', request.planFile]);
  if (apply.exitCode !== 0) throw new TfCommandError('apply', apply.exitCode, apply.stderr || apply.stdout);
  return apply.stdout;
}
