/**
 * Human-readable and JSON reports. Text groups findings by file, one line per
 * finding with `line:column`, severity, rule and message, then a total.
 */
import type { PinnedRelease, ReleaseState } from './pinned-releases.ts';
import type { Finding } from './rules.ts';

export interface ReportTotals {
  files: number;
  error: number;
  warning: number;
  note: number;
}

export function totals(findings: readonly Finding[], files: number): ReportTotals {
  const count = (level: Finding['severity']) => findings.filter((f) => f.severity === level).length;
  return { files, error: count('error'), warning: count('warning'), note: count('note') };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const RELEASE_WORDS: Record<ReleaseState, string> = {
  immutable: 'immutable release',
  mutable: 'release, not immutable',
  none: 'no release',
  unknown: 'release not known (the lookup failed)',
};

/** Tags that have a release (or whose lookup failed): a tag without one is not worth a line. */
export const releasesToShow = (releases: readonly PinnedRelease[]): PinnedRelease[] =>
  releases.filter((r) => r.release !== 'none');

/** The online release information, one line per reference whose tag has a release. */
export function releaseLines(releases: readonly PinnedRelease[]): string[] {
  const shown = releasesToShow(releases);
  if (shown.length === 0) return [];
  return [
    'Releases (information only: an immutable release does not pin a reference):',
    ...shown.map(
      (r) => `  ${r.file}:${r.line}:${r.column}  ${r.repository} ${r.tag}: ${RELEASE_WORDS[r.release]}`,
    ),
    '',
  ];
}

/** `releases`: online release information, listed after the findings (tags without a release left out). */
export function toText(
  findings: readonly Finding[],
  filesChecked: number,
  releases: readonly PinnedRelease[] = [],
): string {
  const lines: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, list] of byFile) {
    lines.push(file);
    const width = Math.max(...list.map((f) => `${f.line}:${f.column}`.length));
    for (const f of list) {
      lines.push(
        `  ${`${f.line}:${f.column}`.padEnd(width)}  ${f.severity.padEnd(7)}  ${f.message}  [${f.ruleId}]`,
      );
    }
    lines.push('');
  }
  lines.push(...releaseLines(releases));
  const t = totals(findings, filesChecked);
  if (findings.length === 0) lines.push(`No findings in ${plural(filesChecked, 'file')}.`);
  else
    lines.push(
      `${plural(findings.length, 'finding')} (${plural(t.error, 'error')}, ${plural(t.warning, 'warning')}, ${plural(t.note, 'note')}) in ${plural(byFile.size, 'file')}; ${filesChecked} checked.`,
    );
  return `${lines.join('\n')}\n`;
}

/** `releases` (online): listed whole as `releases`, information that does not count as findings. */
export function toJson(
  findings: readonly Finding[],
  filesChecked: number,
  releases?: readonly PinnedRelease[],
): string {
  const report = {
    version: 1,
    totals: totals(findings, filesChecked),
    findings: findings.map(({ file, line, column, ruleId, severity, reference, message }) => ({
      file,
      line,
      column,
      ruleId,
      severity,
      reference,
      message,
    })),
    ...(releases ? { releases } : {}),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
