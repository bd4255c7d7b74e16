/**
 * Trivy's vulnerability DB and Java DB: restored from the cross-run cache under
 * a daily key, otherwise downloaded from the configured repositories in order,
 * moving to the next one only on a registry rate limit (TOOMANYREQUESTS), and
 * saved right after download, so a scan that then fails the job still leaves a
 * warm cache (trivy-action loses it in that case). When a DB from an earlier day
 * was restored and no repository can refresh it (a runner without access to the
 * registries, an outage), the scan goes on with the restored DB and a warning
 * that names its cache key, rather than failing on a DB it already has.
 */
import { join } from 'node:path';
import { UserError } from '@slipway/core';
import type { PersistentCache } from '../tools/tool-caches.ts';
import { tail, type ProgramRunner } from '../tools/run-program.ts';
import { downloadDbArgv, type TrivyDatabase } from './trivy-args.ts';

export const DEFAULT_DB_REPOSITORIES = [
  'ghcr.io/aquasecurity/trivy-db',
  'public.ecr.aws/aquasecurity/trivy-db',
  'mirror.gcr.io/aquasec/trivy-db',
];
export const DEFAULT_JAVA_DB_REPOSITORIES = [
  'ghcr.io/aquasecurity/trivy-java-db',
  'public.ecr.aws/aquasecurity/trivy-java-db',
  'mirror.gcr.io/aquasec/trivy-java-db',
];

export interface DbLog {
  info(line: string): void;
  warning(line: string): void;
}

export interface PrepareDbOptions {
  database: TrivyDatabase;
  trivy: string;
  run: ProgramRunner;
  cacheDir: string;
  /** `--config` for trivy (see TrivyScanSettings.configFile). */
  configFile: string;
  repositories: string[];
  cache: PersistentCache;
  /** UTC day, YYYY-MM-DD: part of the cache key. */
  day: string;
  log: DbLog;
}

export interface PreparedDb {
  source: 'cache' | 'download';
  /** The repository it came from when downloaded. */
  repository?: string;
  cacheKey: string;
}

/** The trivy-scan input that lists the repositories of `database`. */
export function repositoryInput(database: TrivyDatabase): string {
  return database === 'db' ? 'db-repository' : 'java-db-repository';
}

export function dbCacheKey(database: TrivyDatabase, day: string): string {
  return `slipway-trivy-${database}-${day}`;
}

export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function isRateLimited(output: string): boolean {
  return output.includes('TOOMANYREQUESTS');
}

export async function prepareTrivyDb(o: PrepareDbOptions): Promise<PreparedDb> {
  const key = dbCacheKey(o.database, o.day);
  const paths = [join(o.cacheDir, o.database)];
  const restored = await o.cache.restore(paths, key, [`slipway-trivy-${o.database}-`]);
  if (restored === key) {
    o.log.info(`Trivy ${o.database} restored from the cache (key ${key}).`);
    return { source: 'cache', cacheKey: key };
  }
  if (restored)
    o.log.info(`Trivy ${o.database} restored from an older cache entry (${restored}); refreshing it.`);

  const keepRestored = (reason: string): PreparedDb => {
    o.log.warning(
      `Could not refresh the Trivy ${o.database} (${reason}); scanning with the one restored from cache entry ${restored}.`,
    );
    return { source: 'cache', cacheKey: restored! };
  };
  const limited: string[] = [];
  for (const repository of o.repositories) {
    const result = await o.run(o.trivy, downloadDbArgv(o.database, repository, o.cacheDir, o.configFile));
    if (result.exitCode === 0) {
      o.log.info(`Trivy ${o.database} downloaded from ${repository}.`);
      await o.cache.save(paths, key);
      return { source: 'download', repository, cacheKey: key };
    }
    const output = `${result.stdout}\n${result.stderr}`;
    if (!isRateLimited(output)) {
      if (restored) return keepRestored(`${repository} failed with exit ${result.exitCode}`);
      throw new UserError(
        `trivy could not download the ${o.database} from ${repository} (exit ${result.exitCode}):\n${tail(result.stderr)}`,
        {
          hint: `Check the ${repositoryInput(o.database)} input (${repository} must be an OCI repository holding the trivy ${o.database}) and that the runner reaches it; a mirror listed first in ${repositoryInput(o.database)} is tried first.`,
        },
      );
    }
    limited.push(repository);
    o.log.warning(
      `${repository} is rate-limiting (TOOMANYREQUESTS); trying the next ${o.database} repository.`,
    );
  }
  if (restored) return keepRestored('every repository rate-limited the download');
  throw new UserError(`Every ${o.database} repository rate-limited the download: ${limited.join(', ')}.`, {
    hint: `Add a mirror to the ${repositoryInput(o.database)} input, or retry later.`,
  });
}
