/**
 * Why build-sign-push.yml and deploy-gate.yml read `fromJSON(toJSON(job)).workflow_sha` instead of
 * `job.workflow_sha` (issue 12 part 7): the real actionlint (the version scripts/real-tools.json
 * pins) types the `job` context without workflow_sha / workflow_repository and rejects the direct
 * form. When this test fails because actionlint accepts it, drop the workaround in the workflows.
 */
import { describe, expect, it } from 'vitest';
import { actionlint } from '../lint/actionlint.ts';

const workflow = (expression: string) => `name: t
on:
  workflow_call: {}
permissions: {}
jobs:
  j:
    runs-on: ubuntu-24.04
    steps:
      - env:
          SHA: \${{ ${expression} }}
        run: echo "$SHA"
`;

describe('job.workflow_sha and the real actionlint', () => {
  it('rejects job.workflow_sha; accepts the fromJSON(toJSON(job)) form the workflows use', async () => {
    const direct = await actionlint(workflow('job.workflow_sha'), 'direct.yml');
    expect(direct.map((e) => `${e.line}:${e.column}: ${e.message} [${e.kind}]`)).toEqual([
      '10:20: property "workflow_sha" is not defined in object type {check_run_id: number; container: {id: string; network: string}; services: {string => {id: string; network: string; ports: {string => string}}}; status: string} [expression]',
    ]);
    expect(await actionlint(workflow('fromJSON(toJSON(job)).workflow_sha'), 'workaround.yml')).toEqual([]);
  });
});
