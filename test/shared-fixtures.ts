/**
 * Real documents produced by the real tools (Trivy, syft, cosign) and published
 * checksums live outside the repository, in the workplace's shared/fixtures
 * folder (see its SOURCES.md); they are read from there, never copied in.
 * Looked up in order: $SLIPWAY_SHARED_FIXTURES, <repo>/../shared/fixtures,
 * /work/shared/fixtures. A missing folder is an error, never a skipped test.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const candidates = [
  process.env.SLIPWAY_SHARED_FIXTURES,
  resolve(import.meta.dirname, '../../shared/fixtures'),
  '/work/shared/fixtures',
].filter((p): p is string => typeof p === 'string' && p !== '');

export const SHARED_FIXTURES_DIR: string = (() => {
  const found = candidates.find((dir) => existsSync(join(dir, 'SOURCES.md')));
  if (!found) {
    throw new Error(
      `shared fixtures not found (looked in ${candidates.join(', ')}); set SLIPWAY_SHARED_FIXTURES to the folder holding SOURCES.md`,
    );
  }
  return found;
})();

/** Absolute path of a shared fixture, e.g. `sharedFixture('trivy/alpine-310.json')`. */
export function sharedFixture(path: string): string {
  return join(SHARED_FIXTURES_DIR, path);
}
