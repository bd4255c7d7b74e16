/** The job summary: one row per application, then the resources that are not healthy. */
import { markdownTable } from '@slipway/core';
import { shortRevision } from './application.ts';
import { describeResource } from './assess.ts';
import type { PushReport, PushResult } from './push-mode.ts';
import { describeRollout } from './rollout.ts';
import type { AppResult, Outcome } from './wait.ts';

const MARK: Record<Outcome, string> = { healthy: '✅ healthy', failed: '❌ failed', timeout: '⏱️ timed out' };

export function waitSummary(server: string, expected: string, results: readonly AppResult[]): string {
  const rows = results.map((r) => [
    r.name,
    MARK[r.outcome],
    r.revision.split(', ').map(shortRevision).join(', '),
    r.syncStatus,
    r.health,
    r.rollouts.map(describeRollout).join('<br>') || '-',
    r.reason,
  ]);
  const lines = [
    `### deploy-wait: ${shortRevision(expected)} on ${server}`,
    '',
    markdownTable(
      ['application', 'result', 'compared revision', 'sync', 'health', 'rollout', 'detail'],
      rows,
    ),
  ];
  const unhealthy = results.flatMap((r) => r.unhealthy.map((u) => [r.name, describeResource(u)]));
  if (unhealthy.length > 0) {
    lines.push('', '**Resources not healthy**', '', markdownTable(['application', 'resource'], unhealthy));
  }
  return `${lines.join('\n')}\n`;
}

export function pushSummary(
  repository: string,
  revision: string,
  results: readonly PushResult[],
  report: PushReport = 'commit-status',
): string {
  const rows = results.map((r) => [r.application, MARK[r.outcome], r.context, r.state, r.description || '-']);
  return `${[
    `### deploy-wait (push): ${repository}@${shortRevision(revision)}`,
    '',
    markdownTable(
      [
        'application',
        'result',
        report === 'check-run' ? 'check run' : 'status context',
        'state',
        'description',
      ],
      rows,
    ),
  ].join('\n')}\n`;
}
