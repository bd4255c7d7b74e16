/**
 * What a drift issue and the drift summary say. One issue per drifted
 * (directory, workspace), found again by a hidden marker in its body; the
 * summary table lists every directory of the scheduled run.
 */
import { markdownTable } from '@slipway/core';
import { markdownCode } from '@slipway/gitops';
import { encodeRefComponent } from '../lock/lock-name.ts';

export const DRIFT_LABEL = 'slipway-drift';
/** GitHub rejects issue bodies longer than this many characters. */
export const ISSUE_BODY_LIMIT = 65_536;

export interface PlanCounts {
  add: number;
  change: number;
  destroy: number;
  replace: number;
}

export interface DriftResult {
  dir: string;
  workspace: string;
  /** `plan -detailed-exitcode`: 0 no changes, 1 error, 2 changes (drift). */
  exitCode: 0 | 1 | 2;
  counts?: PlanCounts;
  /** The rendered (and already redacted) plan summary in Markdown. */
  summary: string;
}

export interface RunInfo {
  /** Link to the workflow run, e.g. `${GITHUB_SERVER_URL}/${repo}/actions/runs/${GITHUB_RUN_ID}`. */
  url: string;
  /** When the plans ran. */
  at: Date;
}

export function driftMarker(dir: string, workspace: string): string {
  return `<!-- ${DRIFT_LABEL} dir=${encodeRefComponent(dir)} workspace=${encodeRefComponent(workspace)} -->`;
}

const MARKER = new RegExp(`<!-- ${DRIFT_LABEL} dir=([A-Za-z0-9_%-]+) workspace=([A-Za-z0-9_%-]+) -->`);

/** The (directory, workspace) an issue body is about, or null when it has no marker. */
export function parseDriftMarker(body: string | null | undefined): { dir: string; workspace: string } | null {
  const match = MARKER.exec(body ?? '');
  if (!match) return null;
  try {
    return { dir: decodeURIComponent(match[1]!), workspace: decodeURIComponent(match[2]!) };
  } catch {
    return null;
  }
}

export function driftTitle(result: Pick<DriftResult, 'dir' | 'workspace'>): string {
  return `Drift: ${result.dir} (workspace ${result.workspace})`;
}

export function countsText(counts: PlanCounts | undefined): string {
  if (!counts) return 'changes';
  return `${counts.add} to add, ${counts.change} to change, ${counts.destroy} to destroy, ${counts.replace} to replace`;
}

export function driftIssueBody(result: DriftResult, run: RunInfo): string {
  const head = [
    driftMarker(result.dir, result.workspace),
    `**Drift** in ${markdownCode(result.dir)} (workspace ${markdownCode(result.workspace)}): ${countsText(result.counts)}.`,
    '',
    `The real infrastructure no longer matches the code on the default branch. Last seen by [this run](${run.url}) at ${run.at.toISOString()}. This issue is updated by every scheduled plan and closed when the directory is clean again.`,
    '',
  ].join('\n');
  const cut = '\n\n…(cut to fit the issue; the full plan is in the run summary)';
  const room = ISSUE_BODY_LIMIT - head.length;
  const summary =
    result.summary.length <= room ? result.summary : `${result.summary.slice(0, room - cut.length)}${cut}`;
  return `${head}${summary}`;
}

export function cleanComment(run: RunInfo): string {
  return `No drift any more: [this run](${run.url}) planned no changes at ${run.at.toISOString()}. Closing.`;
}

export interface TableRow {
  result: DriftResult;
  /** The issue for this directory after the sync, if any. */
  issue?: { number: number; url: string };
}

/** The summary table of a scheduled run: one row per directory and workspace. */
export function driftTable(rows: readonly TableRow[]): string {
  const status = (r: DriftResult) =>
    r.exitCode === 2 ? 'drift' : r.exitCode === 0 ? 'clean' : 'plan failed';
  const count = (r: DriftResult, k: keyof PlanCounts) => (r.counts ? String(r.counts[k]) : '');
  return markdownTable(
    ['directory', 'workspace', 'status', 'add', 'change', 'destroy', 'replace', 'issue'],
    [...rows]
      .sort(
        (a, b) =>
          a.result.dir.localeCompare(b.result.dir) || a.result.workspace.localeCompare(b.result.workspace),
      )
      .map(({ result, issue }) => [
        markdownCode(result.dir),
        markdownCode(result.workspace),
        status(result),
        count(result, 'add'),
        count(result, 'change'),
        count(result, 'destroy'),
        count(result, 'replace'),
        issue ? `[#${issue.number}](${issue.url})` : '',
      ]),
  );
}
