/**
 * The gate-policy attestation of a multi-platform image. build-sign-push signs the index digest
 * and scans each platform image by its own digest; the predicate then carries one verdict per
 * platform image in `result.platforms`:
 *
 *   "platforms": [{ "platform": "linux/arm64/v8", "digest": "sha256:…", "gate": "pass",
 *                   "findings": 2, "counts": { "CRITICAL": 0, … } }, …]
 *
 * When the verified subject is an index, verify reads the index from the registry
 * (index-subjects.ts) and accepts
 * the predicate only when it names every platform image of the index (BuildKit's attestation
 * manifests and other non-images left out, as the scan left them out) by digest, each with a
 * passing verdict: a platform the scan never saw, or one that failed its gate, is refused by name.
 */
import type { PlatformImage } from '../registry/image-platforms.ts';

export interface GatePolicyPlatform {
  platform: string;
  digest: string;
  gate: 'pass' | 'fail';
}

function platformVerdicts(predicate: unknown): GatePolicyPlatform[] | undefined {
  const list = (predicate as { result?: { platforms?: unknown } } | null)?.result?.platforms;
  if (!Array.isArray(list)) return undefined;
  const entries = list as Partial<Record<keyof GatePolicyPlatform, unknown>>[];
  const valid = entries.every(
    (e) =>
      typeof e === 'object' &&
      e !== null &&
      typeof e.platform === 'string' &&
      typeof e.digest === 'string' &&
      (e.gate === 'pass' || e.gate === 'fail'),
  );
  return valid ? (entries as GatePolicyPlatform[]) : undefined;
}

const named = (image: PlatformImage) => `${image.platform} (${image.digest})`;

/**
 * Undefined when the predicate covers every platform image of the index with a passing verdict,
 * else why not. `images` undefined (a single image): nothing to check here.
 */
export function gatePolicyPlatformsMismatch(
  predicate: unknown,
  images: PlatformImage[] | undefined,
): string | undefined {
  if (images === undefined) return undefined;
  const verdicts = platformVerdicts(predicate);
  if (verdicts === undefined)
    return `the image is an index, and the gate-policy predicate has no valid result.platforms (platform, digest, gate for each platform image), so it does not show that ${images.map(named).join(', ')} passed the gate`;
  const missing = images.filter((image) => !verdicts.some((v) => v.digest === image.digest));
  if (missing.length > 0)
    return `the gate-policy predicate has no verdict for ${missing.map(named).join(', ')} of the index: that platform image was not scanned under this policy`;
  const failed = images.filter((image) =>
    verdicts.some((v) => v.digest === image.digest && v.gate !== 'pass'),
  );
  if (failed.length > 0) return `the scan's gate failed for ${failed.map(named).join(', ')} of the index`;
  return undefined;
}
