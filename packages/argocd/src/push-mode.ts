/**
 * Push mode, for an Argo CD the runner cannot reach: Argo CD Notifications posts a
 * commit status on the ops-repo commit it synced (`github.status` in a template,
 * label `continuous-delivery/<app>` by default), and we wait for it through the
 * GitHub API alone (the combined status of the commit, latest per context).
 */
import { formatDuration } from '@slipway/core';
import type { GitHubClient } from '@slipway/github';
import { realClock, type Outcome, type WaitClock } from './wait.ts';

export interface PushWaitOptions {
  github: GitHubClient;
  owner: string;
  repo: string;
  revision: string;
  /** One status context per application. */
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
  /** The commit status state last seen, or `absent`. */
  state: string;
  description: string;
  targetUrl: string;
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
  for (;;) {
    const combined = await options.github.rest<CombinedStatus>(
      'GET /repos/{owner}/{repo}/commits/{ref}/status',
      {
        owner: options.owner,
        repo: options.repo,
        ref: options.revision,
        per_page: 100,
      },
    );
    const results = options.contexts.map(({ application, context }) => {
      const status = combined.statuses?.find((s) => s.context === context);
      const state = status?.state ?? 'absent';
      const outcome: Outcome | 'pending' =
        state === 'success' ? 'healthy' : state === 'failure' || state === 'error' ? 'failed' : 'pending';
      return {
        application,
        context,
        outcome,
        state,
        description: status?.description ?? '',
        targetUrl: status?.target_url ?? '',
      };
    });
    let changed = false;
    for (const r of results) {
      const line = `${r.state}${r.description ? `: ${r.description}` : ''}`;
      if (seen.get(r.context) !== line) {
        changed = true;
        seen.set(r.context, line);
        log(`${r.application}: status '${r.context}' is ${line}`);
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
              description: `no final '${r.context}' status within ${formatDuration(options.timeoutMs)} (last: ${r.state})`,
            }
          : { ...r, outcome: r.outcome },
      );
    }
    interval = changed ? options.pollMs : Math.min(options.maxPollMs, interval * 2);
    await clock.sleep(Math.max(1, Math.min(interval, deadline - now)));
  }
}
