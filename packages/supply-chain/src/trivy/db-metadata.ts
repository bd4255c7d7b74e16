/**
 * What trivy records about the vulnerability DB it downloaded
 * (`<cache-dir>/db/metadata.json`: Version, NextUpdate, UpdatedAt,
 * DownloadedAt), reduced to the fields that identify the DB a scan used, for
 * the `db-version` output and the attestations built from it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface DbMetadata {
  /** Schema version of the DB (2 for current trivy). */
  Version: number;
  /** When the DB was built upstream: identifies its contents. */
  UpdatedAt?: string;
  /** When this runner downloaded it (or the run whose cache entry it came from). */
  DownloadedAt?: string;
}

/** The metadata of the DB in `cacheDir`, or undefined when it is missing or not trivy's format. */
export async function readDbMetadata(cacheDir: string): Promise<DbMetadata | undefined> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(join(cacheDir, 'db', 'metadata.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { Version, UpdatedAt, DownloadedAt } = value as Record<string, unknown>;
  if (typeof Version !== 'number') return undefined;
  return {
    Version,
    ...(typeof UpdatedAt === 'string' ? { UpdatedAt } : {}),
    ...(typeof DownloadedAt === 'string' ? { DownloadedAt } : {}),
  };
}
