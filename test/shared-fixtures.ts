/**
 * Real documents produced by the real tools (Trivy, syft, cosign) and published
 * checksums live outside the repository, in the workplace's shared/fixtures
 * folder (see its SOURCES.md); they are read from there, never copied in.
 * Looked up in order: $SLIPWAY_SHARED_FIXTURES, <repo>/../shared/fixtures,
 * /work/shared/fixtures. A missing folder is an error, never a skipped test.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The workplace's shared/<name> folder: the first of $<envVar>, <repo>/../shared/<name> and
 * /work/shared/<name> that holds `marker`; an error naming them all when none does.
 */
export function sharedFolder(name: string, envVar: string, marker: string): string {
  const candidates = [
    process.env[envVar],
    resolve(import.meta.dirname, '../../shared', name),
    join('/work/shared', name),
  ].filter((p): p is string => typeof p === 'string' && p !== '');
  const found = candidates.find((dir) => existsSync(join(dir, marker)));
  if (!found) {
    throw new Error(
      `shared ${name} not found (looked in ${candidates.join(', ')}); set ${envVar} to the folder holding ${marker}`,
    );
  }
  return found;
}

export const SHARED_FIXTURES_DIR: string = sharedFolder('fixtures', 'SLIPWAY_SHARED_FIXTURES', 'SOURCES.md');

/** Absolute path of a shared fixture, e.g. `sharedFixture('trivy/alpine-310.json')`. */
export function sharedFixture(path: string): string {
  return join(SHARED_FIXTURES_DIR, path);
}
