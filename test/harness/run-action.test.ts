import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLeaks, runAction } from './run-action.ts';

const fixtures = resolve(import.meta.dirname, '../fixtures');
const jsAction = join(fixtures, 'harness-action');

describe('runAction: JavaScript action with main and post', () => {
  it('round-trips outputs, env, path, state, post, masks and summary', async () => {
    const secret = 's3cr3t-value-for-test';
    const result = await runAction({
      actionDir: jsAction,
      inputs: { greeting: 'hi', 'secret-value': secret },
      env: { GITHUB_TOKEN: 'ghs_fixture' },
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({ message: 'hi world', multiline: 'line one\nline two' });
    expect(result.env).toEqual({ FIXTURE_EXPORTED: 'exported-value' });
    expect(result.path).toEqual(['/opt/fixture/bin']);
    expect(result.state).toEqual({ isPost: 'true', started: 'at-main' });
    expect(result.masks).toEqual([secret]);
    expect(result.summary).toContain('<h2>Fixture summary</h2>');
    expect(result.main.stdout).toContain('token input is set');
    // post ran with the saved state and the env exported by main
    expect(result.post?.stdout).toContain('post sees state at-main and env exported-value');
    expect(readFileSync(join(result.runnerTemp, 'post-ran'), 'utf8')).toBe('at-main');
    expect(result.annotations).toEqual([{ level: 'warning', message: 'post warning' }]);
    expect(findLeaks(result, [secret])).toEqual([]);
  });

  it('applies defaults, including the github.token expression', async () => {
    const result = await runAction({ actionDir: jsAction, skipPost: true });
    expect(result.outputs.message).toBe('hello world');
    expect(result.main.stdout).toContain('token input is empty');
    expect(result.main.stdout).toContain('repository input is octo-org/octo-repo');
    expect(result.post).toBeUndefined();
  });

  it('reports a failing action with exit 1 and one error annotation on file and line', async () => {
    const result = await runAction({ actionDir: jsAction, inputs: { 'fail-with': 'bad thing' } });
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === 'error');
    expect(errors).toEqual([
      { level: 'error', message: 'bad thing', file: 'src/thing.ts', line: 12, col: 3, title: 'fixture' },
    ]);
    // post-if defaults to always(): clean-up still runs after a failure
    expect(result.post?.exitCode).toBe(0);
  });

  it('rejects inputs the action does not declare', async () => {
    await expect(runAction({ actionDir: jsAction, inputs: { nope: 'x' } })).rejects.toThrow(
      /input 'nope' is not declared/,
    );
  });

  it('finds a secret that was printed unmasked', async () => {
    const result = await runAction({
      actionDir: jsAction,
      inputs: { greeting: 'leaky-greeting' },
      skipPost: true,
    });
    expect(findLeaks(result, ['leaky-greeting'])).toEqual(['leak… was never masked']);
  });
});

describe('runAction: composite action', () => {
  const resolveUses = (uses: string) =>
    uses.includes('/test/fixtures/harness-action@') ? jsAction : undefined;

  it('maps env from inputs, passes step outputs on, and runs nested uses steps', async () => {
    const result = await runAction({
      actionDir: join(fixtures, 'composite-action'),
      inputs: { name: 'ada' },
      resolveUses,
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({ shout: 'HELLO ADA', nested: 'HELLO ADA world' });
    expect(result.env.COMPOSITE_VAR).toBe('from-composite');
    expect(result.env.FIXTURE_EXPORTED).toBe('exported-value');
    expect(result.steps).toHaveLength(2);
  });

  it('stops on a failing step, runs failure() steps and surfaces annotations', async () => {
    const result = await runAction({
      actionDir: join(fixtures, 'composite-action'),
      inputs: { name: 'fail' },
      resolveUses,
    });
    expect(result.exitCode).toBe(3);
    expect(result.annotations.filter((a) => a.level === 'error')).toEqual([
      { level: 'error', message: 'asked to fail', file: 'composite.sh', line: 2 },
    ]);
    expect(result.log).toContain('cleanup ran with from-composite');
  });

  it('kills a step that outlives timeoutMs, with what it started, and still runs failure() steps', async () => {
    const result = await runAction({
      actionDir: join(fixtures, 'composite-action'),
      inputs: { name: 'hang' },
      resolveUses,
      timeoutMs: 1_000,
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.log).toContain('[harness] step killed by SIGKILL (timeout 1000 ms)');
    expect(result.log).toContain('cleanup ran with from-composite');
  }, 30_000);

  it('refuses a uses step it cannot resolve', async () => {
    await expect(
      runAction({ actionDir: join(fixtures, 'composite-action'), inputs: { name: 'x' } }),
    ).rejects.toThrow(/pass resolveUses/);
  });
});

describe('runAction: deferPost (the post step held back for the end of the job)', () => {
  const postOrder = join(fixtures, 'post-order-action');

  it('returns main at once and runs post later with main state, inputs and the env it is given', async () => {
    const result = await runAction({ actionDir: jsAction, inputs: { greeting: 'hi' }, deferPost: true });
    expect(result.exitCode).toBe(0);
    expect(result.post).toBeUndefined();
    expect(result.deferredPost?.condition).toBe('always()');
    // nothing of post has happened yet
    expect(existsSync(join(result.runnerTemp, 'post-ran'))).toBe(false);
    const post = await result.deferredPost!.run({
      status: 'success',
      env: { RUNNER_TEMP: result.runnerTemp, FIXTURE_EXPORTED: 'changed-by-a-later-step' },
    });
    expect(post?.exitCode).toBe(0);
    expect(post?.log).toContain('post sees state at-main and env changed-by-a-later-step');
    expect(readFileSync(join(result.runnerTemp, 'post-ran'), 'utf8')).toBe('at-main');
    expect(post?.annotations).toEqual([{ level: 'warning', message: 'post warning' }]);
  });

  it('without env, post sees the env given to runAction plus what main exported', async () => {
    const result = await runAction({ actionDir: jsAction, deferPost: true });
    const post = await result.deferredPost!.run({ status: 'failure' });
    expect(post?.log).toContain('post sees state at-main and env exported-value');
  });

  it('evaluates post-if against the status given at run time, not main’s', async () => {
    const success = join(postOrder, 'post-if-success');
    const passed = await runAction({ actionDir: success, inputs: { label: 'a' }, deferPost: true });
    expect(passed.deferredPost?.condition).toBe('success()');
    // main succeeded, but the job failed afterwards: success() is false at the end of the job
    expect(await passed.deferredPost!.run({ status: 'failure' })).toBeUndefined();
    const ran = await passed.deferredPost!.run({ status: 'success' });
    expect(ran?.post.env).toEqual({ MAIN_A: '' });
    expect(readFileSync(join(passed.runnerTemp, 'order.log'), 'utf8')).toBe(
      'main a\npost a state=a-state later=\n',
    );
  });

  it('reports a failing post step by its exit code and annotation', async () => {
    const result = await runAction({
      actionDir: postOrder,
      inputs: { label: 'b', 'fail-post': 'true' },
      deferPost: true,
    });
    const post = await result.deferredPost!.run({ status: 'success' });
    expect(post?.exitCode).toBe(1);
    expect(post?.annotations).toEqual([{ level: 'error', message: 'post b failed' }]);
  });

  it('has no deferredPost with skipPost, nor for an action without post', async () => {
    const skipped = await runAction({ actionDir: jsAction, deferPost: true, skipPost: true });
    expect(skipped.deferredPost).toBeUndefined();
    expect(existsSync(join(skipped.runnerTemp, 'post-ran'))).toBe(false);
  });
});

describe('runAction: deferPost and composite actions', () => {
  it('refuses to defer the post step of an action nested in a composite (it would be lost)', async () => {
    await expect(
      runAction({
        actionDir: join(fixtures, 'composite-action'),
        inputs: { name: 'ada' },
        resolveUses: (uses) => (uses.includes('/test/fixtures/harness-action@') ? jsAction : undefined),
        deferPost: true,
      }),
    ).rejects.toThrow('which has a post step; deferPost does not reach into composite actions');
  });
});
