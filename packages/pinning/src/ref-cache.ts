/**
 * On-disk cache of GitHub lookups, keyed by repository and ref, with a TTL.
 * A missing, unreadable or corrupt cache file is treated as empty: the cache
 * only ever saves requests, it never fails a run.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The cache file name for a GitHub API base URL. Keys name only `owner/repo@ref`, and
 * `actions/checkout@v4` on a GitHub Enterprise Server is not the one on github.com: each server
 * gets its own file (github.com keeps the plain name it always had).
 */
export function refCacheFileName(apiUrl: string): string {
  const base = apiUrl.trim().replace(/\/+$/, '').toLowerCase();
  if (base === 'https://api.github.com') return 'pin-check-refs.json';
  return `pin-check-refs-${createHash('sha256').update(base).digest('hex').slice(0, 16)}.json`;
}

interface Entry {
  at: number;
  value: unknown;
}

export interface RefCacheOptions {
  ttlMs: number;
  now?: () => number;
}

export class RefCache {
  private readonly entries = new Map<string, Entry>();
  private dirty = false;
  private readonly now: () => number;

  constructor(
    readonly file: string | undefined,
    private readonly options: RefCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
    if (file) this.load(file);
  }

  private load(file: string): void {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
        version?: number;
        entries?: Record<string, Entry>;
      };
      if (parsed.version !== 1 || typeof parsed.entries !== 'object' || parsed.entries === null) return;
      for (const [key, entry] of Object.entries(parsed.entries)) {
        if (typeof entry?.at === 'number') this.entries.set(key, entry);
      }
    } catch {
      // no cache yet, or unreadable: start empty
    }
  }

  get<T>(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at > this.options.ttlMs) return undefined;
    return entry.value as T;
  }

  set(key: string, value: unknown): void {
    this.entries.set(key, { at: this.now(), value });
    this.dirty = true;
  }

  /** Writes the cache (atomically) when it changed; expired entries are dropped. */
  save(): void {
    if (!this.file || !this.dirty) return;
    const now = this.now();
    const entries = Object.fromEntries(
      [...this.entries].filter(([, entry]) => now - entry.at <= this.options.ttlMs),
    );
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify({ version: 1, entries }));
      renameSync(temp, this.file);
      this.dirty = false;
    } catch {
      // a cache that cannot be written costs requests next time, nothing more
    }
  }
}
