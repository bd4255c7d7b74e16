/**
 * @slipway/terraform/install: installs OpenTofu or Terraform, verified against the committed
 * tf-tools.lock.json or the release's signature.
 */
export * from './action-install.ts';
export * from './install-tf.ts';
export * from './tf-lock.ts';
export * from './tf-releases.ts';
