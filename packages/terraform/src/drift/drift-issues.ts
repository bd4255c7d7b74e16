/**
 * Keeps one open issue per drifted (directory, workspace): opened when a scheduled
 * plan finds changes, updated in place while the drift lasts, closed with a
 * comment when the directory plans clean. A failed plan (exit 1) leaves its issue
 * as it is. Issues are found by label and hidden marker (the issues list, not the
 * search API, which lags behind writes).
 */
import { statusOf, UserError } from '@slipway/core';
import type { GitHubClient } from '@slipway/github';
import {
  cleanComment,
  DRIFT_LABEL,
  driftIssueBody,
  driftTable,
  driftTitle,
  parseDriftMarker,
  type DriftResult,
  type RunInfo,
  type TableRow,
} from './drift-report.ts';

interface IssueJson {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
  pull_request?: unknown;
}

export interface DriftSync {
  opened: number[];
  updated: number[];
  closed: number[];
  /** Markdown table of every directory, for the job summary. */
  table: string;
  warnings: string[];
}

const PER_PAGE = 100;

function explainIssues(error: unknown, repository: string): unknown {
  const status = statusOf(error);
  if (status === 403 || status === 404) {
    return new UserError(
      `Could not read or write the drift issues of ${repository} (${status}). The token needs \`issues: write\` on ${repository}.`,
      { hint: 'Add `permissions: issues: write` to the drift job.' },
    );
  }
  return error;
}

const keyOf = (dir: string, workspace: string) => `${dir}\0${workspace}`;

export async function syncDriftIssues(
  client: GitHubClient,
  coordinates: { owner: string; repo: string },
  results: readonly DriftResult[],
  run: RunInfo,
): Promise<DriftSync> {
  const { owner, repo } = coordinates;
  const slug = `${owner}/${repo}`;
  const base = `/repos/${owner}/${repo}`;
  const call = <T>(route: string, params?: Record<string, unknown>) =>
    client.rest<T>(`${route.split(' ')[0]} ${base}${route.split(' ')[1]}`, params).catch((error: unknown) => {
      throw explainIssues(error, slug);
    });
  const sync: DriftSync = { opened: [], updated: [], closed: [], table: '', warnings: [] };

  const open = new Map<string, IssueJson>();
  for (let page = 1; ; page += 1) {
    const issues = await call<IssueJson[]>('GET /issues', {
      labels: DRIFT_LABEL,
      state: 'open',
      per_page: PER_PAGE,
      page,
    });
    for (const issue of issues) {
      const marker = issue.pull_request === undefined ? parseDriftMarker(issue.body) : null;
      if (!marker) continue;
      const key = keyOf(marker.dir, marker.workspace);
      const kept = open.get(key);
      if (kept) {
        const [first, second] = kept.number < issue.number ? [kept, issue] : [issue, kept];
        sync.warnings.push(
          `Issues #${first.number} and #${second.number} both track drift of ${marker.dir} (${marker.workspace}); updating #${first.number}. Close #${second.number}.`,
        );
        open.set(key, first);
      } else open.set(key, issue);
    }
    if (issues.length < PER_PAGE) break;
  }

  const rows: TableRow[] = [];
  for (const result of results) {
    const existing = open.get(keyOf(result.dir, result.workspace));
    if (result.exitCode === 2) {
      const body = driftIssueBody(result, run);
      const issue = existing
        ? await call<IssueJson>(`PATCH /issues/${existing.number}`, { title: driftTitle(result), body })
        : await call<IssueJson>('POST /issues', { title: driftTitle(result), body, labels: [DRIFT_LABEL] });
      (existing ? sync.updated : sync.opened).push(issue.number);
      rows.push({ result, issue: { number: issue.number, url: issue.html_url } });
    } else if (result.exitCode === 0 && existing) {
      await call(`POST /issues/${existing.number}/comments`, { body: cleanComment(run) });
      await call(`PATCH /issues/${existing.number}`, { state: 'closed', state_reason: 'completed' });
      sync.closed.push(existing.number);
      rows.push({ result, issue: { number: existing.number, url: existing.html_url } });
    } else {
      rows.push(
        existing ? { result, issue: { number: existing.number, url: existing.html_url } } : { result },
      );
    }
  }
  sync.table = driftTable(rows);
  return sync;
}
