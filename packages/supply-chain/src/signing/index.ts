/**
 * @slipway/supply-chain/signing: Sigstore signing and verification of images, natively (sigstore-js)
 * or through the cosign binary; identity and gate policies, predicates, trusted roots and the inputs
 * the sign and verify actions share.
 */
export * from './certificate-claims.ts';
export * from './cosign-argv.ts';
export * from './cosign-engine.ts';
export * from './cosign-key-file.ts';
export * from './cosign-runtime.ts';
export * from './cosign-version-input.ts';
export * from './gate-policy.ts';
export * from './gate-policy-platforms.ts';
export * from './identity-policy.ts';
export * from './index-subjects.ts';
export * from './native-signer.ts';
export * from './native-verifier.ts';
export * from './predicate-types.ts';
export * from './service-url-input.ts';
export * from './signed-payloads.ts';
export * from './sigstore-endpoints.ts';
export * from './single-line-inputs.ts';
export * from './trusted-root.ts';
