/**
 * Argo Rollouts seen through Argo CD: the progress of a Rollout read from its live
 * manifest (`GET .../resource`), and which resource action (Argo CD's built-in
 * Rollout actions `resume`, `promote-full`, `abort`) to run when the user asked.
 */
import type { ApplicationTree, ResourceNode } from './application.ts';

export const ROLLOUT_GROUP = 'argoproj.io';

export interface RolloutProgress {
  namespace: string;
  name: string;
  /** status.phase: Progressing, Paused, Healthy, Degraded. */
  phase: string;
  /** 1-based current step and the number of canary steps. */
  step?: { current: number; total: number };
  /** Canary traffic weight in percent. */
  weight?: number;
  /** Reason of the first pause condition (CanaryPauseStep, BlueGreenPause...). */
  pausedBy?: string;
  /** Phase of the step or background analysis run (Running, Successful, Failed...). */
  analysis?: string;
  message?: string;
  aborted: boolean;
}

export type RolloutRequest = 'promote' | 'promote-full' | 'abort';

export function rolloutNodes(tree: ApplicationTree | undefined): ResourceNode[] {
  return (tree?.nodes ?? []).filter((n) => n.kind === 'Rollout' && n.group === ROLLOUT_GROUP);
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** Reads a Rollout's progress from its live manifest (the JSON text Argo CD returns). */
export function rolloutProgress(manifest: string, node: ResourceNode): RolloutProgress {
  let live: Json;
  try {
    live = obj(JSON.parse(manifest));
  } catch {
    live = {};
  }
  const status = obj(live.status);
  const canary = obj(status.canary);
  const steps = obj(obj(obj(live.spec).strategy).canary).steps;
  const index = num(status.currentStepIndex);
  const total = Array.isArray(steps) ? steps.length : undefined;
  const pauses = Array.isArray(status.pauseConditions) ? status.pauseConditions : [];
  const analysis =
    str(obj(canary.currentStepAnalysisRunStatus).status) ??
    str(obj(canary.currentBackgroundAnalysisRunStatus).status);
  const weight = num(obj(obj(canary.weights).canary).weight);
  const pausedBy = str(obj(pauses[0]).reason);
  const message = str(status.message);
  return {
    namespace: node.namespace ?? '',
    name: node.name ?? '',
    phase: str(status.phase) ?? node.health?.status ?? 'Unknown',
    ...(index !== undefined && total !== undefined && total > 0
      ? { step: { current: Math.min(index + 1, total), total } }
      : {}),
    ...(weight !== undefined ? { weight } : {}),
    ...(pausedBy ? { pausedBy } : {}),
    ...(analysis ? { analysis } : {}),
    ...(message ? { message } : {}),
    aborted: status.abort === true,
  };
}

export function describeRollout(progress: RolloutProgress): string {
  const parts: string[] = [];
  if (progress.step) parts.push(`step ${progress.step.current}/${progress.step.total}`);
  if (progress.weight !== undefined) parts.push(`weight ${progress.weight}%`);
  if (progress.analysis) parts.push(`analysis ${progress.analysis}`);
  if (progress.pausedBy) parts.push(`paused by ${progress.pausedBy}`);
  if (progress.aborted) parts.push('aborted');
  const where = progress.namespace ? `${progress.namespace}/` : '';
  const detail = parts.length > 0 ? ` (${parts.join(', ')})` : '';
  const message = progress.message ? `: ${progress.message}` : '';
  return `Rollout ${where}${progress.name} ${progress.phase}${detail}${message}`;
}

/**
 * The Argo CD resource action for what the user asked, or undefined when there is
 * nothing to do now: `promote` resumes a paused Rollout (once per step),
 * `promote-full` skips the remaining steps, `abort` stops an unfinished rollout.
 * `done` holds keys of actions already run, so each runs once.
 */
export function rolloutActionFor(
  progress: RolloutProgress,
  request: RolloutRequest | undefined,
  done: ReadonlySet<string>,
): { action: string; key: string } | undefined {
  if (!request || progress.aborted || progress.phase === 'Healthy') return undefined;
  const id = `${progress.namespace}/${progress.name}`;
  if (request === 'promote') {
    if (progress.phase !== 'Paused' && !progress.pausedBy) return undefined;
    const key = `resume ${id} ${progress.step?.current ?? 0}`;
    return done.has(key) ? undefined : { action: 'resume', key };
  }
  const key = `${request} ${id}`;
  return done.has(key) ? undefined : { action: request, key };
}
