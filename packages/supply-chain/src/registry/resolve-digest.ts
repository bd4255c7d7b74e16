/**
 * Resolves an image reference to the digest of the manifest the registry holds
 * for it. A tag is looked up (HEAD, falling back to GET and hashing the bytes);
 * a digest is checked to exist. A reference the registry does not know is a
 * `UserError`: signing a tag that cannot be pinned would sign nothing useful.
 */
import { UserError } from '@slipway/core';
import { formatImageReference, pinnedReference, type ImageReference } from './image-reference.ts';
import type { RegistryClient } from './registry-client.ts';

export interface ResolvedImage {
  reference: ImageReference;
  digest: string;
  /** `registry/repository@digest`. */
  pinned: string;
  mediaType: string;
  /** True when the input carried only a tag and the digest came from the registry. */
  resolvedFromTag: boolean;
}

export async function resolveDigest(
  reference: ImageReference,
  client: RegistryClient,
): Promise<ResolvedImage> {
  const lookup = reference.digest ?? reference.tag ?? 'latest';
  const descriptor = await client.headManifest(lookup);
  const shown = formatImageReference(reference);
  if (!descriptor) {
    throw new UserError(
      `The image ${shown} cannot be resolved: the registry ${reference.registry} has no manifest for '${lookup}'.`,
      { hint: 'Push the image first, or check the repository name and tag.' },
    );
  }
  if (reference.digest && descriptor.digest !== reference.digest) {
    throw new UserError(
      `The registry ${reference.registry} answered ${shown} with the digest ${descriptor.digest}, not the one requested.`,
    );
  }
  return {
    reference,
    digest: descriptor.digest,
    pinned: pinnedReference(reference, descriptor.digest),
    mediaType: descriptor.mediaType,
    resolvedFromTag: reference.digest === undefined,
  };
}
