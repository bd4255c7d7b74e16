/**
 * Private or internal copies of Slipway (issue 17): every reusable workflow that checks Slipway's
 * actions out takes the optional `slipway-token` secret, hands it to that checkout only, and falls
 * back to the job's token. The workflow-runner tests (pin-check-workflow.test.ts) run it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = resolve(import.meta.dirname, '../..');
const dir = join(root, '.github', 'workflows');

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on?: { workflow_call?: { secrets?: Record<string, { required?: boolean; description?: string }> } };
  jobs: Record<string, { steps?: Step[] }>;
}

const reusable = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .map((file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    return { file, text, workflow: parse(text) as Workflow };
  })
  .filter(({ workflow }) => workflow.on && typeof workflow.on === 'object' && 'workflow_call' in workflow.on);

const slipwayCheckouts = (workflow: Workflow) =>
  Object.values(workflow.jobs).flatMap((job) =>
    (job.steps ?? []).filter(
      (s) =>
        s.uses?.startsWith('actions/checkout@') &&
        String(s.with?.repository ?? '').includes('workflow_repository'),
    ),
  );

describe('slipway-token in the reusable workflows', () => {
  it('is an optional secret of every workflow that checks Slipway out, used by those checkouts only', () => {
    const checked = reusable.filter(({ workflow }) => slipwayCheckouts(workflow).length > 0);
    expect(checked.map((w) => w.file).sort()).toEqual([
      'build-sign-push.yml',
      'deploy-gate.yml',
      'deploy-wait.yml',
      'gitops-bump.yml',
      'pin-check.yml',
      'promote.yml',
      'terraform.yml',
    ]);
    for (const { file, text, workflow } of checked) {
      const secret = workflow.on!.workflow_call!.secrets?.['slipway-token'];
      expect({ file, required: secret?.required }).toEqual({ file, required: false });
      expect(secret?.description).toMatch(/Contents: read/);
      const checkouts = slipwayCheckouts(workflow);
      expect(checkouts.map((s) => [s.with!.token, s.with!['persist-credentials']])).toEqual(
        checkouts.map(() => ['${{ secrets.slipway-token || github.token }}', false]),
      );
      // nowhere else: one mention per checkout
      expect(text.match(/secrets\.slipway-token/g)?.length).toBe(checkouts.length);
    }
  });
});
