/**
 * On-disk cache of GitHub lookups, keyed by repository and ref, with a TTL.
 * A missing, unreadable or corrupt cache file is treated as empty: the cache
 * only ever saves requests, it never fails a run. It is not trusted either:
 * an entry stamped in the future (beyond clock skew) or older than the TTL is
 * dropped, and answers that decide a finding ("this commit is reachable") are
 * only taken from entries written in the same scope (the same workflow, or
 * the same checkout for the CLI).
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

/** Format of the file (entries without a scope, from older versions, are never in scope). */
export const REF_CACHE_VERSION = 1;
/** How far in the future an entry's timestamp may be (clock skew between runners). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

interface Entry {
  at: number;
  value: unknown;
  /** The scope the entry was written in. */
  scope?: string;
  /** Content addressed by a commit SHA (an action.yml at a commit): kept beyond the TTL. */
  permanent?: true;
}

export interface RefCacheOptions {
  ttlMs: number;
  now?: () => number;
  /** Who is asking: the workflow (`GITHUB_WORKFLOW_REF`) in Actions, the checkout for the CLI. */
  scope?: string;
}

export class RefCache {
  private readonly entries = new Map<string, Entry>();
  private dirty = false;
  private readonly now: () => number;
  readonly scope: string;

  constructor(
    readonly file: string | undefined,
    private readonly options: RefCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.scope = options.scope ?? 'local';
    if (file) this.load(file);
  }

  /** Stamped no later than now (plus skew) and, unless permanent, no earlier than the TTL allows. */
  private fresh(at: unknown, permanent?: unknown): at is number {
    if (typeof at !== 'number' || !Number.isFinite(at)) return false;
    const now = this.now();
    return at <= now + MAX_CLOCK_SKEW_MS && (permanent === true || now - at <= this.options.ttlMs);
  }

  private load(file: string): void {
    let parsed: { version?: unknown; entries?: unknown };
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof parsed;
    } catch {
      return; // no cache yet, or unreadable: start empty
    }
    if (parsed?.version !== REF_CACHE_VERSION) return;
    if (typeof parsed.entries !== 'object' || parsed.entries === null) return;
    for (const [key, entry] of Object.entries(parsed.entries as Record<string, Partial<Entry> | null>)) {
      if (!entry || !this.fresh(entry.at, entry.permanent) || !('value' in entry)) continue;
      const scope = typeof entry.scope === 'string' ? { scope: entry.scope } : {};
      const permanent = entry.permanent === true ? { permanent: true as const } : {};
      this.entries.set(key, { at: entry.at, value: entry.value, ...scope, ...permanent });
    }
  }

  /** A cached answer from any scope (facts about GitHub: what a ref resolves to). */
  get<T>(key: string): T | undefined {
    const entry = this.entries.get(key);
    return entry && this.fresh(entry.at, entry.permanent) ? (entry.value as T) : undefined;
  }

  /** A cached answer written in this cache's scope only (verdicts such as "reachable"). */
  getInScope<T>(key: string): T | undefined {
    const entry = this.entries.get(key);
    return entry && entry.scope === this.scope ? this.get<T>(key) : undefined;
  }

  set(key: string, value: unknown): void {
    this.entries.set(key, { at: this.now(), value, scope: this.scope });
    this.dirty = true;
  }

  /** Stores an answer that cannot change (content named by a commit SHA): no TTL applies. */
  setPermanent(key: string, value: unknown): void {
    this.entries.set(key, { at: this.now(), value, scope: this.scope, permanent: true });
    this.dirty = true;
  }

  /** Writes the cache (atomically) when it changed; expired entries are dropped. */
  save(): void {
    if (!this.file || !this.dirty) return;
    const entries = Object.fromEntries(
      [...this.entries].filter(([, entry]) => this.fresh(entry.at, entry.permanent)),
    );
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify({ version: REF_CACHE_VERSION, entries }));
      renameSync(temp, this.file);
      this.dirty = false;
    } catch {
      // a cache that cannot be written costs requests next time, nothing more
    }
  }
}
