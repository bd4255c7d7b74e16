/**
 * OpenTofu's `pg` state backend against a real PostgreSQL (Debian's postgresql, started by this
 * file on loopback), driven through packages/terraform's runPlan (tf-plan) and applyPlanFile
 * (tf-apply) with the real tofu: create, no change, update + replace + destroy, an error plan and
 * a failing backend, the reviewed plan applied and refused when replayed, and the backend's state
 * lock (PostgreSQL advisory lock) held by one run while another plans and applies.
 *
 * PostgreSQL missing: on a developer machine this file is skipped with a message saying how to
 * install it; with CI set it fails (npm test installs it first through scripts/ensure-system-deps.js).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execProgram } from '@slipway/supply-chain/tools';
import { applyPlanFile } from '@slipway/terraform/apply';
import { planChanges } from '@slipway/terraform/plan';
import { TfCommandError, runPlan, type PlanRun } from '@slipway/terraform/plan';
import { findPostgresBin, startPostgres, type PostgresServer } from '../doubles/postgres/postgres-server.ts';
import { realTool } from '../real-tools.ts';
import {
  RESOURCES_V1 as V1,
  RESOURCES_V2 as V2,
} from '../../packages/terraform/src/plan/real-tofu.fixture.ts';

const missing = !findPostgresBin() && !process.env.CI;
if (missing) {
  console.warn(
    'tf-pg-backend.test.ts skipped: PostgreSQL (initdb, postgres) is not installed. Install it with `sudo apt-get install postgresql` (Debian/Ubuntu) or run `npm test`, which installs it; CI never skips this file.',
  );
}

let pg: PostgresServer;
let tofu: string;
let root: string;

beforeAll(async () => {
  if (missing) return;
  tofu = realTool('tofu').path;
  root = mkdtempSync(join(tmpdir(), 'tf-pg-'));
  pg = await startPostgres();
});
/** Lock holders still running when a test failed: ended before PostgreSQL stops. */
const holders: ChildProcess[] = [];
afterAll(async () => {
  for (const child of holders) if (child.exitCode === null) child.kill('SIGKILL');
  await pg?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

const backend = (schema: string) => `terraform {\n  backend "pg" {\n    schema_name = "${schema}"\n  }\n}\n`;
/** A root module in its own folder (one CI job's checkout) whose state is `schema` in PostgreSQL. */
function module(name: string, schema: string, body: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.tf'), backend(schema) + body);
  return dir;
}

const connConfig = () => [`conn_str=${pg.connString}`];

function plan(dir: string, planFile = 'tfplan', backendConfig = connConfig()): Promise<PlanRun> {
  return runPlan({
    binary: tofu,
    workingDirectory: dir,
    varFiles: [],
    backendConfig,
    planFile: join(dir, planFile),
    run: execProgram,
  });
}

function apply(dir: string, planFile: string): Promise<string> {
  return applyPlanFile({
    binary: tofu,
    workingDirectory: dir,
    workspace: 'default',
    backendConfig: connConfig(),
    planFile,
    run: execProgram,
  });
}

const counts = (run: PlanRun) => {
  const c = planChanges(run.planJson);
  return [c.add, c.change, c.destroy, c.replace];
};

describe.skipIf(missing)(
  'tofu with the pg backend on a real PostgreSQL, through runPlan and applyPlanFile',
  () => {
    it('create, apply of the reviewed plan, then no change from another checkout: the state lives in PostgreSQL', async () => {
      const dir = module('life-a', 'life', V1);
      const created = await plan(dir);
      expect(created.exitcode).toBe(2);
      expect(counts(created)).toEqual([3, 0, 0, 0]);
      expect(await apply(dir, created.planFile!)).toContain(
        'Apply complete! Resources: 3 added, 0 changed, 0 destroyed.',
      );
      expect(existsSync(join(dir, 'terraform.tfstate'))).toBe(false);

      // a fresh checkout of the same module sees the applied state: nothing to do
      const fresh = await plan(module('life-b', 'life', V1));
      expect(fresh.exitcode).toBe(0);
      expect(counts(fresh)).toEqual([0, 0, 0, 0]);
    });

    it('update, replace and destroy in one plan; the reviewed plan applies once and its replay is refused as stale', async () => {
      const dir = module('life-a', 'life', V2);
      const changed = await plan(dir);
      expect(changed.exitcode).toBe(2);
      expect(counts(changed)).toEqual([2, 1, 2, 1]);
      expect(
        Object.fromEntries(planChanges(changed.planJson).resources.map((r) => [r.address, r.kind])),
      ).toEqual({
        'terraform_data.a': 'update',
        'terraform_data.b': 'replace',
        'terraform_data.c': 'delete',
        'terraform_data.d': 'create',
      });
      expect(await apply(dir, changed.planFile!)).toContain(
        'Apply complete! Resources: 2 added, 1 changed, 2 destroyed.',
      );

      const replay = await apply(dir, changed.planFile!).catch((e: unknown) => e);
      expect(replay).toBeInstanceOf(TfCommandError);
      expect(String(replay)).toContain('Saved plan is stale');

      // the other checkout, still on V1, now plans to undo V2 against the shared state
      const behind = await plan(join(root, 'life-b'));
      expect(counts(behind)).toEqual([2, 1, 2, 1]);
    });

    it('destroy: an emptied configuration plans every resource away and applies', async () => {
      const dir = module('life-a', 'life', '');
      const destroy = await plan(dir);
      expect(counts(destroy)).toEqual([0, 0, 3, 0]);
      expect(await apply(dir, destroy.planFile!)).toContain('Resources: 0 added, 0 changed, 3 destroyed.');
      expect((await plan(dir)).exitcode).toBe(0);
    });

    it('error plans: an invalid configuration and an unreachable database are exit code 1 with the error', async () => {
      const bad = module('bad', 'bad', 'resource "terraform_data" "x" { input = var.missing }\n');
      const invalid = await plan(bad);
      expect(invalid.exitcode).toBe(1);
      expect(invalid.errorTail).toContain('Reference to undeclared input variable');
      expect(existsSync(join(bad, 'tfplan'))).toBe(false);

      const noDb = await plan(module('no-db', 'x', V1), 'tfplan', [
        `conn_str=postgres://postgres@127.0.0.1:${pg.port}/no_such_db?sslmode=disable`,
      ]);
      expect(noDb.exitcode).toBe(1);
      expect(noDb.errorTail).toMatch(
        /^init failed \(exit code 1\):[\s\S]*database "no_such_db" does not exist/,
      );
    });

    it('state lock: while one apply holds it, a second plan and an apply of a reviewed plan fail with the lock error; once released the reviewed plan applies', async () => {
      // the state exists (so the lock taken is the state's own, not the one for creating a workspace)
      const reviewer = module('lock-a', 'lock', 'resource "terraform_data" "l" { input = "v1" }\n');
      const first = await plan(reviewer);
      await apply(reviewer, first.planFile!);

      const body = 'resource "terraform_data" "l" { input = "v2" }\n';
      writeFileSync(join(reviewer, 'main.tf'), backend('lock') + body);
      const reviewed = await plan(reviewer, 'reviewed.tfplan');
      expect(counts(reviewed)).toEqual([0, 1, 0, 0]);

      // another job applies interactively on the same state and holds the lock at its approval prompt
      const holderDir = module('lock-b', 'lock', body);
      const holder = await holdLockAtPrompt(holderDir);
      try {
        const second = await plan(reviewer, 'second.tfplan');
        expect(second.exitcode).toBe(1);
        expect(second.errorTail).toMatch(
          /^plan failed \(exit code 1\):[\s\S]*Error acquiring the state lock/,
        );
        // the pg backend's own refusal (a PostgreSQL advisory lock; it keeps no lock record, so the
        // "Lock Info" it prints is the refused run's own)
        expect(second.errorTail).toContain('Workspace is already locked: default');
        expect(existsSync(join(reviewer, 'second.tfplan'))).toBe(false);

        const blocked = await apply(reviewer, reviewed.planFile!).catch((e: unknown) => e);
        expect(blocked).toBeInstanceOf(TfCommandError);
        expect(String(blocked)).toMatch(
          /Error acquiring the state lock[\s\S]*Workspace is already locked: default/,
        );
      } finally {
        // decline: the holder exits without applying and releases the lock
        holder.stdin!.end('no\n');
        await new Promise((resolve) =>
          holder.exitCode === null ? holder.once('exit', resolve) : resolve(null),
        );
      }
      expect(holder.exitCode).not.toBe(0);

      expect(await apply(reviewer, reviewed.planFile!)).toContain(
        'Resources: 0 added, 1 changed, 0 destroyed.',
      );
    });
  },
);

/** `tofu apply` without -auto-approve: it takes the state lock, plans, and waits for "yes" on stdin. */
async function holdLockAtPrompt(dir: string): Promise<ChildProcess> {
  const env = { ...process.env, TF_IN_AUTOMATION: '1' };
  const init = await execProgram(
    tofu,
    ['init', '-input=false', '-no-color', `-backend-config=conn_str=${pg.connString}`],
    {
      cwd: dir,
      env,
    },
  );
  expect(init.exitCode).toBe(0);
  const child = spawn(tofu, ['apply', '-no-color'], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  holders.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Enter a value:')) resolve();
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) =>
      reject(new Error(`tofu apply exited (${code}) before its prompt:\n${output}`)),
    );
  });
  return child;
}
