/**
 * The local runner itself, on small workflows written by the tests: step order and status
 * functions, continue-on-error, timeout-minutes, working-directory, the default shell vs
 * `shell: bash`, GITHUB_ENV / GITHUB_PATH / masks carried between steps, job outputs that
 * carry a secret being dropped as on GitHub, stand-ins, and the refusals.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findJobLeaks } from './job-leaks.ts';
import { runWorkflowJob, type RunWorkflowJobOptions } from './run-workflow-job.ts';
import type { StandInCall } from './stand-in.ts';

const SHA = 'f'.repeat(40);

function workflowFile(yaml: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'runner-wf-')), '.github', 'workflows');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'w.yml'), yaml);
  return join(dir, 'w.yml');
}

const call = (yaml: string, options: Partial<RunWorkflowJobOptions> = {}) =>
  runWorkflowJob({
    workflow: workflowFile(yaml),
    job: 'j',
    github: {
      repository: 'acme/web',
      sha: SHA,
      ref: 'refs/heads/main',
      token: 'ghs_runtoken',
      workflowRepository: 'slipway-org/slipway',
      workflowSha: 'a'.repeat(40),
    },
    ...options,
  });

const header = `on:
  workflow_call:
    inputs:
      n: { type: number, default: 2 }
      flag: { type: boolean, default: false }
    secrets:
      s: { required: false }
    outputs:
      out: { value: '\${{ jobs.j.outputs.a }}' }
jobs:
  j:
    runs-on: ubuntu-24.04
`;

describe('runWorkflowJob', () => {
  it('runs steps in order with if:, status functions, continue-on-error and outcome/conclusion', async () => {
    const result = await call(`${header}    outputs:
      a: \${{ steps.one.outputs.x }}-\${{ steps.flaky.outcome }}-\${{ steps.flaky.conclusion }}
    steps:
      - id: one
        run: echo "x=\${N}" >>"$GITHUB_OUTPUT"
        env: { N: '\${{ inputs.n }}' }
      - id: flaky
        continue-on-error: true
        run: exit 3
      - name: still runs
        if: inputs.n > 1 && !inputs.flag
        run: echo ok
      - name: fails
        run: exit 1
      - name: skipped after failure
        run: echo never
      - name: on failure
        if: failure()
        run: echo cleanup
      - name: always
        if: \${{ always() }}
        run: echo always
`);
    expect(result.steps.map((s) => `${s.name}: ${s.outcome}/${s.conclusion}`)).toEqual([
      'Run echo "x=${N}" >>"$GITHUB_OUTPUT": success/success',
      'Run exit 3: failure/success',
      'still runs: success/success',
      'fails: failure/failure',
      'skipped after failure: skipped/skipped',
      'on failure: success/success',
      'always: success/success',
    ]);
    expect(result.conclusion).toBe('failure');
    expect(result.outputs).toEqual({ a: '2-failure-success' });
    expect(result.workflowOutputs).toEqual({ out: '2-failure-success' });
  });

  it('carries GITHUB_ENV and GITHUB_PATH to later steps; step env wins over exported env', async () => {
    const result = await call(`${header}    env:
      LEVEL: job
    steps:
      - run: |
          mkdir -p "$RUNNER_TEMP/bin" && printf '#!/bin/sh\\necho tool-ran\\n' >"$RUNNER_TEMP/bin/mytool" && chmod +x "$RUNNER_TEMP/bin/mytool"
          echo "$RUNNER_TEMP/bin" >>"$GITHUB_PATH"
          echo "LEVEL=exported" >>"$GITHUB_ENV"
          echo "OTHER=exported" >>"$GITHUB_ENV"
      - id: read
        env: { OTHER: step }
        run: |
          { echo "level=$LEVEL"; echo "other=$OTHER"; echo "tool=$(mytool)"; echo "expr=\${{ env.LEVEL }}"; } >>"$GITHUB_OUTPUT"
`);
    expect(result.steps[1]!.outputs).toEqual({
      level: 'exported',
      other: 'step',
      tool: 'tool-ran',
      expr: 'exported',
    });
    expect(result.env).toEqual({ LEVEL: 'exported', OTHER: 'exported' });
    expect(result.path).toEqual([join(result.runnerTemp, 'bin')]);
  });

  it('uses bash -e for an unspecified shell and -eo pipefail for shell: bash, in working-directory', async () => {
    const result = await call(`${header}    defaults:
      run:
        working-directory: sub
    steps:
      - run: mkdir -p sub/deeper
        working-directory: .
      - id: plain
        run: |
          false | true
          echo "pwd=$(pwd)" >>"$GITHUB_OUTPUT"
      - id: strict
        shell: bash
        working-directory: sub/deeper
        continue-on-error: true
        run: |
          echo "pwd=$(pwd)" >>"$GITHUB_OUTPUT"
          false | true
          echo "after=yes" >>"$GITHUB_OUTPUT"
`);
    expect(result.steps[1]!.outputs).toEqual({ pwd: join(result.workspace, 'sub') });
    expect(result.steps[2]!.outcome).toBe('failure');
    expect(result.steps[2]!.outputs).toEqual({ pwd: join(result.workspace, 'sub', 'deeper') });
  });

  it('kills a step at its timeout-minutes and fails it', async () => {
    const result = await call(`${header}    steps:
      - name: slow
        timeout-minutes: 0.01
        run: sleep 20
`);
    expect(result.steps[0]!).toMatchObject({ outcome: 'failure', timedOut: true });
    expect(result.annotations.map((a) => a.message)).toEqual([
      "The action 'slow' has timed out after 0.01 minutes.",
    ]);
  });

  it('masks secrets and add-mask values in the log, and drops a job output that carries one', async () => {
    const result = await call(
      `${header}    outputs:
      leaky: \${{ steps.m.outputs.v }}
      fine: \${{ steps.m.outputs.w }}
    steps:
      - id: m
        env: { S: '\${{ secrets.s }}' }
        run: |
          echo "::add-mask::derived-value"
          echo "secret is $S, derived is derived-value"
          echo "v=prefix-$S" >>"$GITHUB_OUTPUT"
          echo "w=plain" >>"$GITHUB_OUTPUT"
`,
      { secrets: { s: 'hunter2-secret' } },
    );
    expect(result.log).toContain('secret is ***, derived is ***');
    expect(result.log).not.toContain('hunter2-secret');
    // the step printed them: masked on GitHub, but still a leak by the house rule
    expect(findJobLeaks(result, ['hunter2-secret', 'derived-value', 'never-registered'])).toEqual([
      'log of \'Run echo "::add-mask::derived-value"\' contains hunt…',
      'log of \'Run echo "::add-mask::derived-value"\' contains deri…',
      'neve… was never masked',
    ]);
    expect(result.outputs).toEqual({ fine: 'plain' });
    expect(result.warnings).toEqual(["Skip output 'leaky' since it may contain secret."]);
  });

  it('hands a stand-in the interpolated with:, and takes its outputs, env and failure', async () => {
    const calls: StandInCall[] = [];
    const result = await call(
      `${header}    steps:
      - id: t
        uses: acme/tool/sub@${SHA}
        with:
          count: \${{ inputs.n }}
          repo: \${{ github.repository }}
      - run: echo "v=$FROM_TOOL/\${{ steps.t.outputs.o }}" >>"$GITHUB_OUTPUT"
        id: after
      - uses: acme/broken@v1
`,
      {
        standIns: {
          'acme/tool/sub': (c) => {
            calls.push(c);
            return { outputs: { o: 'out' }, env: { FROM_TOOL: 'yes' } };
          },
          'acme/broken': () => ({ failed: 'it broke' }),
        },
      },
    );
    expect(calls.map((c) => [c.uses, c.ref, c.with])).toEqual([
      [`acme/tool/sub@${SHA}`, SHA, { count: '2', repo: 'acme/web' }],
    ]);
    expect(result.steps[1]!.outputs).toEqual({ v: 'yes/out' });
    expect(result.steps[2]!.outcome).toBe('failure');
    expect(result.annotations).toEqual([{ step: 'acme/broken@v1', level: 'error', message: 'it broke' }]);
  });

  it('refuses what it does not model, by name', async () => {
    await expect(call(`${header}    steps:\n      - uses: acme/none@v1\n`)).rejects.toThrow(
      "not supported by the local runner: no stand-in for 'acme/none'",
    );
    await expect(call(`${header}    steps:\n      - uses: docker://alpine:3\n`)).rejects.toThrow(
      "not supported by the local runner: steps[0] (docker://alpine:3).uses 'docker://alpine:3'",
    );
    await expect(call(`${header}    steps:\n      - run: echo\n        shell: pwsh\n`)).rejects.toThrow(
      "not supported by the local runner: shell 'pwsh'",
    );
    await expect(
      call(`${header}    services:\n      db: { image: postgres }\n    steps: []\n`),
    ).rejects.toThrow('not supported by the local runner: jobs.j.services');
    await expect(call(`${header}    steps:\n      - run: echo "\${{ vars.X }}"\n`)).rejects.toThrow(
      "not supported by the local runner: the 'vars' context",
    );
  });

  it('reports a missing local action like the runner', async () => {
    await expect(call(`${header}    steps:\n      - uses: ./.slipway/actions/nope\n`)).rejects.toThrow(
      "Can't find 'action.yml' or 'action.yaml' under",
    );
  });

  it('runs one matrix leg, checked against the expansion (expressions included), with strategy.job-index', async () => {
    const yaml = `${header}    strategy:
      matrix:
        app: \${{ fromJSON('[{"name":"api"},{"name":"web"}]') }}
        os: [linux]
    steps:
      - id: m
        run: echo "v=\${{ matrix.app.name }}/\${{ matrix.os }}/\${{ strategy.job-index }}/\${{ strategy.job-total }}" >>"$GITHUB_OUTPUT"
`;
    const result = await call(yaml, { matrix: { app: { name: 'web' }, os: 'linux' } });
    expect(result.steps[0]!.outputs).toEqual({ v: 'web/linux/1/2' });
    await expect(call(yaml, { matrix: { app: { name: 'db' }, os: 'linux' } })).rejects.toThrow(
      'jobs.j runs once per matrix combination; pass one of them as options.matrix: [{"app":{"name":"api"},"os":"linux"},{"app":{"name":"web"},"os":"linux"}] (got {"app":{"name":"db"},"os":"linux"})',
    );
    await expect(call(yaml)).rejects.toThrow('jobs.j runs once per matrix combination');
  });

  it('gives the OIDC request variables only to a job whose permissions grant id-token: write', async () => {
    const oidc = { requestUrl: 'http://127.0.0.1:1/token', requestToken: 'oidc-request-token' };
    const steps = `    steps:
      - id: e
        run: echo "url=\${ACTIONS_ID_TOKEN_REQUEST_URL:-none}" >>"$GITHUB_OUTPUT"
`;
    const granted = await call(`${header}    permissions:\n      id-token: write\n${steps}`, { oidc });
    expect(granted.steps[0]!.outputs).toEqual({ url: oidc.requestUrl });
    expect(granted.masks).toContain(oidc.requestToken);
    const readOnly = await call(`${header}    permissions:\n      contents: read\n${steps}`, { oidc });
    expect(readOnly.steps[0]!.outputs).toEqual({ url: 'none' });
    expect(readOnly.permissions).toEqual({ contents: 'read' });
  });

  it('hashFiles() hashes literal paths in the workspace, empty when none exists; job.* describes the reusable workflow', async () => {
    const result = await call(`${header}    steps:
      - run: printf 'abc' >a.txt
      - id: h
        run: |
          echo "one=\${{ hashFiles('a.txt') }}" >>"$GITHUB_OUTPUT"
          echo "none=\${{ hashFiles('missing.txt') }}" >>"$GITHUB_OUTPUT"
          echo "ref=\${{ fromJSON(toJSON(job)).workflow_ref }}" >>"$GITHUB_OUTPUT"
`);
    const inner = createHash('sha256').update('abc').digest();
    expect(result.steps[1]!.outputs).toEqual({
      one: createHash('sha256').update(inner).digest('hex'),
      none: '',
      ref: `slipway-org/slipway/.github/workflows/w.yml@${'a'.repeat(40)}`,
    });
    await expect(
      call(`${header}    steps:\n      - run: echo "\${{ hashFiles('**/*.txt') }}"\n`),
    ).rejects.toThrow("not supported by the local runner: hashFiles() glob pattern '**/*.txt'");
  });

  it('schedule: no inputs (inputs.* is null); workflow_dispatch: its own inputs, choice checked', async () => {
    const yaml = `on:
  schedule:
    - cron: '0 0 * * 1'
  workflow_dispatch:
    inputs:
      level: { type: choice, options: [low, high], default: low }
      dry: { type: boolean, default: true }
jobs:
  j:
    steps:
      - id: v
        run: echo "v=\${{ inputs.level || 'none' }}/\${{ format('{0}', inputs.dry) }}/\${{ github.event_name }}" >>"$GITHUB_OUTPUT"
`;
    const scheduled = await call(yaml, { trigger: 'schedule' });
    expect(scheduled.steps[0]!.outputs).toEqual({ v: 'none//schedule' });
    const dispatched = await call(yaml, { trigger: 'workflow_dispatch', inputs: { level: 'high' } });
    expect(dispatched.steps[0]!.outputs).toEqual({ v: 'high/true/workflow_dispatch' });
    await expect(call(yaml, { trigger: 'workflow_dispatch', inputs: { level: 'max' } })).rejects.toThrow(
      'The input \'level\' must be one of ["low","high"].',
    );
    await expect(call(yaml, { trigger: 'schedule', inputs: { level: 'low' } })).rejects.toThrow(
      'a scheduled run takes no inputs',
    );
    await expect(call(yaml)).rejects.toThrow('the workflow has no on.workflow_call trigger');
  });
});
