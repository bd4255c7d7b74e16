/**
 * Reading what trivy-scan produced in a real-trivy run: the findings in trivy's JSON report, the
 * rule IDs in the SARIF file, the trivy commands the action ran; and the findings the seeded DB
 * (test/fixtures/trivy-real/advisories.yaml) must give for the scan target (trivy-target.ts).
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { ActionRunResult } from '../../harness/run-action.ts';

export interface JsonFinding {
  id: string;
  pkg?: string;
  installed?: string;
  fixed?: string;
  severity: string;
}

/** Every vulnerability, secret and failed misconfiguration in trivy's JSON report, sorted. */
export function reportedFindings(result: ActionRunResult): JsonFinding[] {
  const report = JSON.parse(readFileSync(result.outputs['json-file']!, 'utf8')) as {
    Results?: {
      Vulnerabilities?: {
        VulnerabilityID: string;
        PkgName: string;
        InstalledVersion: string;
        FixedVersion?: string;
        Severity: string;
      }[];
      Secrets?: { RuleID: string; Severity: string }[];
      Misconfigurations?: { ID: string; Severity: string; Status: string }[];
    }[];
  };
  const found: JsonFinding[] = [];
  for (const r of report.Results ?? []) {
    for (const v of r.Vulnerabilities ?? [])
      found.push({
        id: v.VulnerabilityID,
        pkg: v.PkgName,
        installed: v.InstalledVersion,
        ...(v.FixedVersion ? { fixed: v.FixedVersion } : {}),
        severity: v.Severity,
      });
    for (const s of r.Secrets ?? []) found.push({ id: s.RuleID, severity: s.Severity });
    for (const m of r.Misconfigurations ?? [])
      if (m.Status === 'FAIL') found.push({ id: m.ID, severity: m.Severity });
  }
  return found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** ruleId of every SARIF result, sorted. */
export function sarifRuleIds(result: ActionRunResult): string[] {
  const sarif = JSON.parse(readFileSync(result.outputs['sarif-file']!, 'utf8')) as {
    runs: { tool: { driver: { name: string } }; results: { ruleId: string }[] }[];
  };
  expect(sarif.runs[0]!.tool.driver.name).toBe('Trivy');
  return sarif.runs.flatMap((r) => r.results.map((x) => x.ruleId)).sort();
}

/** The trivy commands the action ran (@actions/exec logs each as `[command]<program> <args>`). */
export function trivyCommands(result: ActionRunResult): string[] {
  return result.log
    .split('\n')
    .filter((l) => /^\[command\]\S*\/trivy /.test(l))
    .map((l) => l.replace(/^\[command\]\S*\/trivy /, ''));
}

export const ALL_SEEDED_FINDINGS: JsonFinding[] = [
  { id: 'CVE-2099-1001', pkg: 'busybox', installed: '1.36.1-r28', fixed: '1.36.1-r29', severity: 'HIGH' },
  { id: 'CVE-2099-1003', pkg: 'zlib', installed: '1.3.1-r1', severity: 'CRITICAL' },
  { id: 'CVE-2099-1004', pkg: 'musl', installed: '1.2.5-r0', fixed: '1.2.5-r1', severity: 'MEDIUM' },
  { id: 'CVE-2099-2001', pkg: 'lodash', installed: '4.17.20', fixed: '4.17.21', severity: 'HIGH' },
  { id: 'CVE-2099-2002', pkg: 'minimist', installed: '1.2.5', fixed: '1.2.6', severity: 'CRITICAL' },
  { id: 'CVE-2099-2003', pkg: 'left-pad', installed: '1.3.0', severity: 'LOW' },
  { id: 'aws-access-key-id', severity: 'CRITICAL' },
];
