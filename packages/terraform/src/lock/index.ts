/**
 * @slipway/terraform/lock: locks per directory and workspace held by a pull request from plan to
 * merge, without DynamoDB (README.md).
 */
export * from './git-lock.ts';
export * from './lock-list.ts';
export * from './lock-name.ts';
export * from './lock-record.ts';
