/**
 * @slipway/terraform/changes: which root modules a pull request plans, read from the GitHub API
 * without a clone (README.md).
 */
export * from './changed-files.ts';
export * from './module-graph.ts';
export * from './plan-matrix.ts';
export * from './pull-request-matrix.ts';
export * from './repo-snapshot.ts';
export * from './settings-file.ts';
