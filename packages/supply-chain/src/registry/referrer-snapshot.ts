/**
 * Finds what a tool pushed as referrers of a digest: take a snapshot of the
 * referrers before running it, list them again afterwards, and keep the new
 * ones. The cosign engine uses this to report where cosign stored its signature
 * and attestation bundles (cosign prints no reference for them).
 */
import type { Descriptor, RegistryClient } from './registry-client.ts';

export interface ReferrerSnapshot {
  /** Referrers of the digest that did not exist when the snapshot was taken. */
  added(): Promise<Descriptor[]>;
}

export async function snapshotReferrers(
  client: RegistryClient,
  digest: string,
  artifactType?: string,
): Promise<ReferrerSnapshot> {
  const before = new Set((await client.referrers(digest, artifactType)).map((d) => d.digest));
  return {
    async added() {
      const now = await client.referrers(digest, artifactType);
      const fresh = now.filter((d) => !before.has(d.digest));
      for (const d of fresh) before.add(d.digest);
      return fresh;
    },
  };
}
