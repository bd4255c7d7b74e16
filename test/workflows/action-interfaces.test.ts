/**
 * The workflows call Slipway's actions (`./.slipway/actions/<name>` in reusable workflows,
 * `./actions/<name>` in e2e). actionlint cannot see those action.yml files, so this test checks each
 * call against the action's metadata: every `with:` key is an input, every required input without a
 * default is given, and every `steps.<id>.outputs.<name>` read from such a step is a declared output.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = resolve(import.meta.dirname, '../..');
const OWN = /^\.\/(?:\.slipway\/)?actions\/([a-z0-9-]+)$/;

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface ActionMeta {
  inputs?: Record<string, { required?: boolean | string; default?: unknown }>;
  outputs?: Record<string, unknown>;
}

function checkActionCalls(
  workflowText: string,
  file: string,
  loadAction: (name: string) => ActionMeta | null,
): string[] {
  const jobs = (parse(workflowText) as { jobs?: Record<string, { steps?: Step[] }> }).jobs ?? {};
  const problems: string[] = [];
  for (const [jobId, job] of Object.entries(jobs)) {
    const jobText = JSON.stringify(job);
    for (const step of job.steps ?? []) {
      const name = typeof step.uses === 'string' ? OWN.exec(step.uses)?.[1] : undefined;
      if (!name) continue;
      const where = `${file} job '${jobId}' ${step.uses}`;
      const meta = loadAction(name);
      if (!meta) {
        problems.push(`${where}: actions/${name}/action.yml does not exist`);
        continue;
      }
      const inputs = meta.inputs ?? {};
      for (const key of Object.keys(step.with ?? {}))
        if (!(key in inputs)) problems.push(`${where}: no input '${key}'`);
      for (const [key, spec] of Object.entries(inputs))
        if (
          (spec.required === true || spec.required === 'true') &&
          spec.default === undefined &&
          !(key in (step.with ?? {}))
        )
          problems.push(`${where}: required input '${key}' not given`);
      if (step.id)
        for (const m of jobText.matchAll(new RegExp(`steps\\.${step.id}\\.outputs\\.([A-Za-z0-9_-]+)`, 'g')))
          if (!(m[1]! in (meta.outputs ?? {})))
            problems.push(`${where}: reads output '${m[1]}' it does not declare`);
    }
  }
  return [...new Set(problems)];
}

const loadAction = (name: string): ActionMeta | null => {
  const file = join(root, 'actions', name, 'action.yml');
  return existsSync(file) ? (parse(readFileSync(file, 'utf8')) as ActionMeta) : null;
};
const workflowDir = join(root, '.github', 'workflows');
const workflows = [
  'build-sign-push.yml',
  'deploy-gate.yml',
  'deploy-wait.yml',
  'gitops-bump.yml',
  'pin-check.yml',
  'promote.yml',
  'terraform.yml',
  'e2e.yml',
];

describe("calls of Slipway's own actions", () => {
  it('cover every action under actions/', () => {
    const called = new Set(
      workflows.flatMap((w) =>
        [
          ...readFileSync(join(workflowDir, w), 'utf8').matchAll(
            /uses: \.\/(?:\.slipway\/)?actions\/([a-z0-9-]+)/g,
          ),
        ].map((m) => m[1]),
      ),
    );
    const actions = readdirSync(join(root, 'actions')).filter((d) =>
      existsSync(join(root, 'actions', d, 'action.yml')),
    );
    // secure-image runs the bundles of trivy-scan, sbom and sign from its own checkout; no workflow calls it (test/integration covers it).
    const uncalled = new Set(['secure-image']);
    expect(actions.filter((a) => !called.has(a) && !uncalled.has(a))).toEqual([]);
  });

  it.each(workflows)('%s uses only inputs and outputs the actions declare', (workflow) => {
    expect(checkActionCalls(readFileSync(join(workflowDir, workflow), 'utf8'), workflow, loadAction)).toEqual(
      [],
    );
  });

  // The guides' YAML examples (README, docs/, actions/*/README.md) are checked against action.yml and
  // on.workflow_call by test/docs/guide-references.test.ts.

  it('reports unknown inputs, missing required inputs and undeclared outputs', () => {
    const text = [
      'jobs:',
      '  a:',
      '    steps:',
      '      - id: s',
      '        uses: ./.slipway/actions/scan',
      '        with: { colour: red }',
      '      - run: echo',
      '        env: { X: "${{ steps.s.outputs.sarif }} ${{ steps.s.outputs.findings }}" }',
      '      - uses: ./actions/missing',
    ].join('\n');
    const meta: ActionMeta = { inputs: { target: { required: true } }, outputs: { findings: {} } };
    expect(checkActionCalls(text, 'w.yml', (n) => (n === 'scan' ? meta : null))).toEqual([
      "w.yml job 'a' ./.slipway/actions/scan: no input 'colour'",
      "w.yml job 'a' ./.slipway/actions/scan: required input 'target' not given",
      "w.yml job 'a' ./.slipway/actions/scan: reads output 'sarif' it does not declare",
      "w.yml job 'a' ./actions/missing: actions/missing/action.yml does not exist",
    ]);
  });
});
