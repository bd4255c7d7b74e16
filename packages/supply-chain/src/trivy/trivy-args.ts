/**
 * The exact argv Slipway passes to trivy. Every user value is its own argv entry
 * (never joined into a flag, never through a shell), and the scan target comes
 * after `--` so a value starting with `-` cannot become a flag.
 */
import { severitiesFrom, type Severity } from './severity.ts';

export const SCAN_TYPES = ['image', 'fs', 'config', 'sbom'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];

export interface TrivyScanSettings {
  scanType: ScanType;
  target: string;
  /** Lowest severity reported. */
  severity: Severity;
  ignoreUnfixed: boolean;
  ignoreFile?: string;
  skipDirs: string[];
  cacheDir: string;
  jsonFile: string;
  /**
   * Passed as `--config` to every trivy call: the user's `trivy-config`, else an empty file of
   * Slipway's, so a `trivy.yaml` in the working directory (trivy's default) changes nothing.
   */
  configFile: string;
}

/** Scan types that look up vulnerabilities and so need the vulnerability DB. */
export function needsVulnerabilityDb(scanType: ScanType): boolean {
  return scanType !== 'config';
}

/**
 * Scan types that analyse Java archives and so need the Java DB. Only `image`: trivy's JAR
 * analyser is the one user of the Java DB, and `trivy fs` disables it (it skips installed
 * packages and reads lock files); checked against trivy v0.74.0, which scans a folder with a JAR
 * and no Java DB on disk without error. `fs` still gets `--skip-java-db-update`, so trivy never
 * fetches a Java DB by itself.
 */
export function needsJavaDb(scanType: ScanType): boolean {
  return scanType === 'image';
}

/**
 * Checked against trivy v0.74.0 itself (test/integration/real-trivy.test.ts): `trivy config` has
 * no `--no-progress` flag and fails with "unknown flag" when given one; it takes
 * `--skip-check-update`, so a config scan uses the checks embedded in the locked trivy binary
 * instead of fetching the floating, unverified `trivy-checks` bundle from a registry (which an
 * offline runner cannot reach anyway).
 */
export function scanArgv(s: TrivyScanSettings): string[] {
  const argv = [s.scanType, '--format', 'json', '--output', s.jsonFile, '--cache-dir', s.cacheDir];
  argv.push('--config', s.configFile);
  argv.push('--severity', severitiesFrom(s.severity).join(','), '--exit-code', '0');
  if (s.scanType === 'config') argv.push('--skip-check-update');
  else argv.push('--no-progress');
  if (needsVulnerabilityDb(s.scanType)) {
    argv.push('--skip-db-update');
    if (s.ignoreUnfixed) argv.push('--ignore-unfixed');
  }
  if (s.scanType === 'image' || s.scanType === 'fs') argv.push('--skip-java-db-update');
  if (s.ignoreFile !== undefined) argv.push('--ignorefile', s.ignoreFile);
  for (const dir of s.skipDirs) argv.push('--skip-dirs', dir);
  argv.push('--', s.target);
  return argv;
}

/** `trivy convert`: the SARIF document from the JSON report of the same scan (no second scan). */
export function convertToSarifArgv(jsonFile: string, sarifFile: string, configFile: string): string[] {
  return ['convert', '--config', configFile, '--format', 'sarif', '--output', sarifFile, '--', jsonFile];
}

export type TrivyDatabase = 'db' | 'java-db';

/** Downloads only the vulnerability DB or the Java DB from one repository into `cacheDir`. */
export function downloadDbArgv(
  database: TrivyDatabase,
  repository: string,
  cacheDir: string,
  configFile: string,
): string[] {
  const only =
    database === 'db'
      ? ['--download-db-only', '--db-repository']
      : ['--download-java-db-only', '--java-db-repository'];
  return ['image', ...only, repository, '--cache-dir', cacheDir, '--config', configFile, '--no-progress'];
}
