/**
 * The entries of the cache double and the service's lookup rules: an entry is
 * (scope, key, version); it is reserved by CreateCacheEntry, receives its
 * archive through the blob endpoints, and only becomes visible to lookups once
 * FinalizeCacheEntryUpload succeeds. Lookups walk the readable scopes in order
 * (the run's ref first, then e.g. the default branch) and in each scope try the
 * exact key, then the key as a prefix, then every restore key as a prefix,
 * always requiring the same version and preferring the newest entry.
 */

export interface CacheEntry {
  id: number;
  scope: string;
  key: string;
  version: string;
  /** Name of the blob holding the archive (`<container>/<blob>` path on the double). */
  blob: string;
  createdAt: number;
  /** Size the client reported when finalizing; undefined while the upload is in progress. */
  sizeBytes?: number;
  finalized: boolean;
}

export type ReserveResult = { entry: CacheEntry } | { conflict: CacheEntry };

export class CacheStore {
  private readonly entries: CacheEntry[] = [];
  private nextId = 1;
  private clock = 0;

  reserve(scope: string, key: string, version: string): ReserveResult {
    const existing = this.entries.find((e) => e.scope === scope && e.key === key && e.version === version);
    if (existing) return { conflict: existing };
    const id = this.nextId++;
    // A logical clock keeps "newest" exact even when two entries land in the same millisecond.
    const entry: CacheEntry = {
      id,
      scope,
      key,
      version,
      blob: `entry-${id}.tzst`,
      createdAt: ++this.clock,
      finalized: false,
    };
    this.entries.push(entry);
    return { entry };
  }

  /** The reserved, not yet finalized entry for (scope, key, version). */
  pending(scope: string, key: string, version: string): CacheEntry | undefined {
    return this.entries.find(
      (e) => e.scope === scope && e.key === key && e.version === version && !e.finalized,
    );
  }

  byBlob(blob: string): CacheEntry | undefined {
    return this.entries.find((e) => e.blob === blob);
  }

  /** The entry a restore gets for `key` + `restoreKeys`, or undefined on a miss. */
  lookup(scopes: string[], key: string, restoreKeys: string[], version: string): CacheEntry | undefined {
    for (const scope of scopes) {
      const visible = this.entries.filter((e) => e.finalized && e.scope === scope && e.version === version);
      const exact = visible.find((e) => e.key === key);
      if (exact) return exact;
      for (const prefix of [key, ...restoreKeys]) {
        const newest = visible
          .filter((e) => e.key.startsWith(prefix))
          .sort((a, b) => b.createdAt - a.createdAt)[0];
        if (newest) return newest;
      }
    }
    return undefined;
  }

  /** Every entry, finalized or not, in creation order. */
  all(): readonly CacheEntry[] {
    return this.entries;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
