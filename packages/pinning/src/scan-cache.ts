/**
 * Remembers scan results by file content, so a repeated run over an unchanged
 * tree parses nothing: each file is read and hashed, and only files whose
 * SHA-256 changed since the last run are scanned again. The cache is one JSON
 * file per checked root; an unreadable or outdated cache is ignored.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FileScan, TreeScanner } from './check.ts';
import { readCheckedFile } from './read-checked-file.ts';
import type { ScanResult } from './scan.ts';

/** Bump whenever scanFile's output for the same input can change. */
export const SCANNER_VERSION = 2;

interface CacheFile {
  scanner: number;
  files: Record<string, { sha256: string; result: ScanResult }>;
}

function load(path: string): CacheFile['files'] {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<CacheFile>;
    if (parsed.scanner === SCANNER_VERSION && parsed.files && typeof parsed.files === 'object')
      return parsed.files;
  } catch {
    // first run, or a cache we cannot use: scan everything
  }
  return {};
}

export interface ScanCacheStats {
  hits: number;
  misses: number;
}

/** Wraps a scanner with the content cache at `path`; `stats` counts hits and misses of the last run. */
export function cachedScanner(
  inner: TreeScanner,
  path: string,
  stats: ScanCacheStats = { hits: 0, misses: 0 },
): TreeScanner {
  return async (root, files) => {
    const known = load(path);
    const out: (FileScan | undefined)[] = new Array(files.length);
    const missing: { index: number; file: string }[] = [];
    const hashes = new Map<string, string>();
    let hits = 0;
    files.forEach((file, index) => {
      const read = readCheckedFile(root, file);
      if ('unchecked' in read) {
        // never cached: the reason is about the file system, not the content
        out[index] = {
          file,
          bytes: new Uint8Array(),
          result: { sites: [], problems: [], unchecked: read.unchecked },
        };
        return;
      }
      const { bytes } = read;
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      hashes.set(file, sha256);
      const entry = known[file];
      if (entry && entry.sha256 === sha256) {
        out[index] = { file, bytes, result: entry.result };
        hits++;
      } else missing.push({ index, file });
    });
    stats.hits = hits;
    stats.misses = missing.length;
    if (missing.length > 0) {
      const scanned = await inner(
        root,
        missing.map((m) => m.file),
      );
      scanned.forEach((scan, i) => {
        out[(missing[i] as { index: number }).index] = scan;
      });
    }
    const result = out as FileScan[];
    if (missing.length > 0) {
      // entries of files outside this run (other paths given last time) are kept
      const next: CacheFile = { scanner: SCANNER_VERSION, files: known };
      for (const scan of result) {
        const sha256 = hashes.get(scan.file);
        if (sha256 !== undefined) next.files[scan.file] = { sha256, result: scan.result };
      }
      try {
        mkdirSync(dirname(path), { recursive: true });
        const temp = `${path}.${process.pid}.tmp`;
        writeFileSync(temp, JSON.stringify(next));
        renameSync(temp, path);
      } catch {
        // a cache that cannot be written only costs time next run
      }
    }
    return result;
  };
}
