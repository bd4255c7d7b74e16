/**
 * What verify checks when the image it is given is an image index (a multi-platform image).
 * secure-image and build-sign-push sign the index digest, attest the gate policy to it, and
 * attest each platform image's SBOM to that platform image's own digest. So: a signature or a
 * gate-policy attestation is verified on the index itself (the gate policy must then cover every
 * platform image, gate-policy-platforms.ts), while an SBOM attestation (spdxjson, cyclonedx) is
 * verified on each platform image, and every one of them must have one. The platform images are
 * those the scan and the SBOM covered: BuildKit's attestation manifests and other non-images are
 * left out (registry/image-platforms.ts).
 */
import { UserError } from '@slipway/core';
import { parseIndexEntries, selectPlatformImages, type PlatformImage } from '../registry/image-platforms.ts';
import { pinnedReference } from '../registry/image-reference.ts';
import type { RegistryClient } from '../registry/registry-client.ts';
import type { ResolvedImage } from '../registry/resolve-digest.ts';
import type { PredicateKind } from './predicate-types.ts';

/** Predicate types attested per platform image of an index rather than to the index. */
const PER_PLATFORM_KINDS: readonly PredicateKind[] = ['spdxjson', 'cyclonedx'];

export function attestedPerPlatform(kind: PredicateKind | undefined): boolean {
  return kind !== undefined && PER_PLATFORM_KINDS.includes(kind);
}

/** The platform images of `digest` when it is an image index; undefined for a single image. */
export async function indexPlatformImages(
  client: Pick<RegistryClient, 'getManifest'>,
  digest: string,
  pinned: string,
): Promise<PlatformImage[] | undefined> {
  const manifest = await client.getManifest(digest);
  if (!manifest) throw new UserError(`The registry has no manifest for ${pinned}.`);
  const entries = parseIndexEntries(manifest.body, manifest.descriptor.mediaType, pinned);
  return entries === undefined ? undefined : selectPlatformImages(entries, 'all', pinned).images;
}

/** A platform image of the index `index`, as a subject to verify by its own digest. */
export function platformSubject(index: ResolvedImage, image: PlatformImage): ResolvedImage {
  return {
    reference: {
      registry: index.reference.registry,
      repository: index.reference.repository,
      digest: image.digest,
    },
    digest: image.digest,
    pinned: pinnedReference(index.reference, image.digest),
    mediaType: '',
    resolvedFromTag: false,
  };
}
