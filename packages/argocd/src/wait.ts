/**
 * The polling loop: reads every application until each is deployed and soaked,
 * one fails, or the deadline passes. Polls back off (doubling up to a cap) while
 * nothing changes and return to the base interval when something does; sleeps
 * never overshoot the deadline or a soak's end. Clock and sleep are injected.
 */
import { formatDuration } from '@slipway/core';
import {
  comparedRevisions,
  operationRevisions,
  revisionMatches,
  shortRevision,
  type Application,
} from './application.ts';
import type { ArgoCdClient, ResourceRef } from './argocd-client.ts';
import {
  assessApplication,
  describeResource,
  unhealthyResources,
  type UnhealthyResource,
  type Verdict,
} from './assess.ts';
import {
  describeRollout,
  rolloutActionFor,
  rolloutNodes,
  rolloutProgress,
  type RolloutProgress,
  type RolloutRequest,
} from './rollout.ts';
import { INITIAL_SOAK, advanceSoak, soakRemaining, type SoakState } from './soak.ts';

export interface WaitClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: WaitClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface WaitOptions {
  client: ArgoCdClient;
  applications: string[];
  revision: string;
  timeoutMs: number;
  soakMs: number;
  pollMs: number;
  maxPollMs: number;
  refresh?: 'normal' | 'hard';
  sync?: boolean;
  rollout?: RolloutRequest;
  /** When set, a compared revision that contains `revision` (a later commit) is accepted too. */
  isDescendant?: (revision: string) => Promise<boolean>;
  clock?: WaitClock;
  log?: (line: string) => void;
}

export type Outcome = 'healthy' | 'failed' | 'timeout';

export interface AppResult {
  name: string;
  outcome: Outcome;
  reason: string;
  /** Revision(s) Argo CD last compared. */
  revision: string;
  syncStatus: string;
  health: string;
  unhealthy: UnhealthyResource[];
  rollouts: RolloutProgress[];
  actions: string[];
  polls: number;
  soakRestarts: number;
}

interface Tracked {
  name: string;
  soak: SoakState;
  verdict?: Verdict;
  app?: Application;
  rollouts: RolloutProgress[];
  polls: number;
}

const ROLLOUT_HEALTH = new Set(['Suspended', 'Progressing', 'Degraded']);

export async function waitForApplications(options: WaitOptions): Promise<AppResult[]> {
  const { client, revision } = options;
  const clock = options.clock ?? realClock;
  const log = options.log ?? (() => undefined);
  const deadline = clock.now() + options.timeoutMs;
  const done = new Set<string>();
  const actions: string[] = [];
  const descendants = new Set<string>();
  const checked = new Set<string>();
  const results: AppResult[] = [];
  let pending: Tracked[] = options.applications.map((name) => ({
    name,
    soak: INITIAL_SOAK,
    rollouts: [],
    polls: 0,
  }));

  if (options.sync) {
    for (const item of pending) {
      const current = await client.getApplication(item.name);
      const multiSource = (current.spec?.sources?.length ?? 0) > 0;
      await client.sync(item.name, multiSource ? undefined : revision);
      log(`${item.name}: sync of ${multiSource ? 'the spec revisions' : revision} requested`);
    }
  }

  const finish = async (item: Tracked, outcome: Outcome, reason: string) => {
    const unhealthy = outcome === 'healthy' ? [] : unhealthyResources(await client.resourceTree(item.name));
    const sync = item.app?.status?.sync;
    results.push({
      name: item.name,
      outcome,
      reason,
      revision: (sync?.revisions?.length ? sync.revisions : [sync?.revision ?? '']).join(', '),
      syncStatus: sync?.status ?? 'Unknown',
      health: item.app?.status?.health?.status ?? 'Unknown',
      unhealthy,
      rollouts: item.rollouts,
      actions: actions.filter((a) => a.startsWith(`${item.name}:`)),
      polls: item.polls,
      soakRestarts: item.soak.restarts,
    });
  };

  let interval = options.pollMs;
  let first = true;
  for (;;) {
    let changed = false;
    const still: Tracked[] = [];
    for (const item of pending) {
      item.app = await client.getApplication(item.name, first ? options.refresh : undefined);
      item.polls++;
      await learnDescendants(item.app, options, descendants, checked);
      const verdict = assessApplication(item.app, revision, descendants);
      const soak = advanceSoak(item.soak, verdict, clock.now(), options.soakMs);
      const verdictChanged = verdict.reason !== item.verdict?.reason;
      if (verdictChanged || soak.phase !== item.soak.phase) {
        changed = true;
        log(
          `${item.name}: ${soak.phase === 'soaking' ? `soaking ${formatDuration(options.soakMs)}, ` : ''}${verdict.reason}`,
        );
      }
      item.verdict = verdict;
      item.soak = soak;
      // the tree is read when the picture changed, and on every poll once the app has Rollouts to follow
      const health = item.app.status?.health?.status ?? '';
      if (
        verdict.state !== 'healthy' &&
        ROLLOUT_HEALTH.has(health) &&
        (verdictChanged || item.rollouts.length > 0)
      ) {
        if (await readRollouts(item, options, done, actions, log)) changed = true;
      }
      if (soak.phase === 'done') await finish(item, 'healthy', verdict.reason);
      else if (soak.phase === 'failed') await finish(item, 'failed', verdict.reason);
      else still.push(item);
    }
    pending = still;
    first = false;
    if (pending.length === 0) break;
    const now = clock.now();
    if (now >= deadline) {
      for (const item of pending) {
        await finish(
          item,
          'timeout',
          `not deployed within ${formatDuration(options.timeoutMs)}: ${item.verdict?.reason ?? 'no answer'}`,
        );
      }
      break;
    }
    interval = changed ? options.pollMs : Math.min(options.maxPollMs, interval * 2);
    const soakEnds = pending
      .map((item) => soakRemaining(item.soak, now, options.soakMs))
      .filter((ms) => ms > 0);
    await clock.sleep(Math.max(1, Math.min(interval, deadline - now, ...soakEnds)));
  }
  return options.applications.map((name) => results.find((r) => r.name === name)!);
}

/** Asks once per new revision whether it contains the expected one (only with `isDescendant`). */
async function learnDescendants(
  app: Application,
  options: WaitOptions,
  descendants: Set<string>,
  checked: Set<string>,
): Promise<void> {
  if (!options.isDescendant) return;
  const status = app.status;
  for (const candidate of [...comparedRevisions(status), ...operationRevisions(status?.operationState)]) {
    if (checked.has(candidate) || revisionMatches(candidate, options.revision)) continue;
    checked.add(candidate);
    if (!/^[0-9a-f]{40}$/i.test(candidate)) continue; // chart versions of other sources
    if (await options.isDescendant(candidate)) {
      descendants.add(candidate);
      options.log?.(`${shortRevision(candidate)} contains ${shortRevision(options.revision)}: accepted`);
    }
  }
}

/** Reads the app's Rollouts, runs a requested action once; true when the picture changed. */
async function readRollouts(
  item: Tracked,
  options: WaitOptions,
  done: Set<string>,
  actions: string[],
  log: (line: string) => void,
): Promise<boolean> {
  const nodes = rolloutNodes(await options.client.resourceTree(item.name));
  const before = item.rollouts.map(describeRollout).join('\n');
  const progress: RolloutProgress[] = [];
  for (const node of nodes) {
    const ref: ResourceRef = {
      group: node.group ?? '',
      version: node.version ?? 'v1alpha1',
      kind: 'Rollout',
      namespace: node.namespace ?? '',
      name: node.name ?? '',
    };
    const rollout = rolloutProgress(await options.client.resourceManifest(item.name, ref), node);
    progress.push(rollout);
    const next = rolloutActionFor(rollout, options.rollout, done);
    if (next) {
      await options.client.runResourceAction(item.name, ref, next.action);
      done.add(next.key);
      actions.push(`${item.name}: ${next.action} ${ref.namespace}/${ref.name}`);
      log(`${item.name}: ran the Rollout action '${next.action}' on ${ref.namespace}/${ref.name} as asked`);
    }
  }
  item.rollouts = progress;
  const after = progress.map(describeRollout).join('\n');
  if (after !== before && after) log(`${item.name}: ${after.split('\n').join('; ')}`);
  return after !== before;
}

/** One line per failed app for the failure message. */
export function failureLines(results: readonly AppResult[]): string[] {
  return results
    .filter((r) => r.outcome !== 'healthy')
    .map((r) => {
      const resources =
        r.unhealthy.length > 0 ? `; not healthy: ${r.unhealthy.map(describeResource).join('; ')}` : '';
      const rollouts = r.rollouts.length > 0 ? `; ${r.rollouts.map(describeRollout).join('; ')}` : '';
      return `${r.name}: ${r.reason}${resources}${rollouts}`;
    });
}
