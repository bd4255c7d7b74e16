import { describe, expect, it } from 'vitest';
import { clampDescription, planStatus, planStatusContext } from './commit-status.ts';

const counts = { add: '2', change: '1', destroy: '0' };

describe('plan commit status', () => {
  it('has one context per directory, the workspace only when not default', () => {
    expect(planStatusContext({ dir: 'infra/prod', workspace: 'default' })).toBe(
      'slipway/terraform plan: infra/prod',
    );
    expect(planStatusContext({ dir: '.', workspace: 'staging' })).toBe('slipway/terraform plan: . (staging)');
  });

  it('says what the plan found, or why there is none', () => {
    expect(planStatus({ planOutcome: 'success', exitcode: '2', counts, lockMessage: '' })).toEqual({
      state: 'success',
      description: 'Plan: 2 to add, 1 to change, 0 to destroy.',
    });
    expect(planStatus({ planOutcome: 'success', exitcode: '0', counts, lockMessage: '' })).toEqual({
      state: 'success',
      description: 'No changes.',
    });
    expect(planStatus({ planOutcome: 'failure', exitcode: '1', counts, lockMessage: '' })).toEqual({
      state: 'failure',
      description: 'The plan failed; see the job log.',
    });
    expect(
      planStatus({ planOutcome: '', exitcode: '', counts, lockMessage: 'x is locked by PR #3' }),
    ).toEqual({
      state: 'failure',
      description: 'x is locked by PR #3',
    });
    expect(planStatus({ planOutcome: 'skipped', exitcode: '', counts, lockMessage: '' }).state).toBe(
      'failure',
    );
  });

  it('keeps descriptions within GitHub’s 140 characters on one line', () => {
    const long = clampDescription(`line one\n${'x'.repeat(300)}`);
    expect(long).toHaveLength(140);
    expect(long).toMatch(/^line one x+…$/);
    expect(clampDescription('short')).toBe('short');
  });
});
