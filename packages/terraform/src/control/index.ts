/**
 * @slipway/terraform/control: what terraform.yml's tf-control steps do: route an event or a
 * comment command to plan, apply, release or unlock, the per-directory locks and commit statuses.
 */
export * from './command-gate.ts';
export * from './comment-command.ts';
export * from './commit-status.ts';
export * from './lock-steps.ts';
export * from './refusal-reply.ts';
export * from './route-event.ts';
export * from './run-matrix.ts';
export * from './tf-vars.ts';
