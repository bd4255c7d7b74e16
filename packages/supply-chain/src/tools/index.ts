/**
 * @slipway/supply-chain/tools: installs trivy, syft and cosign from their releases, verified against
 * the committed lock file or the release's signature, with the runner's tool cache and the cross-run
 * caches; runs programs through an argv array.
 */
export * from './action-install.ts';
export * from './cache-modes.ts';
export * from './checksums.ts';
export * from './install.ts';
export * from './lock-file.ts';
export * from './lock-refresh.ts';
export * from './rekor-client.ts';
export * from './release-download.ts';
export * from './release-signature.ts';
export * from './run-program.ts';
export * from './signed-checksums.ts';
export * from './tool-assets.ts';
export * from './tool-caches.ts';
export * from './verified-record.ts';
