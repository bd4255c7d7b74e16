/**
 * Post steps of local actions in the local runner (test/fixtures/post-order-action, copied into the
 * job's workspace by a run: step): they run at the end of the job in reverse order, named "Post
 * <step name>", with main's state and the job's env at that point (exports of later steps
 * included), post-if against the job status then, a failed post failing the job, none for a main
 * step that was skipped.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWorkflowJob } from './run-workflow-job.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/post-order-action');

function job(steps: string) {
  const dir = join(mkdtempSync(join(tmpdir(), 'runner-post-')), '.github', 'workflows');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'w.yml'),
    `on:
  workflow_call:
jobs:
  j:
    runs-on: ubuntu-24.04
    steps:
      - name: Copy the fixture
        run: cp -r "$FIXTURE" ./post-action
${steps}`,
  );
  return runWorkflowJob({
    workflow: join(dir, 'w.yml'),
    job: 'j',
    github: {
      repository: 'acme/web',
      sha: 'f'.repeat(40),
      ref: 'refs/heads/main',
      token: 'ghs_posttoken',
      workflowRepository: 'slipway-org/slipway',
      workflowSha: 'a'.repeat(40),
    },
    runnerEnv: { FIXTURE },
  });
}

const order = (runnerTemp: string) => readFileSync(join(runnerTemp, 'order.log'), 'utf8').split('\n');
const outcomes = (result: Awaited<ReturnType<typeof runWorkflowJob>>) =>
  result.steps.map((s) => `${s.name}: ${s.outcome}${s.stage ? ` (${s.stage})` : ''}`);

describe('local runner: post steps', () => {
  it('run at the end of the job in reverse order, with main state and the env later steps exported', async () => {
    const result = await job(`      - name: first
        uses: ./post-action
        with: { label: one }
      - name: second
        uses: ./post-action/post-if-success
        with: { label: two }
      - name: never
        if: false
        uses: ./post-action
        with: { label: three }
      - name: later
        run: |
          echo "LATER_STEP=exported-by-later" >>"$GITHUB_ENV"
          echo "saw ONE=$MAIN_ONE TWO=$MAIN_TWO"
`);
    expect(outcomes(result)).toEqual([
      'Copy the fixture: success',
      'first: success',
      'second: success',
      'never: skipped',
      'later: success',
      'Post second: success (post)',
      'Post first: success (post)',
    ]);
    expect(result.conclusion).toBe('success');
    expect(order(result.runnerTemp)).toEqual([
      'main one',
      'main two',
      'post two state=two-state later=exported-by-later',
      'post one state=one-state later=exported-by-later',
      '',
    ]);
    expect(result.steps[4]!.log).toContain('saw ONE=set TWO=set');
    // the posts' exports land in the job's env, as for any step
    expect(result.env).toEqual({ MAIN_ONE: '', MAIN_TWO: '', LATER_STEP: 'exported-by-later' });
    expect(result.steps.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(result.log).toContain('post one ran');
  }, 120_000);

  it('post-if is evaluated against the job status at the end; a failed main still gets its always() post', async () => {
    const result = await job(`      - name: first
        uses: ./post-action
        with: { label: one }
      - name: second
        uses: ./post-action/post-if-success
        with: { label: two }
      - name: broken
        uses: ./post-action
        with: { label: bad, fail-main: 'true' }
`);
    expect(outcomes(result)).toEqual([
      'Copy the fixture: success',
      'first: success',
      'second: success',
      'broken: failure',
      'Post broken: success (post)',
      'Post second: skipped (post)',
      'Post first: success (post)',
    ]);
    expect(result.conclusion).toBe('failure');
    expect(order(result.runnerTemp)).toEqual([
      'main one',
      'main two',
      'main bad',
      'post bad state=bad-state later=',
      'post one state=one-state later=',
      '',
    ]);
  }, 120_000);

  it('a failing post step fails the job, with its annotation under the post step name', async () => {
    const result = await job(`      - name: first
        uses: ./post-action
        with: { label: one, fail-post: 'true' }
`);
    expect(outcomes(result)).toEqual([
      'Copy the fixture: success',
      'first: success',
      'Post first: failure (post)',
    ]);
    expect(result.conclusion).toBe('failure');
    expect(result.annotations).toEqual([{ step: 'Post first', level: 'error', message: 'post one failed' }]);
  }, 120_000);
});
