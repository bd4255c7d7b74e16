import { describe, expect, it } from 'vitest';
import type { ProgramResult } from '../tools/run-program.ts';
import type { PersistentCache } from '../tools/tool-caches.ts';
import { prepareTrivyDb, type PrepareDbOptions } from './trivy-db.ts';

/** A cache holding one entry under `storedKey` (or nothing), recording saves. */
function cacheWith(storedKey: string | undefined) {
  const saved: string[] = [];
  const cache: PersistentCache = {
    restore: async (_paths, key, restoreKeys = []) => {
      if (storedKey === undefined) return undefined;
      if (storedKey === key || restoreKeys.some((prefix) => storedKey.startsWith(prefix))) return storedKey;
      return undefined;
    },
    save: async (_paths, key) => {
      saved.push(key);
    },
  };
  return { cache, saved };
}

function options(cache: PersistentCache, answers: Record<string, ProgramResult>) {
  const warnings: string[] = [];
  const calls: string[] = [];
  const o: PrepareDbOptions = {
    database: 'db',
    trivy: '/bin/trivy',
    run: async (_program, args) => {
      const repository = args[args.indexOf('--db-repository') + 1]!;
      calls.push(repository);
      return answers[repository] ?? { exitCode: 0, stdout: '', stderr: '' };
    },
    cacheDir: '/t/cache',
    configFile: '/t/empty-trivy.yaml',
    repositories: ['ghcr.io/aquasecurity/trivy-db', 'mirror.gcr.io/aquasec/trivy-db'],
    cache,
    day: '2026-12-06',
    log: { info: () => {}, warning: (line) => warnings.push(line) },
  };
  return { o, warnings, calls };
}

const refused: ProgramResult = {
  exitCode: 1,
  stdout: '',
  stderr: 'FATAL OCI repository error: dial tcp: connect: connection refused',
};
const limited: ProgramResult = { exitCode: 1, stdout: '', stderr: 'TOOMANYREQUESTS: retry later' };

describe('prepareTrivyDb', () => {
  it("uses today's cache entry without running trivy", async () => {
    const { cache } = cacheWith('slipway-trivy-db-2026-12-06');
    const { o, calls } = options(cache, {});
    expect(await prepareTrivyDb(o)).toEqual({ source: 'cache', cacheKey: 'slipway-trivy-db-2026-12-06' });
    expect(calls).toEqual([]);
  });

  it('refreshes an older entry and saves the download under the key of today', async () => {
    const { cache, saved } = cacheWith('slipway-trivy-db-2026-12-05');
    const { o } = options(cache, {});
    expect(await prepareTrivyDb(o)).toEqual({
      source: 'download',
      repository: 'ghcr.io/aquasecurity/trivy-db',
      cacheKey: 'slipway-trivy-db-2026-12-06',
    });
    expect(saved).toEqual(['slipway-trivy-db-2026-12-06']);
  });

  it('keeps the restored older DB, with a warning, when the refresh cannot reach the registry', async () => {
    const { cache, saved } = cacheWith('slipway-trivy-db-2026-12-05');
    const { o, warnings, calls } = options(cache, { 'ghcr.io/aquasecurity/trivy-db': refused });
    expect(await prepareTrivyDb(o)).toEqual({ source: 'cache', cacheKey: 'slipway-trivy-db-2026-12-05' });
    expect(calls).toEqual(['ghcr.io/aquasecurity/trivy-db']);
    expect(saved).toEqual([]);
    expect(warnings).toEqual([
      'Could not refresh the Trivy db (ghcr.io/aquasecurity/trivy-db failed with exit 1); scanning with the one restored from cache entry slipway-trivy-db-2026-12-05.',
    ]);
  });

  it('keeps the restored older DB when every repository rate-limits', async () => {
    const { cache } = cacheWith('slipway-trivy-db-2026-12-05');
    const { o, warnings } = options(cache, {
      'ghcr.io/aquasecurity/trivy-db': limited,
      'mirror.gcr.io/aquasec/trivy-db': limited,
    });
    expect(await prepareTrivyDb(o)).toEqual({ source: 'cache', cacheKey: 'slipway-trivy-db-2026-12-05' });
    expect(warnings.at(-1)).toBe(
      'Could not refresh the Trivy db (every repository rate-limited the download); scanning with the one restored from cache entry slipway-trivy-db-2026-12-05.',
    );
  });

  it('without any cached DB, a failed download is an error naming the repository', async () => {
    const { cache } = cacheWith(undefined);
    const { o } = options(cache, { 'ghcr.io/aquasecurity/trivy-db': refused });
    await expect(prepareTrivyDb(o)).rejects.toThrow(
      'trivy could not download the db from ghcr.io/aquasecurity/trivy-db (exit 1):\nFATAL OCI repository error: dial tcp: connect: connection refused',
    );
  });
});
