/**
 * The Slipway gate-policy attestation: what build-sign-push's vulnerability
 * gate was when it let an image through, signed with the image so the deploy
 * gate can refuse an image scanned under a weaker policy (`fail-on: none`, a
 * CRITICAL-only threshold, or a scan that ignored unfixed vulnerabilities)
 * even though its signer identity is right.
 *
 * predicateType `https://slipway.dev/attestations/gate-policy/v1`; predicate:
 *
 *   {
 *     "scanner": { "name": "trivy", "version": "0.74.0", "dbVersion": null },
 *     "policy":  { "failOn": "HIGH", "ignoreUnfixed": false, "severity": "UNKNOWN" },
 *     "result":  { "gate": "pass", "findings": 3,
 *                  "counts": { "CRITICAL": 0, "HIGH": 0, "MEDIUM": 1, "LOW": 2, "UNKNOWN": 0 } }
 *   }
 *
 * `failOn` is a Trivy severity or `none`; `severity` is the lowest severity the
 * scan reported (findings below it never reached the gate, so the effective
 * threshold is the higher of the two); `dbVersion` is the vulnerability DB's
 * version or null when the scanner did not report it. For an image index, `result.platforms`
 * holds each platform image's verdict (gate-policy-platforms.ts); `result.gate` is the worst.
 */
import { SEVERITIES, isSeverity, severityRank, type FailOn, type Severity } from '../trivy/severity.ts';

export const GATE_POLICY_PREDICATE_TYPE = 'https://slipway.dev/attestations/gate-policy/v1';

export interface GatePolicyPredicate {
  scanner: { name: string; version?: string; dbVersion?: string | null };
  policy: { failOn: FailOn; ignoreUnfixed: boolean; severity?: Severity };
  result: {
    gate: 'pass' | 'fail';
    findings?: number;
    counts?: Partial<Record<Severity, number>>;
    platforms?: { platform: string; digest: string; gate: 'pass' | 'fail' }[];
  };
}

/** What a predicate must look like to be signed or accepted. */
export function isGatePolicyPredicate(doc: unknown): doc is GatePolicyPredicate {
  const d = doc as Partial<Record<string, Record<string, unknown>>>;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.scanner?.name === 'string' &&
    (d.policy?.failOn === 'none' || isSeverity(d.policy?.failOn)) &&
    typeof d.policy?.ignoreUnfixed === 'boolean' &&
    (d.policy?.severity === undefined || isSeverity(d.policy.severity)) &&
    (d.result?.gate === 'pass' || d.result?.gate === 'fail')
  );
}

export interface GatePolicyRequirement {
  /** The weakest fail-on threshold accepted; `none` accepts any. */
  maxFailOn: FailOn;
  /** Accept a scan that left out vulnerabilities without a fix. */
  allowIgnoreUnfixed: boolean;
}

/** Undefined when the attested policy is at least as strict as required, else why not. */
export function gatePolicyMismatch(predicate: unknown, required: GatePolicyRequirement): string | undefined {
  if (!isGatePolicyPredicate(predicate))
    return 'the gate-policy predicate is not of the expected shape (scanner.name, policy.failOn, policy.ignoreUnfixed, result.gate)';
  const { policy, result } = predicate;
  if (result.gate !== 'pass') return `the scan's gate result is '${result.gate}', not 'pass'`;
  if (required.maxFailOn !== 'none') {
    if (policy.failOn === 'none')
      return `the image was scanned with fail-on none (the gate never fails); at most ${required.maxFailOn} is required`;
    const effective = Math.max(severityRank(policy.failOn), severityRank(policy.severity ?? 'UNKNOWN'));
    if (effective > severityRank(required.maxFailOn)) {
      const threshold = SEVERITIES[effective] as Severity;
      return `the image was scanned with a gate at ${threshold}${threshold !== policy.failOn ? ` (fail-on ${policy.failOn}, but only findings from ${policy.severity} up were reported)` : ''}, weaker than the required ${required.maxFailOn}`;
    }
  }
  if (policy.ignoreUnfixed && !required.allowIgnoreUnfixed)
    return 'the scan ignored vulnerabilities without a fix (ignore-unfixed), which is not allowed here';
  return undefined;
}
