import { describe, expect, it } from 'vitest';
import { describeRollout, rolloutActionFor, rolloutNodes, rolloutProgress } from './rollout.ts';

const node = {
  group: 'argoproj.io',
  kind: 'Rollout',
  namespace: 'shop',
  name: 'api',
  health: { status: 'Suspended' },
};
const paused = JSON.stringify({
  spec: {
    strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: {} }] } },
  },
  status: {
    phase: 'Paused',
    currentStepIndex: 1,
    pauseConditions: [{ reason: 'CanaryPauseStep' }],
    canary: { weights: { canary: { weight: 20 } }, currentStepAnalysisRunStatus: { status: 'Running' } },
  },
});

describe('rolloutProgress', () => {
  it('reads step, weight, pause reason and analysis phase from the live manifest', () => {
    const progress = rolloutProgress(paused, node);
    expect(progress).toEqual({
      namespace: 'shop',
      name: 'api',
      phase: 'Paused',
      step: { current: 2, total: 4 },
      weight: 20,
      pausedBy: 'CanaryPauseStep',
      analysis: 'Running',
      aborted: false,
    });
    expect(describeRollout(progress)).toBe(
      'Rollout shop/api Paused (step 2/4, weight 20%, analysis Running, paused by CanaryPauseStep)',
    );
  });

  it('falls back to the tree health when the manifest is not JSON', () => {
    expect(rolloutProgress('not json', node)).toMatchObject({ phase: 'Suspended', aborted: false });
  });

  it('finds only argoproj.io Rollouts in the tree', () => {
    expect(
      rolloutNodes({ nodes: [node, { kind: 'Rollout', group: 'other.io' }, { kind: 'Deployment' }] }),
    ).toEqual([node]);
  });
});

describe('rolloutActionFor', () => {
  const progress = rolloutProgress(paused, node);

  it('does nothing unless asked', () => {
    expect(rolloutActionFor(progress, undefined, new Set())).toBeUndefined();
  });

  it('resumes a paused step once per step', () => {
    const first = rolloutActionFor(progress, 'promote', new Set());
    expect(first).toEqual({ action: 'resume', key: 'resume shop/api 2' });
    expect(rolloutActionFor(progress, 'promote', new Set([first!.key]))).toBeUndefined();
    const running = { ...progress, phase: 'Progressing', pausedBy: undefined } as typeof progress;
    expect(rolloutActionFor(running, 'promote', new Set())).toBeUndefined();
  });

  it('aborts or fully promotes once, never a healthy or aborted rollout', () => {
    expect(rolloutActionFor(progress, 'abort', new Set())?.action).toBe('abort');
    expect(rolloutActionFor(progress, 'promote-full', new Set(['promote-full shop/api']))).toBeUndefined();
    expect(rolloutActionFor({ ...progress, phase: 'Healthy' }, 'abort', new Set())).toBeUndefined();
    expect(rolloutActionFor({ ...progress, aborted: true }, 'abort', new Set())).toBeUndefined();
  });
});
