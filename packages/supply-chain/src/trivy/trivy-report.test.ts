import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSarif } from './sarif-report.ts';
import { countBySeverity, scanSummaryMarkdown, topVulnerabilities } from './scan-summary.ts';
import { failsGate, severitiesFrom } from './severity.ts';
import { findingsOf, parseTrivyReport } from './trivy-report.ts';
import { sharedFixture } from '../../../../test/shared-fixtures.ts';

const fixture = (name: string) => readFileSync(sharedFixture(`trivy/${name}`), 'utf8');

describe('parseTrivyReport + findingsOf on real Trivy output', () => {
  it('alpine-310.json: four vulnerability findings (two CVEs in two packages)', () => {
    const findings = findingsOf(parseTrivyReport(fixture('alpine-310.json'), 'alpine-310.json'));
    expect(findings.map((f) => [f.id, f.packageName, f.severity, f.fixedVersion, f.score])).toEqual([
      ['CVE-2019-1549', 'libcrypto1.1', 'MEDIUM', '1.1.1d-r0', 5.3],
      ['CVE-2019-1551', 'libcrypto1.1', 'MEDIUM', '1.1.1d-r2', 5.3],
      ['CVE-2019-1549', 'libssl1.1', 'MEDIUM', '1.1.1d-r0', 5.3],
      ['CVE-2019-1551', 'libssl1.1', 'MEDIUM', '1.1.1d-r2', 5.3],
    ]);
    expect(countBySeverity(findings)).toEqual({ UNKNOWN: 0, LOW: 0, MEDIUM: 4, HIGH: 0, CRITICAL: 0 });
  });

  it('dockerfile.json: one failed misconfiguration, passes are not findings', () => {
    const findings = findingsOf(parseTrivyReport(fixture('dockerfile.json'), 'dockerfile.json'));
    expect(findings).toEqual([
      {
        kind: 'misconfiguration',
        id: 'DS-0002',
        severity: 'HIGH',
        target: 'Dockerfile',
        title: "Image user should not be 'root'",
        url: expect.stringContaining('ds-0002') as unknown as string,
      },
    ]);
  });

  it('sl-micro-rancher5.4.json: a result without a Vulnerabilities key has no findings', () => {
    expect(findingsOf(parseTrivyReport(fixture('sl-micro-rancher5.4.json'), 'x'))).toEqual([]);
  });

  it('refuses documents that are not Trivy JSON reports', () => {
    expect(() => parseTrivyReport(fixture('alpine-310.sarif'), 'r.json')).toThrow(
      'r.json is not a Trivy JSON report with SchemaVersion 2.',
    );
    expect(() => parseTrivyReport('{"SchemaVersion":2,"Results":[{"Class":"x"}]}', 'r.json')).toThrow(
      'r.json: Results[0] has no Target.',
    );
    expect(() => parseTrivyReport('not json', 'r.json')).toThrow(/^r\.json is not JSON/);
  });
});

describe('parseSarif on real Trivy SARIF', () => {
  it('reads alpine-310.sarif', () => {
    expect(parseSarif(fixture('alpine-310.sarif'), 'a.sarif')).toEqual({
      tool: 'Trivy',
      results: 4,
      ruleIds: ['CVE-2019-1549', 'CVE-2019-1551'],
    });
  });
  it('refuses a Trivy JSON report as SARIF', () => {
    expect(() => parseSarif(fixture('alpine-310.json'), 'a.sarif')).toThrow(
      'a.sarif is not a SARIF 2.1.0 log with at least one run.',
    );
  });
});

describe('severity gate', () => {
  it.each([
    ['MEDIUM', 'none', false],
    ['MEDIUM', 'MEDIUM', true],
    ['MEDIUM', 'HIGH', false],
    ['CRITICAL', 'LOW', true],
    ['UNKNOWN', 'UNKNOWN', true],
  ] as const)('%s with fail-on %s fails: %s', (severity, failOn, fails) => {
    expect(failsGate(severity, failOn)).toBe(fails);
  });
  it('thresholds list the severities trivy should report', () => {
    expect(severitiesFrom('HIGH')).toEqual(['HIGH', 'CRITICAL']);
  });
});

describe('job summary', () => {
  it('groups CVEs across packages and renders the severity table', () => {
    const findings = findingsOf(parseTrivyReport(fixture('alpine-310.json'), 'x'));
    expect(topVulnerabilities(findings).map((t) => [t.id, t.packages, t.fixedVersions])).toEqual([
      ['CVE-2019-1549', ['libcrypto1.1', 'libssl1.1'], ['1.1.1d-r0']],
      ['CVE-2019-1551', ['libcrypto1.1', 'libssl1.1'], ['1.1.1d-r2']],
    ]);
    expect(
      scanSummaryMarkdown({
        target: 'alpine:3.10',
        scanType: 'image',
        findings,
        failOn: 'HIGH',
        sarifFile: 'r.sarif',
      }),
    ).toBe(
      [
        '### Trivy image scan: `alpine:3.10`',
        '',
        '| Severity | Findings |',
        '| --- | --- |',
        '| CRITICAL | 0 |',
        '| HIGH | 0 |',
        '| MEDIUM | 4 |',
        '| LOW | 0 |',
        '| UNKNOWN | 0 |',
        '',
        'Gate `fail-on: HIGH`: passed.',
        '',
        '#### Top vulnerabilities',
        '',
        '| ID | Severity | CVSS | Packages | Fixed in | Title |',
        '| --- | --- | --- | --- | --- | --- |',
        '| CVE-2019-1549 | MEDIUM | 5.3 | libcrypto1.1, libssl1.1 | 1.1.1d-r0 | openssl: information disclosure in fork() |',
        '| CVE-2019-1551 | MEDIUM | 5.3 | libcrypto1.1, libssl1.1 | 1.1.1d-r2 | openssl: Integer overflow in RSAZ modular exponentiation on x86_64 |',
        '',
        'SARIF: `r.sarif`',
        '',
      ].join('\n'),
    );
  });
});
