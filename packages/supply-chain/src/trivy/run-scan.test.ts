/**
 * runTrivyScan with the real trivy (scripts/real-tools.js builds it), offline: the small DB that
 * test/tools/trivy-test-db writes from test/fixtures/trivy-real/advisories.yaml, restored from a
 * cross-run cache or downloaded from the loopback registry; the target is the Alpine root
 * filesystem with npm packages of test/integration/support/trivy-target.ts. What trivy ran is read
 * from a recording around the real program runner.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '@slipway/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realTool } from '../../../../test/real-tools.ts';
import { startRegistry, type RegistryServer } from '../../../../test/doubles/oci-registry/registry-server.ts';
import { publishTrivyTestDb } from '../../../../test/integration/support/trivy-db-registry.ts';
import { seedTrivyDbCache, trivyTestDbProgram } from '../../../../test/integration/support/trivy-test-db.ts';
import { writeTrivyTarget } from '../../../../test/integration/support/trivy-target.ts';
import { pushMultiPlatformImage } from '../../../../test/integration/support/multi-platform-image.ts';
import { imageIndexTargets } from '../registry/platform-targets.ts';
import { openImage } from '../registry/open-image.ts';
import { platformFilePath } from '../registry/image-platforms.ts';
import { execProgram, type ProgramRunner } from '../tools/run-program.ts';
import { DirectoryCache } from '../tools/tool-caches.ts';
import { runTrivyScan, type TrivyScanRun } from './run-scan.ts';
import { dbCacheKey, utcDay } from './trivy-db.ts';

const TIMEOUT = 180_000;
const root = mkdtempSync(join(tmpdir(), 'run-trivy-scan-'));
const target = join(root, 'rootfs');
const seededCache = join(root, 'seeded-cache');
// the cache entry is for this path (as on a runner: RUNNER_TEMP/slipway-trivy), so every scan uses it
const runnerTemp = join(root, 'runner-temp');
const trivyCache = join(runnerTemp, 'slipway-trivy');
const now = new Date();
let registry: RegistryServer;
let trivy: string;

beforeAll(async () => {
  trivy = realTool('trivy').path;
  trivyTestDbProgram(); // builds it on a fresh machine (minutes), cached afterwards
  writeTrivyTarget(target);
  await seedTrivyDbCache(seededCache, runnerTemp, { now, databases: ['db', 'java-db'] });
  registry = await startRegistry();
}, 900_000);
afterAll(async () => {
  await registry?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** One scan in a fresh folder, recording each trivy argv; the DB comes from `dbCache`. */
async function scan(overrides: Partial<TrivyScanRun> = {}) {
  const dir = mkdtempSync(join(root, 'scan-'));
  rmSync(trivyCache, { recursive: true, force: true }); // the DB comes from dbCache, or a download
  const calls: string[][] = [];
  const run: ProgramRunner = (program, args, options) => {
    calls.push(args);
    return execProgram(program, args, options);
  };
  const lines: string[] = [];
  const outcome = await runTrivyScan({
    trivy,
    run,
    scanType: 'fs',
    target,
    severity: 'UNKNOWN',
    ignoreUnfixed: false,
    skipDirs: [],
    cacheDir: trivyCache,
    jsonFile: join(dir, 'results.json'),
    sarifFile: join(dir, 'results.sarif'),
    failOn: 'CRITICAL',
    dbRepositories: ['127.0.0.1:1/unused/trivy-db'],
    javaDbRepositories: ['127.0.0.1:1/unused/trivy-java-db'],
    dbCache: new DirectoryCache(seededCache),
    now,
    log: { info: (line) => lines.push(line), warning: (line) => lines.push(`warning: ${line}`) },
    ...overrides,
  });
  return { outcome, calls, lines, dir };
}

const ids = (findings: { id: string }[]) => findings.map((f) => f.id).sort();

describe('runTrivyScan with the real trivy', () => {
  it(
    'fs scan on the cached DB: the seeded findings, the gate, SARIF converted from the same JSON',
    async () => {
      const { outcome, calls, lines, dir } = await scan();
      expect(ids(outcome.findings)).toEqual([
        'CVE-2099-1001',
        'CVE-2099-1003',
        'CVE-2099-1004',
        'CVE-2099-2001',
        'CVE-2099-2002',
        'CVE-2099-2003',
        'aws-access-key-id',
      ]);
      expect(outcome.findings.find((f) => f.id === 'CVE-2099-1001')).toMatchObject({
        kind: 'vulnerability',
        severity: 'HIGH',
        packageName: 'busybox',
        installedVersion: '1.36.1-r28',
        fixedVersion: '1.36.1-r29',
      });
      expect(ids(outcome.gated)).toEqual(['CVE-2099-1003', 'CVE-2099-2002', 'aws-access-key-id']);
      expect(outcome.sarif.tool).toBe('Trivy');
      expect(outcome.sarif.results).toBe(7);
      expect([...outcome.sarif.ruleIds].sort()).toEqual(ids(outcome.findings));
      expect(outcome.databases).toEqual([{ source: 'cache', cacheKey: dbCacheKey('db', utcDay(now)) }]);
      expect(outcome.dbMetadata?.Version).toBe(2);
      expect(lines).toContain(`Trivy db restored from the cache (key ${dbCacheKey('db', utcDay(now))}).`);
      // one scan, then convert; no download, no Java DB for fs; the target after --
      expect(calls.map((argv) => argv[0])).toEqual(['fs', 'convert']);
      expect(calls[0]).toContain('--skip-db-update');
      expect(calls[0]!.slice(-2)).toEqual(['--', target]);
      expect(calls[1]!.slice(-2)).toEqual(['--', join(dir, 'results.json')]);
      expect(calls[0]![calls[0]!.indexOf('--config') + 1]).toBe(join(trivyCache, 'slipway-empty-trivy.yaml'));
    },
    TIMEOUT,
  );

  it(
    'severity HIGH, ignore-unfixed and an ignore file leave only what they let through; fail-on none gates nothing',
    async () => {
      const ignoreFile = join(root, '.trivyignore');
      writeFileSync(ignoreFile, 'CVE-2099-2002\n');
      const { outcome, calls } = await scan({
        severity: 'HIGH',
        ignoreUnfixed: true,
        ignoreFile,
        failOn: 'none',
      });
      expect(ids(outcome.findings)).toEqual(['CVE-2099-1001', 'CVE-2099-2001', 'aws-access-key-id']);
      expect(outcome.gated).toEqual([]);
      expect(calls[0]).toEqual(expect.arrayContaining(['--ignore-unfixed', '--ignorefile', ignoreFile]));
    },
    TIMEOUT,
  );

  it(
    'a target trivy cannot scan is a UserError naming it and the target input',
    async () => {
      const missing = join(root, 'no-such-folder');
      const error = await scan({ target: missing }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toMatch(
        new RegExp(`^trivy fs scan of ${missing} failed \\(exit 1\\):`),
      );
      expect((error as UserError).hint).toContain('`target` input');
    },
    TIMEOUT,
  );

  it(
    'with no cached DB, downloads it from the registry, caches it, and the next run restores it',
    async () => {
      const repositories = await publishTrivyTestDb(registry.url);
      const cacheRoot = join(root, 'empty-cache');
      const first = await scan({ dbRepositories: [repositories.db], dbCache: new DirectoryCache(cacheRoot) });
      const key = dbCacheKey('db', utcDay(now));
      expect(first.outcome.databases).toEqual([
        { source: 'download', repository: repositories.db, cacheKey: key },
      ]);
      expect(first.calls[0]).toEqual([
        'image',
        '--download-db-only',
        '--db-repository',
        repositories.db,
        '--cache-dir',
        trivyCache,
        '--config',
        join(trivyCache, 'slipway-empty-trivy.yaml'),
        '--no-progress',
      ]);
      expect(ids(first.outcome.findings)).toHaveLength(7);
      const second = await scan({
        dbRepositories: [repositories.db],
        dbCache: new DirectoryCache(cacheRoot),
      });
      expect(second.outcome.databases).toEqual([{ source: 'cache', cacheKey: key }]);
      expect(second.calls.map((argv) => argv[0])).toEqual(['fs', 'convert']);
    },
    TIMEOUT,
  );

  it(
    'an image index: each platform image scanned by digest on its own, one merged report, the gate over all',
    async () => {
      // only the arm64 image holds minimist 1.2.5 (CVE-2099-2002, CRITICAL); both hold left-pad (LOW)
      const image = await pushMultiPlatformImage(registry.host, 'octo-org/multi', '1.0');
      const index = await imageIndexTargets(image.tagged, 'all', {
        open: (reference) => openImage(reference, { timeoutMs: 30_000 }),
        log: { info: () => undefined, notice: () => undefined },
        input: 'target',
      });
      expect(index?.digest).toBe(image.indexDigest);
      const { outcome, calls, dir } = await scan({ scanType: 'image', target: image.tagged, index });
      const jsonFile = join(dir, 'results.json');
      expect(calls.map((argv) => argv.find((a) => a.includes('@sha256:')) ?? argv[0])).toEqual([
        `${registry.host}/octo-org/multi@${image.amd64}`,
        `${registry.host}/octo-org/multi@${image.arm64}`,
        'convert',
      ]);
      const byPlatform = Object.fromEntries(
        (outcome.platforms ?? []).map((p) => [p.platform, { ids: ids(p.findings), gated: ids(p.gated) }]),
      );
      expect(byPlatform).toEqual({
        'linux/amd64': { ids: ['CVE-2099-2003'], gated: [] },
        'linux/arm64/v8': { ids: ['CVE-2099-2002', 'CVE-2099-2003'], gated: ['CVE-2099-2002'] },
      });
      expect(ids(outcome.gated)).toEqual(['CVE-2099-2002']);
      expect(ids(outcome.findings)).toEqual(['CVE-2099-2002', 'CVE-2099-2003', 'CVE-2099-2003']);
      // each platform's own report beside results.json, and results.json the report of them all
      for (const p of outcome.platforms ?? []) {
        expect(p.jsonFile).toBe(
          platformFilePath(jsonFile, index!.targets.find((t) => t.digest === p.digest)!.slug),
        );
        expect(existsSync(p.jsonFile)).toBe(true);
      }
      const merged = JSON.parse(readFileSync(jsonFile, 'utf8')) as {
        ArtifactName: string;
        Platforms: { Platform: string; Digest: string }[];
      };
      expect(merged.ArtifactName).toBe(index!.pinned);
      expect(merged.Platforms).toEqual([
        { Platform: 'linux/amd64', Digest: image.amd64 },
        { Platform: 'linux/arm64/v8', Digest: image.arm64 },
      ]);
      // the SARIF is trivy's conversion of that merged report
      expect(outcome.sarif.ruleIds).toEqual(expect.arrayContaining(['CVE-2099-2002', 'CVE-2099-2003']));
    },
    TIMEOUT,
  );

  it(
    'a DB repository that cannot be read is a UserError naming it and the db-repository input',
    async () => {
      const repository = `${registry.url.replace(/^https?:\/\//, '')}/nobody/no-such-db`;
      const empty = join(root, 'never-filled');
      const error = await scan({ dbRepositories: [repository], dbCache: new DirectoryCache(empty) }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toMatch(
        new RegExp(`^trivy could not download the db from ${repository.replace(/[.]/g, '\\.')} \\(exit 1\\)`),
      );
      expect((error as UserError).hint).toContain('db-repository input');
      expect(existsSync(empty)).toBe(false);
    },
    TIMEOUT,
  );
});
