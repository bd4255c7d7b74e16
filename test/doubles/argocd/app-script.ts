/**
 * A scripted Argo CD application: a list of stages, each served for a number of
 * GETs of the application (the last one stays), optionally held until a sync or
 * a resource action arrives. Each stage renders the Application and its resource
 * tree with timestamps fixed per stage, so an unchanged stage has an unchanged
 * body (and ETag).
 */
export type Health = 'Healthy' | 'Progressing' | 'Degraded' | 'Missing' | 'Suspended' | 'Unknown';

export interface RolloutStage {
  phase: 'Progressing' | 'Paused' | 'Healthy' | 'Degraded';
  stepIndex: number;
  totalSteps: number;
  weight: number;
  paused?: string;
  analysis?: string;
  message?: string;
  aborted?: boolean;
}

export interface Stage {
  /** Revision(s) compared: one for single-source apps, several for multi-source. */
  compared: string[];
  sync: 'Synced' | 'OutOfSync' | 'Unknown';
  health: Health;
  healthMessage?: string;
  /** The last operation: its revision(s) and phase. Absent: no operation recorded. */
  operation?: { revisions: string[]; phase: 'Running' | 'Succeeded' | 'Failed' | 'Error'; message?: string };
  /** reconciledAt earlier than the operation's finishedAt (health not re-read yet). */
  staleReconcile?: boolean;
  /** GETs of the application this stage answers (default 1). */
  polls?: number;
  /** Stay on this stage until a sync arrives, this resource action was run, or `when()` is true. */
  holdUntil?: { sync?: true; action?: string; when?: () => boolean };
  rollout?: RolloutStage;
}

export interface AppScript {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  /** Multi-source: the repo URLs of `spec.sources` (length must match each stage's `compared`). */
  sources?: string[];
  stages: Stage[];
}

export interface AppRuntime {
  script: AppScript;
  stage: number;
  /** Polls served in the current stage. */
  served: number;
  syncRequests: Record<string, unknown>[];
  actions: string[];
  /** Per stage: when it was first served (ISO). */
  firstServed: Map<number, string>;
  createdAt: number;
}

export function newRuntime(script: AppScript): AppRuntime {
  return {
    script,
    stage: 0,
    served: 0,
    syncRequests: [],
    actions: [],
    firstServed: new Map(),
    createdAt: Date.now() - 3_600_000,
  };
}

/** Moves to the next stage when the current one has been served enough and nothing holds it. */
export function advance(rt: AppRuntime): void {
  const current = rt.script.stages[rt.stage]!;
  if (rt.stage >= rt.script.stages.length - 1) return;
  if (rt.served < (current.polls ?? 1)) return;
  if (current.holdUntil?.sync && rt.syncRequests.length === 0) return;
  if (current.holdUntil?.action && !rt.actions.includes(current.holdUntil.action)) return;
  if (current.holdUntil?.when && !current.holdUntil.when()) return;
  rt.stage++;
  rt.served = 0;
}

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export function currentStage(rt: AppRuntime): Stage {
  return rt.script.stages[rt.stage]!;
}

const REPO = 'https://github.com/octo-org/ops.git';

export function applicationJson(rt: AppRuntime): Record<string, unknown> {
  const stage = currentStage(rt);
  const { script } = rt;
  if (!rt.firstServed.has(rt.stage)) rt.firstServed.set(rt.stage, iso(Date.now()));
  // operation times are per stage too: started 20 min before the app's epoch + stage, finished 10 s later
  const opStarted = rt.createdAt + 60_000 * (rt.stage + 1);
  const opFinished = opStarted + 10_000;
  const reconciledAt = stage.staleReconcile ? iso(opFinished - 5_000) : rt.firstServed.get(rt.stage)!;
  const multi = script.sources !== undefined;
  const revisionFields = (revs: string[]) => (multi ? { revisions: revs } : { revision: revs[0] ?? '' });
  const status: Record<string, unknown> = {
    sync: {
      status: stage.sync,
      ...revisionFields(stage.compared),
      comparedTo: multi
        ? {
            sources: script.sources!.map((repoURL) => ({ repoURL, targetRevision: 'HEAD' })),
            destination: {},
          }
        : { source: { repoURL: REPO, path: `apps/${script.name}`, targetRevision: 'main' }, destination: {} },
    },
    health: { status: stage.health, ...(stage.healthMessage ? { message: stage.healthMessage } : {}) },
    reconciledAt,
    resources: treeNodes(rt)
      .filter((n) => !n.parentRefs)
      .map((n) => ({
        group: n.group,
        version: n.version,
        kind: n.kind,
        namespace: n.namespace,
        name: n.name,
        status: stage.sync,
        ...(n.health ? { health: n.health } : {}),
      })),
    sourceType: 'Kustomize',
  };
  if (stage.operation) {
    const op = stage.operation;
    const running = op.phase === 'Running';
    status.operationState = {
      operation: { sync: revisionFields(op.revisions), initiatedBy: { automated: true } },
      phase: op.phase,
      message:
        op.message ??
        (running
          ? 'waiting for completion of hook and 1 more resources'
          : 'successfully synced (all tasks run)'),
      startedAt: iso(opStarted),
      ...(running ? {} : { finishedAt: iso(opFinished) }),
      ...(running ? {} : { syncResult: { ...revisionFields(op.revisions), resources: [] } }),
    };
  }
  return {
    metadata: {
      name: script.name,
      namespace: script.namespace ?? 'argocd',
      labels: script.labels ?? {},
      resourceVersion: String(1000 + rt.stage),
      creationTimestamp: iso(rt.createdAt),
    },
    spec: {
      project: 'default',
      destination: { server: 'https://kubernetes.default.svc', namespace: script.name },
      ...(multi
        ? { sources: script.sources!.map((repoURL) => ({ repoURL, targetRevision: 'HEAD' })) }
        : { source: { repoURL: REPO, path: `apps/${script.name}`, targetRevision: 'main' } }),
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
    status,
  };
}

interface Node {
  group?: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  health?: { status: string; message?: string };
  parentRefs?: { group?: string; kind: string; namespace: string; name: string; uid: string }[];
}

/** The resource tree: a Service plus a Deployment (or Rollout) with one ReplicaSet and Pod. */
export function treeNodes(rt: AppRuntime): Node[] {
  const stage = currentStage(rt);
  const ns = rt.script.name;
  const name = rt.script.name;
  const workloadHealth =
    stage.health === 'Missing'
      ? { status: 'Missing' }
      : stage.health === 'Healthy'
        ? { status: 'Healthy' }
        : {
            status: stage.health,
            message:
              stage.healthMessage ??
              (stage.health === 'Degraded'
                ? `Deployment "${name}" exceeded its progress deadline`
                : 'Waiting for rollout to finish: 1 of 2 updated replicas are available...'),
          };
  const workload: Node = stage.rollout
    ? {
        group: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'Rollout',
        namespace: ns,
        name,
        uid: `${name}-ro`,
        health: rolloutHealth(stage.rollout),
      }
    : {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        namespace: ns,
        name,
        uid: `${name}-dep`,
        health: workloadHealth,
      };
  const podHealth =
    stage.health === 'Degraded'
      ? { status: 'Degraded', message: 'back-off 5m0s restarting failed container=app (CrashLoopBackOff)' }
      : stage.health === 'Healthy' || stage.health === 'Suspended'
        ? { status: 'Healthy' }
        : { status: 'Progressing', message: 'ContainerCreating' };
  return [
    {
      version: 'v1',
      kind: 'Service',
      namespace: ns,
      name,
      uid: `${name}-svc`,
      health: { status: 'Healthy' },
    },
    workload,
    {
      group: 'apps',
      version: 'v1',
      kind: 'ReplicaSet',
      namespace: ns,
      name: `${name}-7c9f8d`,
      uid: `${name}-rs`,
      health: { status: podHealth.status === 'Degraded' ? 'Progressing' : 'Healthy' },
      parentRefs: [{ group: workload.group, kind: workload.kind, namespace: ns, name, uid: workload.uid }],
    },
    {
      version: 'v1',
      kind: 'Pod',
      namespace: ns,
      name: `${name}-7c9f8d-x2k4q`,
      uid: `${name}-pod`,
      health: podHealth,
      parentRefs: [
        { group: 'apps', kind: 'ReplicaSet', namespace: ns, name: `${name}-7c9f8d`, uid: `${name}-rs` },
      ],
    },
  ];
}

function rolloutHealth(r: RolloutStage): { status: string; message?: string } {
  if (r.phase === 'Paused') return { status: 'Suspended', message: r.paused ?? 'CanaryPauseStep' };
  if (r.phase === 'Healthy') return { status: 'Healthy' };
  return { status: r.phase, ...(r.message ? { message: r.message } : {}) };
}

/** The live Rollout manifest (JSON text) as Argo CD's GetResource returns it. */
export function rolloutManifest(rt: AppRuntime): string | undefined {
  const r = currentStage(rt).rollout;
  if (!r) return undefined;
  const name = rt.script.name;
  return JSON.stringify({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace: name },
    spec: {
      strategy: {
        canary: {
          steps: Array.from({ length: r.totalSteps }, (_v, i) =>
            i % 2 === 0 ? { setWeight: (i + 1) * 20 } : { pause: {} },
          ),
        },
      },
    },
    status: {
      phase: r.phase,
      currentStepIndex: r.stepIndex,
      ...(r.message ? { message: r.message } : {}),
      ...(r.aborted ? { abort: true } : {}),
      ...(r.paused ? { pauseConditions: [{ reason: r.paused, startTime: '2026-01-01T00:00:00Z' }] } : {}),
      canary: {
        weights: { canary: { weight: r.weight }, stable: { weight: 100 - r.weight } },
        ...(r.analysis
          ? { currentStepAnalysisRunStatus: { name: `${name}-analysis`, status: r.analysis } }
          : {}),
      },
    },
  });
}

/**
 * A typical deployment of `to` replacing `from`: the new revision is compared
 * (OutOfSync), a sync operation runs, then Synced with health not re-read yet
 * (a stale Healthy), Progressing, and finally `ending`.
 */
export function deployment(
  from: string,
  to: string,
  ending: Stage[] = [
    { compared: [to], sync: 'Synced', health: 'Healthy', operation: { revisions: [to], phase: 'Succeeded' } },
  ],
): Stage[] {
  const done = (revs: string[]) => ({ revisions: revs, phase: 'Succeeded' as const });
  return [
    { compared: [from], sync: 'Synced', health: 'Healthy', operation: done([from]) },
    { compared: [to], sync: 'OutOfSync', health: 'Healthy', operation: done([from]) },
    {
      compared: [to],
      sync: 'OutOfSync',
      health: 'Healthy',
      operation: { revisions: [to], phase: 'Running' },
    },
    {
      compared: [to],
      sync: 'Synced',
      health: 'Healthy',
      operation: done([to]),
      staleReconcile: true,
      polls: 2,
    },
    { compared: [to], sync: 'Synced', health: 'Progressing', operation: done([to]) },
    ...ending,
  ];
}
