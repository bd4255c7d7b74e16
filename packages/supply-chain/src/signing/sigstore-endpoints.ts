/**
 * Sigstore service defaults and names shared by both engines, kept apart from
 * the sigstore-js code so the cosign path does not load it.
 */
import type { BUNDLE_V03_MEDIA_TYPE } from '@sigstore/bundle';

export const DEFAULT_FULCIO_URL = 'https://fulcio.sigstore.dev';
export const DEFAULT_REKOR_URL = 'https://rekor.sigstore.dev';
/**
 * OCI artifactType of Sigstore bundles stored as referrers (cosign v3, GitHub attestations): the
 * v0.3 bundle media type. Its type is @sigstore/bundle's constant, so the compiler holds the string
 * to the library's while the cosign path, which imports this file, still loads no sigstore-js code.
 */
export const SIGSTORE_BUNDLE_MEDIA_TYPE: typeof BUNDLE_V03_MEDIA_TYPE =
  'application/vnd.dev.sigstore.bundle.v0.3+json';

export interface SigstoreEndpoints {
  fulcioUrl: string;
  rekorUrl: string;
  /** Upload to Rekor (default true). Without it a keyless signature cannot be verified later. */
  tlogUpload: boolean;
  timeoutMs: number;
}
