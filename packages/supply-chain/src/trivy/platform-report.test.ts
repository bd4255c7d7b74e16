import { describe, expect, it } from 'vitest';
import { mergePlatformReports, platformsOutput, worstCounts, type PlatformScan } from './platform-report.ts';
import { scanSummaryMarkdown } from './scan-summary.ts';
import { findingsOf, parseTrivyReport, type Finding, type TrivyReport } from './trivy-report.ts';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const target = (digest: string, platform: string, slug: string) => ({
  digest,
  platform,
  slug,
  ref: `reg.test/app@${digest}`,
});
const vuln = (id: string, severity: string, pkg: string) => ({
  VulnerabilityID: id,
  PkgName: pkg,
  InstalledVersion: '1.0.0',
  Severity: severity,
});
const report = (digest: string, vulns: ReturnType<typeof vuln>[]): TrivyReport =>
  ({
    SchemaVersion: 2,
    CreatedAt: '2026-12-06T00:00:00Z',
    ArtifactName: `reg.test/app@${digest}`,
    ArtifactType: 'container_image',
    Results: [{ Target: 'Node.js', Class: 'lang-pkgs', Type: 'node-pkg', Vulnerabilities: vulns }],
  }) as TrivyReport;

const amd64 = report(A, [
  vuln('CVE-1', 'LOW', 'left-pad'),
  vuln('CVE-3', 'HIGH', 'lodash'),
  vuln('CVE-4', 'HIGH', 'x'),
]);
const arm64 = report(B, [vuln('CVE-1', 'LOW', 'left-pad'), vuln('CVE-2', 'CRITICAL', 'minimist')]);

function scanOf(
  r: TrivyReport,
  digest: string,
  platform: string,
  failOn: (f: Finding) => boolean,
): PlatformScan {
  const findings = findingsOf(r);
  return {
    platform,
    digest,
    ref: `reg.test/app@${digest}`,
    jsonFile: `/ws/${platform}.json`,
    findings,
    gated: findings.filter(failOn),
  };
}
const critical = (f: Finding) => f.severity === 'CRITICAL';
const scans = [scanOf(amd64, A, 'linux/amd64', critical), scanOf(arm64, B, 'linux/arm64', critical)];

describe('mergePlatformReports', () => {
  it('keeps every platform result, marked with its platform and digest, as a report Slipway and trivy read', () => {
    const text = mergePlatformReports('reg.test/app@sha256:index', [
      { target: target(A, 'linux/amd64', 'linux-amd64'), report: amd64 },
      { target: target(B, 'linux/arm64', 'linux-arm64'), report: arm64 },
    ]);
    const merged = JSON.parse(text) as Record<string, unknown> & { Results: Record<string, unknown>[] };
    expect(merged).toMatchObject({
      SchemaVersion: 2,
      CreatedAt: '2026-12-06T00:00:00Z',
      ArtifactName: 'reg.test/app@sha256:index',
      ArtifactType: 'container_image',
      Platforms: [
        { Platform: 'linux/amd64', Digest: A },
        { Platform: 'linux/arm64', Digest: B },
      ],
    });
    expect(merged.Results.map((r) => [r.Platform, r.Digest, r.Target])).toEqual([
      ['linux/amd64', A, 'Node.js'],
      ['linux/arm64', B, 'Node.js'],
    ]);
    expect(findingsOf(parseTrivyReport(text, 'merged')).map((f) => f.id)).toEqual([
      'CVE-1',
      'CVE-3',
      'CVE-4',
      'CVE-1',
      'CVE-2',
    ]);
  });
});

describe('worstCounts and platformsOutput', () => {
  it('takes each count from the worst platform and reports each platform with its own gate', () => {
    expect(worstCounts(scans)).toEqual({
      counts: { UNKNOWN: 0, LOW: 1, MEDIUM: 0, HIGH: 2, CRITICAL: 1 },
      findings: 3,
    });
    expect(platformsOutput(scans)).toEqual([
      {
        platform: 'linux/amd64',
        digest: A,
        'json-file': '/ws/linux/amd64.json',
        findings: 3,
        unknown: 0,
        low: 1,
        medium: 0,
        high: 2,
        critical: 0,
        gate: 'passed',
      },
      {
        platform: 'linux/arm64',
        digest: B,
        'json-file': '/ws/linux/arm64.json',
        findings: 2,
        unknown: 0,
        low: 1,
        medium: 0,
        high: 0,
        critical: 1,
        gate: 'failed',
      },
    ]);
  });

  it('the job summary has a row per platform with its digest, counts and gate', () => {
    const summary = scanSummaryMarkdown({
      target: 'reg.test/app@sha256:index',
      scanType: 'image',
      findings: scans.flatMap((s) => s.findings),
      failOn: 'CRITICAL',
      sarifFile: '/ws/trivy-results.sarif',
      platforms: scans,
    });
    expect(summary).toContain('Image index: 2 platform images, each scanned.');
    expect(summary).toContain(`| linux/amd64 | \`${A}\` | 0 | 2 | 0 | 1 | 0 | passed |`);
    expect(summary).toContain(`| linux/arm64 | \`${B}\` | 1 | 0 | 0 | 1 | 0 | **failed** |`);
    expect(summary).toContain('Gate `fail-on: CRITICAL`: **failed** (1 findings).');
    expect(summary).not.toContain('| Severity | Findings |');
  });
});
