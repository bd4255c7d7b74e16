/** Trivy's severity scale, thresholds and the fail-on gate. */
export const SEVERITIES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** Every severity at or above `threshold`, lowest first: the value of trivy's `--severity`. */
export function severitiesFrom(threshold: Severity): Severity[] {
  return SEVERITIES.slice(severityRank(threshold));
}

/** `none` never fails; a severity fails on any finding at or above it. */
export type FailOn = Severity | 'none';

export function failsGate(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && severityRank(severity) >= severityRank(failOn);
}
