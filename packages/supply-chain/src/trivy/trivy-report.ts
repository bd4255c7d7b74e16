/**
 * Trivy's JSON report (`--format json`, SchemaVersion 2) as types, and a typed
 * reader that turns it into findings. Only the fields Slipway uses are typed;
 * everything is checked at runtime before use, so an unexpected document is a
 * clear error, not a crash.
 */
import { UserError } from '@slipway/core';
import { isSeverity, type Severity } from './severity.ts';

export interface TrivyVulnerability {
  VulnerabilityID: string;
  PkgName: string;
  InstalledVersion?: string;
  FixedVersion?: string;
  Severity: string;
  Title?: string;
  PrimaryURL?: string;
  CVSS?: Record<string, { V3Score?: number; V2Score?: number }>;
}

export interface TrivyMisconfiguration {
  ID: string;
  Title?: string;
  Severity: string;
  Status: 'PASS' | 'FAIL' | 'EXCEPTION' | string;
  PrimaryURL?: string;
}

export interface TrivySecret {
  RuleID: string;
  Title?: string;
  Severity: string;
  StartLine?: number;
}

export interface TrivyResult {
  Target: string;
  Class?: string;
  Type?: string;
  Vulnerabilities?: TrivyVulnerability[];
  Misconfigurations?: TrivyMisconfiguration[];
  Secrets?: TrivySecret[];
}

export interface TrivyReport {
  SchemaVersion: number;
  ArtifactName?: string;
  ArtifactType?: string;
  Results?: TrivyResult[];
}

export type FindingKind = 'vulnerability' | 'misconfiguration' | 'secret';

export interface Finding {
  kind: FindingKind;
  id: string;
  severity: Severity;
  target: string;
  title: string;
  packageName?: string;
  installedVersion?: string;
  fixedVersion?: string;
  url?: string;
  /** Highest CVSS v3 (else v2) score across sources, when the report has one. */
  score?: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and checks a Trivy JSON report. `source` names the file in errors. */
export function parseTrivyReport(text: string, source: string): TrivyReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `${source} is not JSON (${(error as Error).message}); was it written by trivy --format json?`,
    );
  }
  if (!isObject(value) || value.SchemaVersion !== 2) {
    throw new UserError(`${source} is not a Trivy JSON report with SchemaVersion 2.`);
  }
  if (value.Results !== undefined && !Array.isArray(value.Results)) {
    throw new UserError(`${source}: "Results" must be an array.`);
  }
  for (const [index, result] of ((value.Results as unknown[]) ?? []).entries()) {
    if (!isObject(result) || typeof result.Target !== 'string') {
      throw new UserError(`${source}: Results[${index}] has no Target.`);
    }
    for (const key of ['Vulnerabilities', 'Misconfigurations', 'Secrets'] as const) {
      if (result[key] !== undefined && !Array.isArray(result[key])) {
        throw new UserError(`${source}: Results[${index}].${key} must be an array.`);
      }
    }
  }
  return value as unknown as TrivyReport;
}

function severityOf(value: string): Severity {
  return isSeverity(value) ? value : 'UNKNOWN';
}

function bestScore(cvss: TrivyVulnerability['CVSS']): number | undefined {
  const scores = Object.values(cvss ?? {})
    .map((s) => s.V3Score ?? s.V2Score)
    .filter((s): s is number => typeof s === 'number');
  return scores.length > 0 ? Math.max(...scores) : undefined;
}

/** Every finding in the report: vulnerabilities, failed misconfigurations and secrets. */
export function findingsOf(report: TrivyReport): Finding[] {
  const findings: Finding[] = [];
  for (const result of report.Results ?? []) {
    for (const v of result.Vulnerabilities ?? []) {
      findings.push({
        kind: 'vulnerability',
        id: v.VulnerabilityID,
        severity: severityOf(v.Severity),
        target: result.Target,
        title: v.Title ?? '',
        packageName: v.PkgName,
        installedVersion: v.InstalledVersion,
        fixedVersion: v.FixedVersion || undefined,
        url: v.PrimaryURL,
        score: bestScore(v.CVSS),
      });
    }
    for (const m of result.Misconfigurations ?? []) {
      if (m.Status !== 'FAIL') continue;
      findings.push({
        kind: 'misconfiguration',
        id: m.ID,
        severity: severityOf(m.Severity),
        target: result.Target,
        title: m.Title ?? '',
        url: m.PrimaryURL,
      });
    }
    for (const s of result.Secrets ?? []) {
      findings.push({
        kind: 'secret',
        id: s.RuleID,
        severity: severityOf(s.Severity),
        target: s.StartLine === undefined ? result.Target : `${result.Target}:${s.StartLine}`,
        title: s.Title ?? '',
      });
    }
  }
  return findings;
}
