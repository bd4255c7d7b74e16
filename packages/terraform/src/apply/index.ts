/**
 * @slipway/terraform/apply: seals a reviewed plan (encrypted, with a signed manifest) and applies
 * exactly that plan after merge (README.md).
 */
export * from './applied-marker.ts';
export * from './apply-step.ts';
export * from './plan-cipher.ts';
export * from './plan-manifest.ts';
export * from './run-apply.ts';
export * from './seal-plan.ts';
export * from './seal-step.ts';
export * from './verify-sealed-plan.ts';
