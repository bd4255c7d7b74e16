/**
 * @slipway/terraform/drift: one issue per drifted directory from the scheduled plan's results
 * (README.md).
 */
export * from './drift-issues.ts';
export * from './drift-report.ts';
