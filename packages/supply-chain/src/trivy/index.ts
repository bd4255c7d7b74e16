/**
 * @slipway/supply-chain/trivy: runs a Trivy scan (argv, vulnerability DB cache, report parsing,
 * severity gate) and summarises it per platform.
 */
export * from './platform-report.ts';
export * from './run-scan.ts';
export * from './scan-summary.ts';
export * from './severity.ts';
export * from './trivy-args.ts';
export * from './trivy-db.ts';
export * from './trivy-report.ts';
