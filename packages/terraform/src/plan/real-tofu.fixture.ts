/**
 * Test support: real OpenTofu plans of small root modules (built-in resources,
 * local backend) in a temp folder, through runPlan exactly as the action runs it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execProgram } from '@slipway/supply-chain/tools';
import { runPlan, type PlanRun } from './run-plan.ts';

/**
 * Two versions of one root module whose plan from V1 to V2 holds one change of each kind: `a` updated
 * in place, `b` replaced (triggers_replace), `c` destroyed and `d` created.
 */
export const RESOURCES_V1 = `
resource "terraform_data" "a" { input = "one" }
resource "terraform_data" "b" {
  input            = "b"
  triggers_replace = ["r1"]
}
resource "terraform_data" "c" { input = "c" }
`;
export const RESOURCES_V2 = `
resource "terraform_data" "a" { input = "two" }
resource "terraform_data" "b" {
  input            = "b"
  triggers_replace = ["r2"]
}
resource "terraform_data" "d" { input = "d" }
`;

export function writeModule(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

export function applyModule(tofu: string, dir: string, env: Record<string, string> = {}): void {
  execFileSync(tofu, ['init', '-input=false'], { cwd: dir, stdio: 'pipe', env: { ...process.env, ...env } });
  execFileSync(tofu, ['apply', '-input=false', '-auto-approve'], {
    cwd: dir,
    stdio: 'pipe',
    env: { ...process.env, ...env },
  });
}

export function planModule(
  tofu: string,
  dir: string,
  env: Record<string, string> = {},
  varFiles: string[] = [],
): Promise<PlanRun> {
  return runPlan({
    binary: tofu,
    workingDirectory: dir,
    varFiles,
    backendConfig: [],
    planFile: join(dir, 'tfplan'),
    env,
    run: execProgram,
  });
}
