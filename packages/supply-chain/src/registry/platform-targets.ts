/**
 * What trivy-scan and sbom run their scanner on for an image reference: the
 * registry is asked (by digest) what the reference is. A single image is scanned
 * as given, exactly as before; an image index is scanned once per platform image,
 * each as `registry/repository@<platform digest>`, so no platform of a signed
 * index goes unscanned.
 *
 * With `platforms: all`, a registry that cannot be asked (a local image only in
 * the Docker daemon, no network, an unknown reference) leaves the reference as
 * given, with a notice: the scanner then picks one platform itself. With a
 * platform list nothing is left to chance: the lookup must succeed and every
 * listed platform must be there (a single image's config must name one of them).
 */
import { UserError, errorMessage } from '@slipway/core';
import {
  ImageReferenceError,
  parseImageReference,
  pinnedReference,
  type ImageReference,
} from './image-reference.ts';
import {
  formatPlatform,
  parseIndexEntries,
  platformMatches,
  selectPlatformImages,
  type PlatformFilter,
  type PlatformImage,
  type SkippedEntry,
} from './image-platforms.ts';
import type { RegistryClient } from './registry-client.ts';

export interface PlatformTarget extends PlatformImage {
  /** `registry/repository@<platform digest>`: what the scanner is given. */
  ref: string;
}

export interface ImageIndexTargets {
  /** The index's own digest and pinned reference. */
  digest: string;
  pinned: string;
  targets: PlatformTarget[];
  skipped: SkippedEntry[];
}

/** Opens the image's repository and resolves the reference to its digest (open-image.ts in the action). */
export type ImageOpener = (
  reference: ImageReference,
) => Promise<{ client: RegistryClient; resolved: { digest: string } }>;

export interface PlatformLookupLog {
  info(line: string): void;
  /** Shown as an annotation: the scan covers one platform only. */
  notice(line: string): void;
}

/**
 * The per-platform targets of `text` when it is an index; undefined when it is scanned as given.
 * `what` names the input in errors (`target`, `image`).
 */
export async function imageIndexTargets(
  text: string,
  filter: PlatformFilter,
  o: { open: ImageOpener; log: PlatformLookupLog; input: string },
): Promise<ImageIndexTargets | undefined> {
  let reference: ImageReference;
  try {
    reference = parseImageReference(text);
  } catch (error) {
    if (!(error instanceof ImageReferenceError) || filter !== 'all') throw error;
    o.log.notice(
      `${text} is not a registry image reference Slipway can look up (${error.problems.join('; ')}); scanning it as given, one platform only.`,
    );
    return undefined;
  }
  let client: RegistryClient;
  let manifest: Awaited<ReturnType<RegistryClient['getManifest']>>;
  try {
    const opened = await o.open(reference);
    client = opened.client;
    manifest = await client.getManifest(opened.resolved.digest);
    if (!manifest) throw new UserError(`the registry has no manifest for ${opened.resolved.digest}`);
  } catch (error) {
    if (filter !== 'all')
      throw new UserError(
        `Cannot list the platforms of ${text} (input '${o.input}'), which the input 'platforms' requires: ${errorMessage(error)}`,
        {
          hint: 'Push the image first and log in to its registry (docker/login-action), or set platforms to `all`.',
          cause: error,
        },
      );
    o.log.notice(
      `Could not ask the registry whether ${text} is a multi-platform image (${errorMessage(error)}); scanning it as given, which covers one platform only.`,
    );
    return undefined;
  }
  const pinned = pinnedReference(reference, manifest.descriptor.digest);
  const entries = parseIndexEntries(manifest.body, manifest.descriptor.mediaType, pinned);
  if (entries === undefined) {
    if (filter !== 'all') await checkSingleImagePlatform(client, manifest.body, filter, pinned);
    return undefined;
  }
  const { images, skipped } = selectPlatformImages(entries, filter, pinned);
  for (const s of skipped) o.log.info(`Not scanned: ${s.platform} ${s.digest} of ${pinned} (${s.reason}).`);
  return {
    digest: manifest.descriptor.digest,
    pinned,
    targets: images.map((image) => ({ ...image, ref: pinnedReference(reference, image.digest) })),
    skipped,
  };
}

/** A single image and a platform list: its config's platform must be listed. */
async function checkSingleImagePlatform(
  client: RegistryClient,
  body: Buffer,
  filter: Exclude<PlatformFilter, 'all'>,
  pinned: string,
): Promise<void> {
  const configDigest = (JSON.parse(body.toString('utf8')) as { config?: { digest?: unknown } }).config
    ?.digest;
  if (typeof configDigest !== 'string')
    throw new UserError(`The manifest of ${pinned} names no config, so its platform is unknown.`);
  const config = JSON.parse((await client.getBlob(configDigest)).toString('utf8')) as {
    os?: unknown;
    architecture?: unknown;
    variant?: unknown;
  };
  const platform =
    typeof config.os === 'string' && typeof config.architecture === 'string'
      ? {
          os: config.os,
          architecture: config.architecture,
          ...(typeof config.variant === 'string' ? { variant: config.variant } : {}),
        }
      : undefined;
  if (!filter.some((p) => platformMatches(p, platform)))
    throw new UserError(
      `${pinned} is a single image for ${platform ? formatPlatform(platform) : 'an unknown platform'}, not one of the listed platforms ${filter.map(formatPlatform).join(', ')}.`,
      { hint: "Set the input 'platforms' to the platform the image was built for, or `all`." },
    );
}
