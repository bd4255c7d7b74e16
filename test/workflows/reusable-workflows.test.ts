import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkReusableWorkflow } from './workflow-rules.ts';

const root = resolve(import.meta.dirname, '../..');
const workflowDir = join(root, '.github', 'workflows');
const files = readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f));
const read = (f: string) => readFileSync(join(workflowDir, f), 'utf8');
const reusable = files.filter((f) => {
  const on = (parse(read(f)) as { on?: unknown }).on;
  return typeof on === 'object' && on !== null && 'workflow_call' in on;
});

const SHA = '3d3c42e5aac5ba805825da76410c181273ba90b1';
const GUARD = [
  '      - env:',
  '          SLIPWAY_SHA: ${{ fromJSON(toJSON(job)).workflow_sha }}',
  '        run: \'[[ "$SLIPWAY_SHA" =~ ^[0-9a-f]{40}$ ]] || exit 1\'',
];
const OWN_CHECKOUT = [
  `      - uses: actions/checkout@${SHA} # v7.0.1`,
  '        with:',
  '          repository: ${{ job.workflow_repository }}',
  '          ref: ${{ job.workflow_sha }}',
  '          path: .slipway',
  '          persist-credentials: false',
];
/** A minimal workflow that follows every rule; the cases below break one rule each. */
function workflow(jobLines: string[], head: string[] = []): string {
  return [
    'on:',
    '  workflow_call:',
    '    inputs:',
    '      image: { type: string, required: true, description: Image. }',
    ...head,
    'permissions: {}',
    'concurrency:',
    '  group: slipway-x-${{ github.run_id }}',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-24.04',
    ...jobLines,
  ].join('\n');
}
const goodJob = [
  '    timeout-minutes: 5',
  '    permissions:',
  '      contents: read',
  '      id-token: write',
  '    steps:',
  ...GUARD,
  ...OWN_CHECKOUT,
  '      - uses: ./.slipway/actions/sign',
];

describe('reusable workflows', () => {
  it('are the ones the issues ask for', () => {
    expect(reusable.sort()).toEqual([
      'build-sign-push.yml',
      'deploy-gate.yml',
      'deploy-wait.yml',
      'gitops-bump.yml',
      'pin-check.yml',
      'promote.yml',
      'terraform.yml',
    ]);
  });

  it.each(reusable)('%s follows the permission, concurrency, timeout, pinning and run rules', (file) => {
    expect(checkReusableWorkflow(read(file), file)).toEqual([]);
  });

  it('pin every third-party action to one SHA and one version comment across all workflows', () => {
    const pins = new Map<string, Set<string>>();
    for (const file of files)
      for (const m of read(file).matchAll(
        /^\s*(?:-\s+)?uses:\s+([\w.-]+\/[\w.-]+)(?:\/[^@\s]*)?@(\S+)(\s+#\s*\S+)?/gm,
      )) {
        const set = pins.get(m[1]!) ?? new Set<string>();
        set.add(`${m[2]}${m[3] ?? ''}`.replace(/\s+/g, ' '));
        pins.set(m[1]!, set);
      }
    const inconsistent = [...pins].filter(([, set]) => set.size > 1).map(([a, set]) => `${a}: ${[...set]}`);
    expect(inconsistent).toEqual([]);
    expect(pins.size).toBeGreaterThan(5);
  });
});

describe('checkReusableWorkflow', () => {
  it('accepts a workflow that follows every rule', () => {
    expect(checkReusableWorkflow(workflow(goodJob), 'w.yml')).toEqual([]);
  });

  it('rejects an untyped input and an output without a job value', () => {
    const text = workflow(goodJob, [
      '      tag: { description: Tag. }',
      '    outputs:',
      '      digest: { description: Digest., value: literal }',
    ]);
    expect(checkReusableWorkflow(text, 'w.yml')).toEqual([
      { line: 5, rule: 'workflow_call', message: "input 'tag' needs type string, boolean or number" },
      { line: 7, rule: 'workflow_call', message: "output 'digest' needs a value from jobs.<id>.outputs" },
    ]);
  });

  it('rejects write permissions at the top level and id-token without an OIDC step', () => {
    const text = workflow([
      '    timeout-minutes: 5',
      '    permissions: { contents: read, id-token: write }',
      '    steps:',
      '      - run: echo hi',
    ]).replace('permissions: {}', 'permissions: { contents: write }');
    expect(checkReusableWorkflow(text, 'w.yml')).toEqual([
      { line: 5, rule: 'permissions', message: 'top-level permissions must be {} or read-only' },
      {
        line: 10,
        rule: 'permissions',
        message: "job 'a' grants id-token: write but runs no oidc-login, sign or attest step",
      },
    ]);
  });

  it('rejects a job without permissions or timeout, and an OIDC step without id-token', () => {
    const text = workflow([
      '    steps:',
      ...GUARD,
      ...OWN_CHECKOUT,
      '      - uses: ./.slipway/actions/oidc-login',
    ]);
    expect(checkReusableWorkflow(text, 'w.yml').map((v) => v.message)).toEqual([
      "job 'a' needs an explicit permissions map",
      "job 'a' runs an OIDC step but does not grant id-token: write",
      "job 'a' needs timeout-minutes",
    ]);
  });

  it('rejects a concurrency group that could collide with the caller', () => {
    const text = workflow(goodJob).replace('group: slipway-x-', 'group: ci-');
    expect(checkReusableWorkflow(text, 'w.yml')).toEqual([
      { line: 7, rule: 'concurrency', message: "group 'ci-${{ github.run_id }}' must start with 'slipway-'" },
    ]);
  });

  it('rejects a group that other calls share (no run id, no caller key), at workflow or job level', () => {
    const shared = workflow(goodJob).replace('${{ github.run_id }}', '${{ github.ref }}');
    expect(checkReusableWorkflow(shared, 'w.yml')).toEqual([
      {
        line: 7,
        rule: 'concurrency',
        message:
          "group 'slipway-x-${{ github.ref }}' must include github.run_id or inputs.concurrency-key: calls that share a group lose all but one pending run",
      },
    ]);
    const keyed = workflow(goodJob).replace(
      '${{ github.run_id }}',
      '${{ inputs.image }}-${{ inputs.concurrency-key }}',
    );
    expect(checkReusableWorkflow(keyed, 'w.yml')).toEqual([]);
    const job = workflow([...goodJob, '    concurrency: slipway-job-${{ inputs.image }}']);
    expect(checkReusableWorkflow(job, 'w.yml').map((v) => [v.line, v.message.slice(0, 66)])).toEqual([
      [26, "group 'slipway-job-${{ inputs.image }}' must include github.run_id"],
    ]);
  });

  it('accepts no concurrency group only with a comment that says why', () => {
    const none = workflow(goodJob).replace(/concurrency:\n {2}group: .*\n/, '');
    expect(checkReusableWorkflow(none, 'w.yml')).toEqual([
      {
        line: 1,
        rule: 'concurrency',
        message: "no concurrency group: say why in a '# No concurrency group: ...' comment",
      },
    ]);
    const explained = none.replace(
      'permissions: {}',
      '# No concurrency group: it only reads.\npermissions: {}',
    );
    expect(checkReusableWorkflow(explained, 'w.yml')).toEqual([]);
  });

  it('rejects tags, missing version comments, caller-relative and unguarded own actions', () => {
    const text = workflow([
      '    timeout-minutes: 5',
      '    permissions: { contents: read }',
      '    steps:',
      '      - uses: actions/checkout@v7',
      `      - uses: actions/setup-node@${SHA}`,
      '      - uses: ./actions/pin-check',
      '      - uses: ./.slipway/actions/pin-check',
      ...OWN_CHECKOUT,
    ]);
    expect(checkReusableWorkflow(text, 'w.yml')).toEqual([
      { line: 14, rule: 'pinning', message: 'actions/checkout@v7 is not pinned to a 40-hex commit SHA' },
      {
        line: 15,
        rule: 'pinning',
        message: `actions/setup-node@${SHA} needs a '# vX.Y.Z' comment naming the release`,
      },
      {
        line: 16,
        rule: 'pinning',
        message: "./actions/pin-check resolves in the caller's checkout; use ./.slipway/actions/<name>",
      },
      {
        line: 17,
        rule: 'pinning',
        message:
          "./.slipway/actions/pin-check needs the checkout of this workflow's commit into .slipway first",
      },
      {
        line: 18,
        rule: 'pinning',
        message: 'the .slipway checkout must follow a step that fails when job.workflow_sha is empty',
      },
    ]);
  });

  it('does not accept a .slipway checkout that keeps credentials or follows a branch', () => {
    const text = workflow(goodJob)
      .replace('persist-credentials: false', 'persist-credentials: true')
      .replace(/\n {6}id-token: write/, '')
      .replace('./.slipway/actions/sign', './.slipway/actions/sbom');
    expect(checkReusableWorkflow(text, 'w.yml').map((v) => v.message)).toEqual([
      "./.slipway/actions/sbom needs the checkout of this workflow's commit into .slipway first",
    ]);
    const branch = workflow(goodJob).replace('ref: ${{ job.workflow_sha }}', 'ref: main');
    expect(checkReusableWorkflow(branch, 'w.yml').map((v) => v.rule)).toEqual(['pinning']);
  });

  it('rejects expressions inside run:', () => {
    const text = workflow([...goodJob, '      - run: echo "${{ inputs.image }}"']);
    expect(checkReusableWorkflow(text, 'w.yml')).toEqual([
      { line: 26, rule: 'run-expression', message: '${{ inputs.image }} inside run:; pass it through env:' },
    ]);
  });
});
