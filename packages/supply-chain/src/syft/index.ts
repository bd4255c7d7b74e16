/**
 * @slipway/supply-chain/syft: generates SBOMs with syft (argv, documents, artifact upload).
 */
export * from './generate-sbom.ts';
export * from './sbom-artifact.ts';
export * from './sbom-documents.ts';
export * from './syft-args.ts';
