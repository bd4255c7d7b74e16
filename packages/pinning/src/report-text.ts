/**
 * Human-readable and JSON reports. Text groups findings by file, one line per
 * finding with `line:column`, severity, rule and message, then a total.
 */
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

export function toText(findings: readonly Finding[], filesChecked: number): string {
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
  const t = totals(findings, filesChecked);
  if (findings.length === 0) lines.push(`No findings in ${plural(filesChecked, 'file')}.`);
  else
    lines.push(
      `${plural(findings.length, 'finding')} (${plural(t.error, 'error')}, ${plural(t.warning, 'warning')}, ${plural(t.note, 'note')}) in ${plural(byFile.size, 'file')}; ${filesChecked} checked.`,
    );
  return `${lines.join('\n')}\n`;
}

export function toJson(findings: readonly Finding[], filesChecked: number): string {
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
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
