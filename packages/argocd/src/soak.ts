/**
 * Soak tracking across polls: an application counts as deployed only after its
 * verdict stayed `healthy` for the whole soak period. A failure at any time ends
 * the wait; a relapse to waiting (Progressing again) restarts the soak.
 */
import type { Verdict } from './assess.ts';

export type SoakPhase = 'waiting' | 'soaking' | 'done' | 'failed';

export interface SoakState {
  phase: SoakPhase;
  /** When the current healthy streak began (ms since epoch). */
  healthySince?: number;
  /** How many times a healthy streak was broken by a non-failing relapse. */
  restarts: number;
}

export const INITIAL_SOAK: SoakState = { phase: 'waiting', restarts: 0 };

export function advanceSoak(previous: SoakState, verdict: Verdict, now: number, soakMs: number): SoakState {
  if (previous.phase === 'done' || previous.phase === 'failed') return previous;
  if (verdict.state === 'failed') return { phase: 'failed', restarts: previous.restarts };
  if (verdict.state === 'waiting') {
    const relapsed = previous.healthySince !== undefined;
    return { phase: 'waiting', restarts: previous.restarts + (relapsed ? 1 : 0) };
  }
  const healthySince = previous.healthySince ?? now;
  const phase = now - healthySince >= soakMs ? 'done' : 'soaking';
  return { phase, healthySince, restarts: previous.restarts };
}

/** Milliseconds of soak still to go (0 when not soaking). */
export function soakRemaining(state: SoakState, now: number, soakMs: number): number {
  if (state.phase !== 'soaking' || state.healthySince === undefined) return 0;
  return Math.max(0, soakMs - (now - state.healthySince));
}
