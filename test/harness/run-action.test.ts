import { readFileSync } from 'node:fs';
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
    const started = Date.now();
    const result = await runAction({
      actionDir: join(fixtures, 'composite-action'),
      inputs: { name: 'hang' },
      resolveUses,
      timeoutMs: 1_000,
    });
    expect(Date.now() - started).toBeLessThan(15_000);
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
