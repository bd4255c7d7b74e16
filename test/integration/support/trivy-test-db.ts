/**
 * The small Trivy DB the real-trivy tests scan against. test/tools/trivy-test-db (a Go program on
 * trivy-db's and trivy-java-db's own packages, at the versions trivy v0.74.0 requires) writes it
 * from test/fixtures/trivy-real/advisories.yaml. The program is built once per content of its
 * source folder into the real-tools cache (<cache>/trivy-test-db/<source hash>/bin), like the
 * programs scripts/real-tools.js builds: a build goes to a temporary folder renamed into place.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DirectoryCache } from '@slipway/supply-chain/tools';
import { dbCacheKey, utcDay } from '@slipway/supply-chain/trivy';
import { toolsCacheDir } from '../../../scripts/real-tools-paths.js';

const SOURCE_DIR = resolve(import.meta.dirname, '../../tools/trivy-test-db');
export const ADVISORIES_FILE = resolve(import.meta.dirname, '../../fixtures/trivy-real/advisories.yaml');

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(SOURCE_DIR).sort()) {
    if (!/\.go$|^go\.(mod|sum)$/.test(name)) continue;
    hash.update(`${name}\n`).update(readFileSync(join(SOURCE_DIR, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

function findGo(): string {
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    if (spawnSync(candidate, ['version']).status === 0) return candidate;
  }
  throw new Error('Go is needed to build test/tools/trivy-test-db (go on PATH or /usr/local/go/bin/go)');
}

/** Path of the built trivy-test-db program; builds it when its source changed or it is missing. */
export function trivyTestDbProgram(env: NodeJS.ProcessEnv = process.env): string {
  const dir = join(toolsCacheDir(env), 'trivy-test-db', sourceHash());
  const binary = join(dir, 'bin', 'trivy-test-db');
  if (existsSync(binary)) return binary;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'bin'), { recursive: true });
  // The same build settings as scripts/real-tools.js uses for trivy (its go.mod and go.sum apply,
  // no workspace, trivy's GOEXPERIMENT).
  const r = spawnSync(
    findGo(),
    ['build', '-trimpath', '-ldflags', '-s -w', '-o', join(tmp, 'bin', 'trivy-test-db'), '.'],
    {
      cwd: SOURCE_DIR,
      encoding: 'utf8',
      env: {
        ...env,
        CGO_ENABLED: '0',
        GOWORK: 'off',
        GOFLAGS: '-mod=readonly -buildvcs=false',
        GOEXPERIMENT: 'jsonv2',
      },
    },
  );
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`building test/tools/trivy-test-db failed (exit ${r.status}):\n${r.stderr}`);
  }
  if (existsSync(dir)) rmSync(tmp, { recursive: true, force: true });
  else renameSync(tmp, dir);
  return binary;
}

/** Writes db/ and java-db/ for `advisories` into the Trivy cache directory `cacheDir`. */
export function writeTrivyTestDb(cacheDir: string, advisories = ADVISORIES_FILE): void {
  const r = spawnSync(trivyTestDbProgram(), ['-advisories', advisories, '-cache-dir', cacheDir], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`trivy-test-db failed (exit ${r.status}):\n${r.stderr}`);
}

/**
 * Puts the test DB into a simulated runner's cross-run cache (SLIPWAY_CACHE_DIR) under the keys
 * trivy-scan restores on `now`'s UTC day and the next one (a run may cross midnight), or on the
 * given `days`, at the path
 * the action uses (RUNNER_TEMP/slipway-trivy/{db,java-db}); then removes that path, so a scan
 * finds the DB only by restoring it from the cache, as on a runner whose DB was cached earlier.
 */
export async function seedTrivyDbCache(
  cacheRoot: string,
  runnerTemp: string,
  options: { now?: Date; days?: string[]; nextUpdate?: string; databases?: ('db' | 'java-db')[] } = {},
): Promise<void> {
  const trivyCache = join(runnerTemp, 'slipway-trivy');
  writeTrivyTestDb(trivyCache);
  if (options.nextUpdate) {
    // A DB trivy considers due for an update (the program writes NextUpdate far in the future).
    for (const database of ['db', 'java-db']) {
      const file = join(trivyCache, database, 'metadata.json');
      const metadata = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      writeFileSync(file, JSON.stringify({ ...metadata, NextUpdate: options.nextUpdate }));
    }
  }
  const cache = new DirectoryCache(cacheRoot);
  const now = options.now ?? new Date();
  const tomorrow = new Date(now.getTime() + 24 * 3600 * 1000);
  for (const day of options.days ?? [utcDay(now), utcDay(tomorrow)]) {
    for (const database of options.databases ?? (['db', 'java-db'] as const)) {
      await cache.save([join(trivyCache, database)], dbCacheKey(database, day));
    }
  }
  rmSync(trivyCache, { recursive: true, force: true });
}
