import { describe, expect, it } from 'vitest';
import { UserError } from './errors.ts';
import { BUG_REPORT_HINT, run, runPost, type FailureReporter } from './run.ts';

function recorder(debug = false) {
  const failed: string[] = [];
  const warnings: string[] = [];
  const reporter: FailureReporter = {
    setFailed: (m) => failed.push(m),
    warning: (m) => warnings.push(m),
    isDebug: () => debug,
  };
  return { failed, warnings, reporter };
}

describe('run', () => {
  it('returns true and reports nothing on success', async () => {
    const r = recorder();
    expect(await run(async () => {}, r.reporter)).toBe(true);
    expect(r.failed).toEqual([]);
  });

  it('shows a UserError message and hint, without a stack', async () => {
    const r = recorder();
    await run(() => {
      throw new UserError('Role was denied', { hint: 'Check the trust policy' });
    }, r.reporter);
    expect(r.failed).toEqual(['Role was denied\nCheck the trust policy']);
  });

  it('reports a bug with the bug hint and no stack unless debug', async () => {
    const r = recorder(false);
    await run(() => {
      throw new TypeError('x is undefined');
    }, r.reporter);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]).toContain('Unexpected error: x is undefined');
    expect(r.failed[0]).toContain(BUG_REPORT_HINT);
    expect(r.failed[0]).not.toMatch(/\n\s+at /);
  });

  it('includes the stack under debug', async () => {
    const r = recorder(true);
    await run(() => {
      throw new TypeError('boom');
    }, r.reporter);
    expect(r.failed[0]).toMatch(/TypeError: boom\n\s+at /);
  });

  it.each([
    ['a string', 'plain string', 'plain string'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['an object', { code: 42 }, '{"code":42}'],
    ['a number', 7, '7'],
  ])('turns %s into exactly one failure', async (_label, thrown, shown) => {
    const r = recorder();
    expect(
      await run(async () => {
        throw thrown;
      }, r.reporter),
    ).toBe(false);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]).toContain(`Unexpected error: ${shown}`);
  });

  it('survives a circular object', async () => {
    const r = recorder();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await run(() => {
      throw circular;
    }, r.reporter);
    expect(r.failed[0]).toContain('[object Object]');
  });
});

describe('runPost', () => {
  it('warns instead of failing', async () => {
    const r = recorder();
    expect(
      await runPost(() => {
        throw new UserError('file already gone');
      }, r.reporter),
    ).toBe(false);
    expect(r.failed).toEqual([]);
    expect(r.warnings).toEqual(['Clean-up did not complete: file already gone']);
  });
});
