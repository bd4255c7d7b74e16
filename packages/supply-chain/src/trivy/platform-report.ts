/**
 * Per-platform Trivy results of an image index, and the one report that stands
 * for the whole index: trivy-scan's `json-file` (and the SARIF converted from
 * it). Each platform's results are kept whole, marked with `Platform` and
 * `Digest` (fields trivy does not use, so `trivy convert` still reads the
 * report), so a reader of `Results[].Vulnerabilities` sees every platform's
 * findings. Counts and the gate are taken per platform: a count is the largest
 * over the platforms (the worst platform), the gate fails when any platform does.
 */
import type { PlatformTarget } from '../registry/platform-targets.ts';
import { SEVERITIES } from './severity.ts';
import { countBySeverity, type SeverityCounts } from './scan-summary.ts';
import type { Finding, TrivyReport } from './trivy-report.ts';

export interface PlatformScan {
  platform: string;
  digest: string;
  ref: string;
  /** Trivy's JSON report of this platform image alone. */
  jsonFile: string;
  findings: Finding[];
  /** Findings at or above fail-on. */
  gated: Finding[];
}

/** The report of the whole index: every platform's results, each marked with its platform and digest. */
export function mergePlatformReports(
  indexRef: string,
  reports: { target: PlatformTarget; report: TrivyReport }[],
): string {
  const first = reports[0]?.report as (TrivyReport & Record<string, unknown>) | undefined;
  const merged = {
    SchemaVersion: 2,
    ...(first?.CreatedAt !== undefined ? { CreatedAt: first.CreatedAt } : {}),
    ...(first?.Trivy !== undefined ? { Trivy: first.Trivy } : {}),
    ArtifactName: indexRef,
    ArtifactType: first?.ArtifactType ?? 'container_image',
    Platforms: reports.map(({ target }) => ({ Platform: target.platform, Digest: target.digest })),
    Results: reports.flatMap(({ target, report }) =>
      (report.Results ?? []).map((r) => ({ ...r, Platform: target.platform, Digest: target.digest })),
    ),
  };
  return JSON.stringify(merged, null, 2) + '\n';
}

/** The largest count of each severity over the platforms, and the largest total. */
export function worstCounts(scans: readonly PlatformScan[]): { counts: SeverityCounts; findings: number } {
  const counts = countBySeverity([]);
  let findings = 0;
  for (const scan of scans) {
    const own = countBySeverity(scan.findings);
    for (const s of SEVERITIES) counts[s] = Math.max(counts[s], own[s]);
    findings = Math.max(findings, scan.findings.length);
  }
  return { counts, findings };
}

/** trivy-scan's `platforms` output: per platform image, its digest, report, counts and gate. */
export function platformsOutput(scans: readonly PlatformScan[]): Record<string, string | number>[] {
  return scans.map((scan) => {
    const counts = countBySeverity(scan.findings);
    return {
      platform: scan.platform,
      digest: scan.digest,
      'json-file': scan.jsonFile,
      findings: scan.findings.length,
      ...Object.fromEntries(SEVERITIES.map((s) => [s.toLowerCase(), counts[s]])),
      gate: scan.gated.length === 0 ? 'passed' : 'failed',
    };
  });
}
