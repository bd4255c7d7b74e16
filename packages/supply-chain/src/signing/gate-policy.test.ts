import { describe, expect, it } from 'vitest';
import { gatePolicyMismatch, isGatePolicyPredicate } from './gate-policy.ts';
import { cosignPredicateType, readPredicate } from './predicate-types.ts';

const attested = (policy: object, gate = 'pass') => ({
  scanner: { name: 'trivy', version: '0.74.0', dbVersion: null },
  policy: { failOn: 'HIGH', ignoreUnfixed: false, severity: 'UNKNOWN', ...policy },
  result: { gate, findings: 0, counts: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 } },
});
const HIGH = { maxFailOn: 'HIGH', allowIgnoreUnfixed: true } as const;

describe('gatePolicyMismatch', () => {
  it.each([
    [{ failOn: 'HIGH' }, HIGH],
    [{ failOn: 'MEDIUM' }, HIGH],
    [{ failOn: 'LOW', severity: 'MEDIUM' }, HIGH],
    [{ failOn: 'none' }, { maxFailOn: 'none', allowIgnoreUnfixed: true }],
    [{ failOn: 'HIGH', ignoreUnfixed: true }, HIGH],
  ] as const)('accepts %j under %j', (policy, required) => {
    expect(gatePolicyMismatch(attested(policy), required)).toBeUndefined();
  });

  it.each([
    [
      { failOn: 'none' },
      HIGH,
      'the image was scanned with fail-on none (the gate never fails); at most HIGH is required',
    ],
    [
      { failOn: 'CRITICAL' },
      HIGH,
      'the image was scanned with a gate at CRITICAL, weaker than the required HIGH',
    ],
    [
      { failOn: 'HIGH', severity: 'CRITICAL' },
      HIGH,
      'the image was scanned with a gate at CRITICAL (fail-on HIGH, but only findings from CRITICAL up were reported), weaker than the required HIGH',
    ],
    [
      { ignoreUnfixed: true },
      { maxFailOn: 'HIGH', allowIgnoreUnfixed: false },
      'the scan ignored vulnerabilities without a fix (ignore-unfixed), which is not allowed here',
    ],
  ] as const)('refuses %j under %j', (policy, required, reason) => {
    expect(gatePolicyMismatch(attested(policy), required)).toBe(reason);
  });

  it('refuses a failed gate and a predicate of another shape whatever the threshold', () => {
    const any = { maxFailOn: 'none', allowIgnoreUnfixed: true } as const;
    expect(gatePolicyMismatch(attested({}, 'fail'), any)).toBe(
      "the scan's gate result is 'fail', not 'pass'",
    );
    expect(gatePolicyMismatch({}, any)).toMatch(/not of the expected shape/);
    expect(gatePolicyMismatch(attested({ failOn: 'SEVERE' }), any)).toMatch(/not of the expected shape/);
  });
});

describe('the gate-policy predicate kind', () => {
  it('is read and checked like the others, and goes to cosign as its URI', () => {
    const text = JSON.stringify(attested({}));
    const predicate = readPredicate('gate.json', 'gate-policy', () => text);
    expect(predicate.predicateType).toBe('https://slipway.dev/attestations/gate-policy/v1');
    expect(isGatePolicyPredicate(predicate.content)).toBe(true);
    expect(() => readPredicate('gate.json', 'gate-policy', () => '{"policy":{}}')).toThrow(
      "The predicate file gate.json (input 'predicate') is not a Slipway gate-policy predicate",
    );
    expect(cosignPredicateType('gate-policy')).toBe('https://slipway.dev/attestations/gate-policy/v1');
    expect(cosignPredicateType('spdxjson')).toBe('spdxjson');
  });
});
