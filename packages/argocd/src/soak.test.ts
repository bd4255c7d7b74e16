import { describe, expect, it } from 'vitest';
import type { Verdict } from './assess.ts';
import { INITIAL_SOAK, advanceSoak, soakRemaining } from './soak.ts';

const healthy: Verdict = { state: 'healthy', reason: 'ok' };
const waiting: Verdict = { state: 'waiting', reason: 'Progressing' };
const failed: Verdict = { state: 'failed', reason: 'Degraded' };

describe('advanceSoak', () => {
  it('is done only after the app stayed healthy for the whole soak', () => {
    let state = advanceSoak(INITIAL_SOAK, healthy, 1000, 500);
    expect(state).toEqual({ phase: 'soaking', healthySince: 1000, restarts: 0 });
    expect(soakRemaining(state, 1200, 500)).toBe(300);
    state = advanceSoak(state, healthy, 1499, 500);
    expect(state.phase).toBe('soaking');
    state = advanceSoak(state, healthy, 1500, 500);
    expect(state.phase).toBe('done');
  });

  it('a zero soak is done on the first healthy read', () => {
    expect(advanceSoak(INITIAL_SOAK, healthy, 5, 0).phase).toBe('done');
  });

  it('fails on a failure mid-soak and restarts the soak after a relapse to waiting', () => {
    const soaking = advanceSoak(INITIAL_SOAK, healthy, 0, 1000);
    expect(advanceSoak(soaking, failed, 500, 1000).phase).toBe('failed');
    const relapsed = advanceSoak(soaking, waiting, 500, 1000);
    expect(relapsed).toEqual({ phase: 'waiting', restarts: 1 });
    expect(advanceSoak(relapsed, healthy, 600, 1000)).toEqual({
      phase: 'soaking',
      healthySince: 600,
      restarts: 1,
    });
  });

  it('keeps a final phase', () => {
    const done = advanceSoak(INITIAL_SOAK, healthy, 0, 0);
    expect(advanceSoak(done, failed, 1, 0)).toBe(done);
  });
});
