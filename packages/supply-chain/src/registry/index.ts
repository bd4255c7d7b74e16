/**
 * @slipway/supply-chain/registry: OCI image references and the registry client (resolve a tag to a
 * digest, read an image index and its platforms, list referrers), with registry credentials from
 * inputs or the Docker config.
 */
export * from './http-transport.ts';
export * from './image-input.ts';
export * from './image-platforms.ts';
export * from './image-reference.ts';
export * from './open-image.ts';
export * from './platform-targets.ts';
export * from './platforms-input.ts';
export * from './referrer-snapshot.ts';
export * from './registry-client.ts';
export * from './registry-credentials.ts';
export * from './resolve-digest.ts';
