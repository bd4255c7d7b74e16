/** The job summary of a Trivy scan: findings by severity, then the most severe CVEs. */
import { markdownTable } from '@slipway/core';
import { codeSpan, inertText } from '../summary/scanned-text.ts';
import { SEVERITIES, failsGate, severityRank, type FailOn, type Severity } from './severity.ts';
import type { Finding } from './trivy-report.ts';
import type { PlatformScan } from './platform-report.ts';

export type SeverityCounts = Record<Severity, number>;

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export interface TopEntry {
  id: string;
  severity: Severity;
  score: number | undefined;
  packages: string[];
  fixedVersions: string[];
  title: string;
}

/** Vulnerabilities grouped by ID (one CVE can hit several packages), most severe and highest score first. */
export function topVulnerabilities(findings: readonly Finding[], limit = 10): TopEntry[] {
  const byId = new Map<string, TopEntry>();
  for (const f of findings) {
    if (f.kind !== 'vulnerability') continue;
    const entry = byId.get(f.id) ?? {
      id: f.id,
      severity: f.severity,
      score: f.score,
      packages: [],
      fixedVersions: [],
      title: f.title,
    };
    if (f.packageName && !entry.packages.includes(f.packageName)) entry.packages.push(f.packageName);
    if (f.fixedVersion && !entry.fixedVersions.includes(f.fixedVersion))
      entry.fixedVersions.push(f.fixedVersion);
    byId.set(f.id, entry);
  }
  return [...byId.values()]
    .sort(
      (a, b) =>
        severityRank(b.severity) - severityRank(a.severity) ||
        (b.score ?? -1) - (a.score ?? -1) ||
        a.id.localeCompare(b.id),
    )
    .slice(0, limit);
}

export function scanSummaryMarkdown(o: {
  target: string;
  scanType: string;
  findings: readonly Finding[];
  failOn: FailOn;
  sarifFile: string;
  /** The platform images of an index, each scanned on its own. */
  platforms?: readonly PlatformScan[];
}): string {
  const counts = countBySeverity(o.findings);
  const severities = [...SEVERITIES].reverse();
  const lines = [`### Trivy ${o.scanType} scan: ${codeSpan(o.target)}`, ''];
  if (o.platforms) {
    lines.push(`Image index: ${o.platforms.length} platform images, each scanned.`, '');
    lines.push(
      markdownTable(
        ['Platform', 'Digest', ...severities, 'Gate'],
        o.platforms.map((p) => {
          const own = countBySeverity(p.findings);
          const gate = o.failOn === 'none' ? 'off' : p.gated.length === 0 ? 'passed' : '**failed**';
          return [
            inertText(p.platform, 80),
            codeSpan(p.digest),
            ...severities.map((s) => String(own[s])),
            gate,
          ];
        }),
      ),
    );
  } else {
    lines.push(
      markdownTable(
        ['Severity', 'Findings'],
        severities.map((s) => [s, String(counts[s])]),
      ),
    );
  }
  const gated = o.findings.filter((f) => failsGate(f.severity, o.failOn)).length;
  lines.push(
    '',
    o.failOn === 'none'
      ? 'Gate: off (`fail-on: none`).'
      : `Gate \`fail-on: ${o.failOn}\`: ${gated === 0 ? 'passed' : `**failed** (${gated} findings)`}.`,
  );
  const top = topVulnerabilities(o.findings);
  if (top.length > 0) {
    lines.push('', '#### Top vulnerabilities', '');
    lines.push(
      markdownTable(
        ['ID', 'Severity', 'CVSS', 'Packages', 'Fixed in', 'Title'],
        top.map((t) => [
          inertText(t.id, 80),
          t.severity,
          t.score?.toFixed(1) ?? '',
          inertText(t.packages.join(', ')),
          inertText(t.fixedVersions.join(', ')) || 'no fix',
          inertText(t.title),
        ]),
      ),
    );
  }
  const other = o.findings.filter((f) => f.kind !== 'vulnerability');
  if (other.length > 0) {
    lines.push('', '#### Misconfigurations and secrets', '');
    lines.push(
      markdownTable(
        ['ID', 'Severity', 'Kind', 'Where', 'Title'],
        other
          .slice(0, 20)
          .map((f) => [inertText(f.id, 80), f.severity, f.kind, inertText(f.target), inertText(f.title)]),
      ),
    );
  }
  lines.push('', `SARIF: ${codeSpan(o.sarifFile)}`);
  return lines.join('\n') + '\n';
}
