/**
 * @slipway/terraform/plan: runs terraform/tofu plan and reads the changes it reports.
 */
export * from './plan-changes.ts';
export * from './plan-step.ts';
export * from './run-plan.ts';
