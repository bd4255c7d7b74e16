/** @slipway/terraform/inputs: the root-module inputs tf-plan and tf-apply share (same names, same checks). */
export * from './root-module-inputs.ts';
