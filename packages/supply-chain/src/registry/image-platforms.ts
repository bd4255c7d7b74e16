/**
 * The platform images of a multi-platform image: an OCI image index or a Docker
 * manifest list names one manifest per platform, and scanners given the index
 * look at one of them only (the runner's, or linux/amd64). This module reads an
 * index's entries, leaves out what is not a platform image (BuildKit's
 * attestation manifests, `unknown/unknown`, artifacts), applies the `platforms`
 * filter and names each platform image for per-platform files.
 */
import { UserError } from '@slipway/core';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** `all`, or the platforms the user listed (each must be in the index). */
export type PlatformFilter = 'all' | Platform[];

export interface IndexEntry {
  mediaType: string;
  digest: string;
  platform?: Platform;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** One image of the index to scan: its digest and platform. */
export interface PlatformImage {
  digest: string;
  /** `os/architecture[/variant]`, or `unknown` for an entry that names no platform. */
  platform: string;
  /** File-name form of the platform, unique within the index: `linux-arm64`, `linux-arm-v7`. */
  slug: string;
}

export interface SkippedEntry {
  digest: string;
  platform: string;
  reason: string;
}

export const INDEX_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];
const IMAGE_MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];
/** BuildKit marks the manifests holding a platform's provenance and SBOM attestations with this. */
const REFERENCE_TYPE = 'vnd.docker.reference.type';

const PLATFORM_FORM = /^([a-z0-9]+)\/([a-z0-9_]+)(?:\/([a-z0-9]+))?$/;

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** `linux/amd64`, `linux/arm/v7`: lower-case os/architecture[/variant]; undefined when malformed. */
export function parsePlatform(text: string): Platform | undefined {
  const match = PLATFORM_FORM.exec(text);
  if (!match) return undefined;
  return { os: match[1]!, architecture: match[2]!, ...(match[3] ? { variant: match[3] } : {}) };
}

/** True when `entry` is the listed platform; a listed platform without a variant matches any variant. */
export function platformMatches(listed: Platform, entry: Platform | undefined): boolean {
  if (!entry) return false;
  return (
    listed.os === entry.os &&
    listed.architecture === entry.architecture &&
    (listed.variant === undefined || listed.variant === entry.variant)
  );
}

/** The entries of an index, or undefined when the manifest is not an index (a single image). */
export function parseIndexEntries(body: Buffer, mediaType: string, source: string): IndexEntry[] | undefined {
  let doc: { mediaType?: unknown; manifests?: unknown };
  try {
    doc = JSON.parse(body.toString('utf8')) as typeof doc;
  } catch {
    throw new UserError(`The registry returned a manifest for ${source} that is not JSON.`);
  }
  const declared = typeof doc.mediaType === 'string' ? doc.mediaType : mediaType.split(';')[0]!.trim();
  if (!INDEX_MEDIA_TYPES.includes(declared) && !Array.isArray(doc.manifests)) return undefined;
  if (!Array.isArray(doc.manifests))
    throw new UserError(`The image index of ${source} has no "manifests" list.`);
  return doc.manifests.map((m: Partial<IndexEntry> | null, i) => {
    if (!m || typeof m.digest !== 'string' || typeof m.mediaType !== 'string')
      throw new UserError(`Entry ${i} of the image index of ${source} has no digest or mediaType.`);
    return m as IndexEntry;
  });
}

/** Why an index entry is not a platform image to scan, or undefined when it is one. */
export function notAPlatformImage(entry: IndexEntry): string | undefined {
  const referenceType = entry.annotations?.[REFERENCE_TYPE];
  if (referenceType !== undefined) return `${referenceType} (${REFERENCE_TYPE})`;
  if (entry.platform?.os === 'unknown' && entry.platform.architecture === 'unknown')
    return 'platform unknown/unknown';
  if (entry.artifactType !== undefined) return `artifact ${entry.artifactType}`;
  if (INDEX_MEDIA_TYPES.includes(entry.mediaType)) return 'a nested index';
  if (!IMAGE_MANIFEST_MEDIA_TYPES.includes(entry.mediaType)) return `media type ${entry.mediaType}`;
  return undefined;
}

/**
 * The platform images of an index that `filter` selects. Nested indexes are refused (they would go
 * unscanned); a listed platform the index does not have, or an index with no platform image at
 * all, is an error: a scan must never pass by scanning nothing.
 */
export function selectPlatformImages(
  entries: IndexEntry[],
  filter: PlatformFilter,
  source: string,
): { images: PlatformImage[]; skipped: SkippedEntry[] } {
  const images: PlatformImage[] = [];
  const skipped: SkippedEntry[] = [];
  const slugs = new Set<string>();
  for (const entry of entries) {
    const platform = entry.platform ? formatPlatform(entry.platform) : 'unknown';
    const reason = notAPlatformImage(entry);
    if (reason === 'a nested index')
      throw new UserError(
        `The image index of ${source} holds another index (${entry.digest}); Slipway scans the images of one index level only.`,
        { hint: 'Push a flat index (docker buildx and skopeo do), or scan each inner index by its digest.' },
      );
    if (reason !== undefined) {
      skipped.push({ digest: entry.digest, platform, reason });
      continue;
    }
    if (filter !== 'all' && !filter.some((p) => platformMatches(p, entry.platform))) {
      skipped.push({ digest: entry.digest, platform, reason: 'not in platforms' });
      continue;
    }
    let slug = platform.replace(/\//g, '-');
    if (slugs.has(slug)) slug = `${slug}-${entry.digest.split(':')[1]!.slice(0, 12)}`;
    slugs.add(slug);
    images.push({ digest: entry.digest, platform, slug });
  }
  if (filter !== 'all') {
    const missing = filter.filter((p) => !images.some((i) => platformMatches(p, parsePlatform(i.platform))));
    if (missing.length > 0)
      throw new UserError(
        `The image index of ${source} has no image for ${missing.map(formatPlatform).join(', ')} (it has: ${platformList(entries)}).`,
        { hint: "Set the input 'platforms' to platforms the image was built for, or `all`." },
      );
  }
  if (images.length === 0)
    throw new UserError(
      `The image index of ${source} holds no platform image to scan (${platformList(entries)}).`,
    );
  return { images, skipped };
}

function platformList(entries: IndexEntry[]): string {
  const names = entries
    .filter((e) => notAPlatformImage(e) === undefined)
    .map((e) => (e.platform ? formatPlatform(e.platform) : 'unknown'));
  return names.length > 0 ? names.join(', ') : 'no platform images';
}

/**
 * `<dir>/<name>.<slug><ext>`: a per-platform file beside `path`, the platform before the
 * extension (`trivy-results.json` -> `trivy-results.linux-arm64.json`; `sbom.spdx.json` ->
 * `sbom.linux-arm64.spdx.json` with `ext` given as `.spdx.json`).
 */
export function platformFilePath(path: string, slug: string, ext?: string): string {
  const slash = path.lastIndexOf('/') + 1;
  const name = path.slice(slash);
  const extension =
    ext !== undefined && name.endsWith(ext)
      ? ext
      : name.lastIndexOf('.') > 0
        ? name.slice(name.lastIndexOf('.'))
        : '';
  return `${path.slice(0, path.length - extension.length)}.${slug}${extension}`;
}
