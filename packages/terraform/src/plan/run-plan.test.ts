import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execProgram } from '@slipway/supply-chain/tools';
import { realTool } from '../../../../test/real-tools.ts';
import { planChanges } from './plan-changes.ts';
import { runPlan, type PlanRequest } from './run-plan.ts';
import { RESOURCES_V1, RESOURCES_V2 } from './real-tofu.fixture.ts';

// Real OpenTofu, offline: built-in resources only (terraform_data), local backend.
let tofu: string;
let root: string;
beforeAll(() => {
  tofu = realTool('tofu').path;
  root = mkdtempSync(join(tmpdir(), 'tf-plan-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const OUTPUT = 'output "a" { value = terraform_data.a.input }\n';
const V1 = `${RESOURCES_V1}${OUTPUT}`;
const V2 = `${RESOURCES_V2}${OUTPUT}`;

function request(dir: string, overrides: Partial<PlanRequest> = {}): PlanRequest {
  return {
    binary: tofu,
    workingDirectory: dir,
    varFiles: [],
    backendConfig: [],
    planFile: join(dir, 'tfplan'),
    run: execProgram,
    ...overrides,
  };
}

function apply(dir: string) {
  execFileSync(tofu, ['apply', '-input=false', '-auto-approve', '-no-color'], {
    cwd: dir,
    stdio: 'pipe',
    env: { ...process.env, TF_IN_AUTOMATION: '1' },
  });
}

describe('runPlan with real tofu: exit codes and counts from real show -json', () => {
  const dir = () => join(root, 'life');

  it('create: exit code 2, 3 to add, plan digest is the sha256 of the plan file', async () => {
    execFileSync('mkdir', ['-p', dir()]);
    writeFileSync(join(dir(), 'main.tf'), V1);
    const run = await runPlan(request(dir()));
    expect(run.exitcode).toBe(2);
    expect(run.hasChanges).toBe(true);
    expect(run.planDigest).toBe(createHash('sha256').update(readFileSync(run.planFile!)).digest('hex'));
    const changes = planChanges(run.planJson);
    expect([changes.add, changes.change, changes.destroy, changes.replace]).toEqual([3, 0, 0, 0]);
    expect(changes.resources.map((r) => `${r.kind} ${r.address}`)).toEqual([
      'create terraform_data.a',
      'create terraform_data.b',
      'create terraform_data.c',
    ]);
    expect(changes.outputs.map((o) => o.name)).toEqual(['a']);
  });

  it('no change after apply: exit code 0, all counts 0', async () => {
    apply(dir());
    const run = await runPlan(request(dir()));
    expect(run.exitcode).toBe(0);
    expect(run.hasChanges).toBe(false);
    const changes = planChanges(run.planJson);
    expect([changes.add, changes.change, changes.destroy, changes.replace]).toEqual([0, 0, 0, 0]);
    expect(changes.resources).toEqual([]);
  });

  it('update, replace, destroy and create in one plan', async () => {
    writeFileSync(join(dir(), 'main.tf'), V2);
    const run = await runPlan(request(dir()));
    expect(run.exitcode).toBe(2);
    const changes = planChanges(run.planJson);
    // replace counts as one add and one destroy, as `tofu plan` prints it
    expect([changes.add, changes.change, changes.destroy, changes.replace]).toEqual([2, 1, 2, 1]);
    expect(Object.fromEntries(changes.resources.map((r) => [r.address, r.kind]))).toEqual({
      'terraform_data.a': 'update',
      'terraform_data.b': 'replace',
      'terraform_data.c': 'delete',
      'terraform_data.d': 'create',
    });
    expect(changes.resources.find((r) => r.kind === 'replace')?.reason).toBe('replace_because_cannot_update');
  });

  it('destroy of everything when the configuration is emptied', async () => {
    writeFileSync(join(dir(), 'main.tf'), '');
    const changes = planChanges((await runPlan(request(dir()))).planJson);
    expect([changes.add, changes.change, changes.destroy, changes.replace]).toEqual([0, 0, 3, 0]);
  });

  it('an invalid configuration: exit code 1, the error text, no plan file', async () => {
    const bad = join(root, 'bad');
    execFileSync('mkdir', ['-p', bad]);
    writeFileSync(join(bad, 'main.tf'), 'resource "terraform_data" "x" { input = var.missing }\n');
    const run = await runPlan(request(bad));
    expect(run.exitcode).toBe(1);
    expect(run.planJson).toBeUndefined();
    expect(run.errorTail).toContain('Reference to undeclared input variable');
    expect(existsSync(join(bad, 'tfplan'))).toBe(false);
  });

  it('a workspace is selected (created) and its state is separate', async () => {
    const ws = join(root, 'ws');
    execFileSync('mkdir', ['-p', ws]);
    writeFileSync(join(ws, 'main.tf'), 'resource "terraform_data" "w" { input = terraform.workspace }\n');
    const run = await runPlan(request(ws, { workspace: 'staging' }));
    expect(run.exitcode).toBe(2);
    expect((planChanges(run.planJson).resources[0]?.after as { input: string }).input).toBe('staging');
    expect(existsSync(join(ws, '.terraform', 'environment'))).toBe(true);
    expect(readFileSync(join(ws, '.terraform', 'environment'), 'utf8')).toBe('staging');
  });

  it('a failing init is a failed plan (exit code 1) naming the step', async () => {
    const broken = join(root, 'broken');
    execFileSync('mkdir', ['-p', broken]);
    writeFileSync(join(broken, 'main.tf'), 'terraform {\n  backend "local" {}\n}\n');
    const run = await runPlan(request(broken, { backendConfig: ['no_such_setting=1'] }));
    expect(run.exitcode).toBe(1);
    expect(run.errorTail).toMatch(
      /^init failed \(exit code 1\):\n[\s\S]*Invalid backend configuration argument/,
    );
  });
});
