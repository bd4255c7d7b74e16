/**
 * Push mode, for an Argo CD the runner cannot reach: Argo CD Notifications posts a
 * commit status on the ops-repo commit it synced (`github.status` in a template,
 * label `continuous-delivery/<app>` by default), and we wait for it through the
 * GitHub API alone (the combined status of the commit, latest per context).
 */
import { formatDuration } from '@slipway/core';
import type { GitHubClient } from '@slipway/github';
import { realClock, type Outcome, type WaitClock } from './wait.ts';

/** What Argo CD Notifications posts on the commit: a commit status or a check run. */
export type PushReport = 'commit-status' | 'check-run';

export interface PushWaitOptions {
  github: GitHubClient;
  /** Default: commit-status. */
  report?: PushReport;
  owner: string;
  repo: string;
  revision: string;
  /** One status context (or check run name) per application. */
  contexts: { application: string; context: string }[];
  timeoutMs: number;
  pollMs: number;
  maxPollMs: number;
  clock?: WaitClock;
  log?: (line: string) => void;
}

export interface PushResult {
  application: string;
  context: string;
  outcome: Outcome;
  /** The commit status state last seen (a check run: its status, or its conclusion once completed), or `absent`. */
  state: string;
  description: string;
  targetUrl: string;
}

/** What one poll saw for one context. */
interface Reading {
  state: string;
  outcome: Outcome | 'pending';
  description: string;
  targetUrl: string;
}

interface CheckRunList {
  check_runs?: {
    status?: string;
    conclusion?: string | null;
    details_url?: string | null;
    output?: { title?: string | null; summary?: string | null };
  }[];
}

interface CombinedStatus {
  statuses?: { context?: string; state?: string; description?: string | null; target_url?: string | null }[];
}

export const DEFAULT_STATUS_CONTEXT = 'continuous-delivery/{app}';

export function statusContextFor(template: string, application: string): string {
  return template.replace(/\{app\}/g, application);
}

export async function waitForCommitStatuses(options: PushWaitOptions): Promise<PushResult[]> {
  const clock = options.clock ?? realClock;
  const log = options.log ?? (() => undefined);
  const deadline = clock.now() + options.timeoutMs;
  const seen = new Map<string, string>();
  let interval = options.pollMs;
  const noun = options.report === 'check-run' ? 'check run' : 'status';
  for (;;) {
    const readings =
      options.report === 'check-run' ? await readCheckRuns(options) : await readStatuses(options);
    const results = options.contexts.map(({ application, context }) => ({
      application,
      context,
      ...readings.get(context)!,
    }));
    let changed = false;
    for (const r of results) {
      const line = `${r.state}${r.description ? `: ${r.description}` : ''}`;
      if (seen.get(r.context) !== line) {
        changed = true;
        seen.set(r.context, line);
        log(`${r.application}: ${noun} '${r.context}' is ${line}`);
      }
    }
    const now = clock.now();
    const settled = results.every((r) => r.outcome !== 'pending');
    if (settled || results.some((r) => r.outcome === 'failed') || now >= deadline) {
      return results.map((r) =>
        r.outcome === 'pending'
          ? {
              ...r,
              outcome: 'timeout' as const,
              description: `no final '${r.context}' ${noun} within ${formatDuration(options.timeoutMs)} (last: ${r.state})`,
            }
          : { ...r, outcome: r.outcome },
      );
    }
    interval = changed ? options.pollMs : Math.min(options.maxPollMs, interval * 2);
    await clock.sleep(Math.max(1, Math.min(interval, deadline - now)));
  }
}

async function readStatuses(options: PushWaitOptions): Promise<Map<string, Reading>> {
  const combined = await options.github.rest<CombinedStatus>(
    'GET /repos/{owner}/{repo}/commits/{ref}/status',
    {
      owner: options.owner,
      repo: options.repo,
      ref: options.revision,
      per_page: 100,
    },
  );
  return new Map(
    options.contexts.map(({ context }) => {
      const status = combined.statuses?.find((s) => s.context === context);
      const state = status?.state ?? 'absent';
      const outcome: Reading['outcome'] =
        state === 'success' ? 'healthy' : state === 'failure' || state === 'error' ? 'failed' : 'pending';
      return [
        context,
        { state, outcome, description: status?.description ?? '', targetUrl: status?.target_url ?? '' },
      ];
    }),
  );
}

/**
 * The newest check run of each name on the commit (`filter=latest`, `check_name` per context).
 * Queued or in progress is pending; completed with `success` is healthy; any other conclusion
 * (failure, cancelled, timed_out, action_required, neutral, skipped, stale) is not a deployment
 * that passed, so it fails.
 */
async function readCheckRuns(options: PushWaitOptions): Promise<Map<string, Reading>> {
  const readings = new Map<string, Reading>();
  for (const { context } of options.contexts) {
    if (readings.has(context)) continue;
    const list = await options.github.rest<CheckRunList>(
      'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
      {
        owner: options.owner,
        repo: options.repo,
        ref: options.revision,
        check_name: context,
        filter: 'latest',
        per_page: 1,
      },
    );
    const run = list.check_runs?.[0];
    const completed = run?.status === 'completed';
    const state = run ? (completed ? (run.conclusion ?? 'completed') : (run.status ?? 'queued')) : 'absent';
    const outcome: Reading['outcome'] = !completed ? 'pending' : state === 'success' ? 'healthy' : 'failed';
    const description = [run?.output?.title, run?.output?.summary].filter(Boolean).join(': ');
    readings.set(context, { state, outcome, description, targetUrl: run?.details_url ?? '' });
  }
  return readings;
}
