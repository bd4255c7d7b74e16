/**
 * One Trivy scan end to end, given an installed trivy: DBs (cached, with mirror
 * fallback), the scan to JSON, SARIF converted from that same JSON, both
 * documents parsed, findings counted and gated.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '@slipway/core';
import { tail, type ProgramRunner } from '../tools/run-program.ts';
import type { PersistentCache } from '../tools/tool-caches.ts';
import { platformFilePath } from '../registry/image-platforms.ts';
import type { ImageIndexTargets } from '../registry/platform-targets.ts';
import { readDbMetadata, type DbMetadata } from './db-metadata.ts';
import { parseSarif, type SarifSummary } from './sarif-report.ts';
import { failsGate, type FailOn } from './severity.ts';
import {
  convertToSarifArgv,
  needsJavaDb,
  needsVulnerabilityDb,
  scanArgv,
  type TrivyScanSettings,
} from './trivy-args.ts';
import { prepareTrivyDb, utcDay, type DbLog, type PreparedDb } from './trivy-db.ts';
import { mergePlatformReports, type PlatformScan } from './platform-report.ts';
import { findingsOf, parseTrivyReport, type Finding, type TrivyReport } from './trivy-report.ts';

export interface TrivyScanRun extends Omit<TrivyScanSettings, 'configFile'> {
  /** The user's trivy config file; default an empty one of Slipway's (see TrivyScanSettings.configFile). */
  configFile?: string;
  trivy: string;
  run: ProgramRunner;
  sarifFile: string;
  failOn: FailOn;
  dbRepositories: string[];
  javaDbRepositories: string[];
  /** Cross-run cache for the DBs; `undefined` disables DB caching. */
  dbCache: PersistentCache | undefined;
  now: Date;
  log: DbLog;
  /**
   * An image index: each platform image is scanned on its own (JSON beside jsonFile, named with its
   * platform), and jsonFile gets the report of them all. Undefined: one scan of `target`.
   */
  index?: ImageIndexTargets;
}

export interface TrivyScanOutcome {
  findings: Finding[];
  /** Findings at or above fail-on. */
  gated: Finding[];
  sarif: SarifSummary;
  databases: PreparedDb[];
  /** The vulnerability DB the scan used, from its metadata.json; undefined for config scans. */
  dbMetadata: DbMetadata | undefined;
  /** One entry per platform image when an index was scanned; `findings`/`gated` then hold them all. */
  platforms?: PlatformScan[];
}

/** What the `target` input must be, per scan type: said when trivy cannot scan it. */
const TARGET_HINTS: Record<TrivyScanSettings['scanType'], string> = {
  image:
    'Check the `target` input: an image reference the runner can pull (log in to a private registry first, e.g. with docker/login-action).',
  fs: 'Check the `target` input (a path in the workspace) and `skip-dirs`.',
  config: 'Check the `target` input (a path in the workspace) and `skip-dirs`.',
  sbom: 'Check the `target` input: an SPDX or CycloneDX JSON file in the workspace.',
};

const noCache: PersistentCache = { restore: async () => undefined, save: async () => {} };

/** An empty trivy config in `dir`: passed as `--config`, it keeps trivy from reading ./trivy.yaml. */
export async function emptyTrivyConfig(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'slipway-empty-trivy.yaml');
  await writeFile(
    path,
    '# No settings: the trivy-scan inputs decide (trivy-config names a config of your own).\n',
  );
  return path;
}

export async function runTrivyScan(run: TrivyScanRun): Promise<TrivyScanOutcome> {
  const o = { ...run, configFile: run.configFile ?? (await emptyTrivyConfig(run.cacheDir)) };
  const databases: PreparedDb[] = [];
  const dbOptions = {
    trivy: o.trivy,
    run: o.run,
    cacheDir: o.cacheDir,
    configFile: o.configFile,
    cache: o.dbCache ?? noCache,
    day: utcDay(o.now),
    log: o.log,
  };
  if (needsVulnerabilityDb(o.scanType)) {
    databases.push(await prepareTrivyDb({ ...dbOptions, database: 'db', repositories: o.dbRepositories }));
  }
  if (needsJavaDb(o.scanType)) {
    databases.push(
      await prepareTrivyDb({ ...dbOptions, database: 'java-db', repositories: o.javaDbRepositories }),
    );
  }

  let platforms: PlatformScan[] | undefined;
  if (o.index) {
    platforms = [];
    const reports: { target: (typeof o.index.targets)[number]; report: TrivyReport }[] = [];
    for (const target of o.index.targets) {
      const jsonFile = platformFilePath(o.jsonFile, target.slug);
      await scanOnce(o, target.ref, jsonFile, ` (${target.platform} of ${o.target})`);
      const report = parseTrivyReport(await readFile(jsonFile, 'utf8'), jsonFile);
      const findings = findingsOf(report);
      reports.push({ target, report });
      platforms.push({
        platform: target.platform,
        digest: target.digest,
        ref: target.ref,
        jsonFile,
        findings,
        gated: findings.filter((f) => failsGate(f.severity, o.failOn)),
      });
    }
    await writeFile(o.jsonFile, mergePlatformReports(o.index.pinned, reports));
  } else {
    await scanOnce(o, o.target, o.jsonFile, '');
  }
  const convert = await o.run(o.trivy, convertToSarifArgv(o.jsonFile, o.sarifFile, o.configFile));
  if (convert.exitCode !== 0) {
    throw new UserError(`trivy convert to SARIF failed (exit ${convert.exitCode}):\n${tail(convert.stderr)}`);
  }
  const findings = platforms
    ? platforms.flatMap((p) => p.findings)
    : findingsOf(parseTrivyReport(await readFile(o.jsonFile, 'utf8'), o.jsonFile));
  const sarif = parseSarif(await readFile(o.sarifFile, 'utf8'), o.sarifFile);
  const dbMetadata = needsVulnerabilityDb(o.scanType) ? await readDbMetadata(o.cacheDir) : undefined;
  return {
    findings,
    gated: findings.filter((f) => failsGate(f.severity, o.failOn)),
    sarif,
    databases,
    dbMetadata,
    ...(platforms ? { platforms } : {}),
  };
}

/** One trivy scan of `target` into `jsonFile`; `what` adds the platform to the error. */
async function scanOnce(
  o: TrivyScanRun & { configFile: string },
  target: string,
  jsonFile: string,
  what: string,
): Promise<void> {
  const scan = await o.run(o.trivy, scanArgv({ ...o, target, jsonFile }));
  if (scan.exitCode !== 0) {
    throw new UserError(
      `trivy ${o.scanType} scan of ${target}${what} failed (exit ${scan.exitCode}):\n${tail(scan.stderr)}`,
      { hint: TARGET_HINTS[o.scanType] },
    );
  }
}
