/**
 * trivy-scan on its committed bundle with the REAL trivy v0.74.0, offline: trivy is installed from
 * the release double (its archive holds the real program, pinned by a lock file), the
 * vulnerability DB and Java DB are the small ones test/tools/trivy-test-db writes from
 * test/fixtures/trivy-real/advisories.yaml, restored from the runner's cross-run cache; config
 * scans use trivy's embedded checks.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '../harness/run-action.ts';
import {
  simulatedRunner,
  type SimulatedRunner,
  type ToolReleases,
} from '../doubles/release-assets/action-env.ts';
import { startRealTrivyRelease } from './support/real-trivy-release.ts';
import { seedTrivyDbCache, trivyTestDbProgram } from './support/trivy-test-db.ts';
import { writeTrivyTarget } from './support/trivy-target.ts';
import {
  ALL_SEEDED_FINDINGS,
  reportedFindings,
  sarifRuleIds,
  trivyCommands,
} from './support/trivy-results.ts';
import { pushTrivyTargetImage } from './support/trivy-image.ts';
import { publishTrivyTestDb } from './support/trivy-db-registry.ts';
import { realTool } from '../real-tools.ts';
import { freePort, startRegistry, type RegistryServer } from '../doubles/oci-registry/registry-server.ts';

const actionDir = resolve(import.meta.dirname, '../../actions/trivy-scan');
const TIMEOUT = 180_000;

let tools: ToolReleases;
let runner: SimulatedRunner;
let workspace: string;

beforeAll(async () => {
  trivyTestDbProgram(); // builds it on a fresh machine (minutes), cached afterwards
  tools = await startRealTrivyRelease();
}, 900_000);
afterAll(async () => {
  await tools?.server.close();
  if (tools) rmSync(dirname(tools.lockPath), { recursive: true, force: true });
});
beforeEach(async () => {
  runner = simulatedRunner(tools);
  workspace = mkdtempSync(join(tmpdir(), 'real-trivy-ws-'));
  writeTrivyTarget(join(workspace, 'rootfs'));
  await seedTrivyDbCache(join(runner.root, 'actions-cache'), join(runner.root, 'temp'));
}, TIMEOUT);
// Every run installs the real trivy (about 170 MB) into the runner's tool cache and cross-run cache.
afterEach(() => {
  rmSync(runner.root, { recursive: true, force: true });
  rmSync(workspace, { recursive: true, force: true });
});

const scan = (inputs: Record<string, string>) =>
  runAction({ actionDir, workspace, inputs, env: runner.env(), timeoutMs: TIMEOUT - 10_000 });

describe('trivy-scan with the real trivy v0.74.0, offline, on a seeded DB', () => {
  it(
    'fs scan finds exactly the seeded CVEs and the AWS key; JSON and SARIF come from one scan; no Java DB needed',
    async () => {
      const cacheRoot = join(runner.root, 'actions-cache');
      rmSync(cacheRoot, { recursive: true, force: true });
      await seedTrivyDbCache(cacheRoot, join(runner.root, 'temp'), { databases: ['db'] });
      const result = await scan({ 'scan-type': 'fs', target: 'rootfs' });
      expect(result.exitCode, result.log).toBe(0);
      expect(reportedFindings(result)).toEqual(ALL_SEEDED_FINDINGS);
      expect(result.outputs).toMatchObject({
        findings: '7',
        critical: '3',
        high: '2',
        medium: '1',
        low: '1',
        unknown: '0',
        gate: 'passed',
        'trivy-version': '0.74.0',
      });
      expect(sarifRuleIds(result)).toEqual(ALL_SEEDED_FINDINGS.map((f) => f.id).sort());
      const commands = trivyCommands(result);
      expect(commands.map((c) => c.split(' ')[0])).toEqual(['fs', 'convert']);
      expect(commands[1]).toContain(
        `--output ${join(workspace, 'trivy-results.sarif')} -- ${join(workspace, 'trivy-results.json')}`,
      );
      expect(result.log).toContain('Trivy db restored from the cache (key slipway-trivy-db-');
      expect(result.log).not.toContain('Trivy java-db');
      expect(result.log).not.toMatch(/--download-(java-)?db-only/);
      expect(result.summary).toContain('CVE-2099-2002');
    },
    TIMEOUT,
  );

  it(
    'fail-on CRITICAL fails the step after writing its outputs, naming the critical findings',
    async () => {
      const failed = await scan({ 'scan-type': 'fs', target: 'rootfs', 'fail-on': 'CRITICAL' });
      expect(failed.exitCode).toBe(1);
      expect(failed.outputs.gate).toBe('failed');
      expect(failed.outputs.critical).toBe('3');
      expect(reportedFindings(failed)).toEqual(ALL_SEEDED_FINDINGS);
      expect(failed.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
        '3 findings at or above CRITICAL (fail-on): CVE-2099-1003, CVE-2099-2002, aws-access-key-id.\nFix or upgrade the affected packages, add accepted IDs to .trivyignore, or raise fail-on.',
      ]);
    },
    TIMEOUT,
  );

  it(
    '.trivyignore and ignore-unfixed: the ignored and unfixed findings are gone, and fail-on CRITICAL passes',
    async () => {
      writeFileSync(join(workspace, '.trivyignore'), '# accepted\nCVE-2099-2002\naws-access-key-id\n');
      const result = await scan({
        'scan-type': 'fs',
        target: 'rootfs',
        'ignore-unfixed': 'true',
        'fail-on': 'CRITICAL',
      });
      expect(result.exitCode, result.log).toBe(0);
      expect(result.outputs.gate).toBe('passed');
      expect(reportedFindings(result).map((f) => f.id)).toEqual([
        'CVE-2099-1001',
        'CVE-2099-1004',
        'CVE-2099-2001',
      ]);
      expect(sarifRuleIds(result)).toEqual(['CVE-2099-1001', 'CVE-2099-1004', 'CVE-2099-2001']);
      expect(result.outputs).toMatchObject({
        findings: '3',
        critical: '0',
        high: '2',
        medium: '1',
        low: '0',
      });
    },
    TIMEOUT,
  );

  it(
    'severity HIGH reports only HIGH and CRITICAL findings, in JSON, SARIF and outputs alike',
    async () => {
      const result = await scan({ 'scan-type': 'fs', target: 'rootfs', severity: 'HIGH' });
      expect(result.exitCode, result.log).toBe(0);
      const high = ALL_SEEDED_FINDINGS.filter((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL');
      expect(reportedFindings(result)).toEqual(high);
      expect(sarifRuleIds(result)).toEqual(high.map((f) => f.id).sort());
      expect(result.outputs).toMatchObject({ findings: '5', medium: '0', low: '0' });
    },
    TIMEOUT,
  );

  it(
    'skip-dirs given relative to the workspace leaves out the npm packages and the secret under it',
    async () => {
      const result = await scan({ 'scan-type': 'fs', target: 'rootfs', 'skip-dirs': 'rootfs/app' });
      expect(result.exitCode, result.log).toBe(0);
      expect(reportedFindings(result).map((f) => f.id)).toEqual([
        'CVE-2099-1001',
        'CVE-2099-1003',
        'CVE-2099-1004',
      ]);
    },
    TIMEOUT,
  );

  it(
    'config scan of a Dockerfile and a Kubernetes manifest with the embedded checks, no checks download',
    async () => {
      const result = await scan({ 'scan-type': 'config', target: 'rootfs/deploy', 'fail-on': 'HIGH' });
      expect(result.exitCode).toBe(1);
      expect(result.log).not.toContain('unknown flag');
      expect(result.outputs['json-file'], result.log).toBeDefined();
      const found = reportedFindings(result);
      expect(found).toContainEqual({ id: 'DS-0002', severity: 'HIGH' }); // image user should not be root
      expect(found).toContainEqual({ id: 'KSV-0017', severity: 'HIGH' }); // privileged container
      expect(result.outputs.gate).toBe('failed');
      expect(Number(result.outputs.findings)).toBe(found.length);
      expect(sarifRuleIds(result)).toEqual(expect.arrayContaining(['DS-0002', 'KSV-0017']));
      const error = result.annotations.find((a) => a.level === 'error')!.message;
      expect(error).toMatch(/findings at or above HIGH \(fail-on\): .*DS-0002/);
      expect(error).toContain('KSV-0017');
      expect(result.log).not.toContain('Downloading the checks bundle');
      expect(result.log).toContain('--skip-check-update');
      expect(result.log).not.toContain('restored from the cache'); // a config scan needs no DB
    },
    TIMEOUT,
  );

  it(
    'a DB cached on an earlier day that cannot be refreshed (registry unreachable) is used, with a warning',
    async () => {
      const cacheRoot = join(runner.root, 'actions-cache');
      rmSync(cacheRoot, { recursive: true, force: true });
      await seedTrivyDbCache(cacheRoot, join(runner.root, 'temp'), {
        days: ['2026-01-01'],
        nextUpdate: '2026-01-02T00:00:00Z',
      });
      const unreachable = `127.0.0.1:${await freePort()}`;
      const result = await scan({
        'scan-type': 'fs',
        target: 'rootfs',
        'db-repository': `${unreachable}/aquasecurity/trivy-db`,
      });
      expect(result.exitCode, result.log).toBe(0);
      expect(reportedFindings(result)).toEqual(ALL_SEEDED_FINDINGS);
      // trivy really tried the refresh and failed
      expect(trivyCommands(result).map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual([
        'image --download-db-only',
        'fs --format',
        'convert --config', // every call names our empty config, so no trivy.yaml of the workspace is read
      ]);
      expect(result.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
        `Could not refresh the Trivy db (${unreachable}/aquasecurity/trivy-db failed with exit 1); scanning with the one restored from cache entry slipway-trivy-db-2026-01-01.`,
      ]);
    },
    TIMEOUT,
  );

  it(
    'sbom scan of the CycloneDX SBOM the real syft writes for the same files finds the seeded CVEs',
    async () => {
      const syft = realTool('syft');
      execFileSync(syft.path, ['scan', 'dir:rootfs', '-q', '-o', 'cyclonedx-json=sbom.cdx.json'], {
        cwd: workspace,
        env: { ...process.env, SYFT_CHECK_FOR_APP_UPDATE: 'false' },
      });
      const result = await scan({ 'scan-type': 'sbom', target: 'sbom.cdx.json', 'fail-on': 'HIGH' });
      expect(result.exitCode).toBe(1);
      expect(reportedFindings(result)).toEqual(
        ALL_SEEDED_FINDINGS.filter((f) => f.id !== 'aws-access-key-id'), // an SBOM holds no secrets
      );
      expect(result.outputs).toMatchObject({ findings: '6', critical: '2', high: '2', gate: 'failed' });
      expect(result.log).not.toContain('Trivy java-db');
    },
    TIMEOUT,
  );

  describe('with the loopback registry: DB download and image scan', () => {
    let registry: RegistryServer;
    let image: string;
    beforeAll(async () => {
      registry = await startRegistry();
      image = await pushTrivyTargetImage(registry.host, 'octo-org/app', '1.0');
    }, TIMEOUT);
    afterAll(() => registry?.stop());

    it(
      'image scan: downloads both DBs with the real trivy from the registry, scans with them and caches them for the next run',
      async () => {
        rmSync(join(runner.root, 'actions-cache'), { recursive: true, force: true });
        const repositories = await publishTrivyTestDb(registry.url);
        const inputs = {
          target: image,
          'db-repository': repositories.db,
          'java-db-repository': repositories.javaDb,
        };
        const first = await scan(inputs);
        expect(first.exitCode, first.log).toBe(0);
        const trivyDir = join(runner.root, 'temp', 'slipway-trivy');
        expect(trivyCommands(first).slice(0, 2)).toEqual([
          `image --download-db-only --db-repository ${repositories.db} --cache-dir ${trivyDir} --config ${join(trivyDir, 'slipway-empty-trivy.yaml')} --no-progress`,
          `image --download-java-db-only --java-db-repository ${repositories.javaDb} --cache-dir ${trivyDir} --config ${join(trivyDir, 'slipway-empty-trivy.yaml')} --no-progress`,
        ]);
        expect(first.log).toContain(`Trivy db downloaded from ${repositories.db}.`);
        expect(first.log).toContain(`Trivy java-db downloaded from ${repositories.javaDb}.`);
        expect(reportedFindings(first)).toEqual(ALL_SEEDED_FINDINGS);

        rmSync(join(runner.root, 'temp', 'slipway-trivy'), { recursive: true, force: true });
        const second = await scan(inputs);
        expect(second.exitCode, second.log).toBe(0);
        expect(trivyCommands(second).map((c) => c.split(' ')[0])).toEqual(['image', 'convert']);
        expect(second.log).toContain('Trivy db restored from the cache (key slipway-trivy-db-');
        expect(second.log).toContain('Trivy java-db restored from the cache (key slipway-trivy-java-db-');
        expect(reportedFindings(second)).toEqual(ALL_SEEDED_FINDINGS);
      },
      TIMEOUT,
    );

    it(
      'finds exactly the seeded CVEs of the installed packages and the AWS key in the image',
      async () => {
        const result = await scan({ target: image });
        expect(result.exitCode, result.log).toBe(0);
        expect(reportedFindings(result)).toEqual(ALL_SEEDED_FINDINGS);
        expect(sarifRuleIds(result)).toEqual(ALL_SEEDED_FINDINGS.map((f) => f.id).sort());
        expect(trivyCommands(result).map((c) => c.split(' ')[0])).toEqual(['image', 'convert']);
        expect(result.outputs).toMatchObject({ findings: '7', critical: '3', gate: 'passed' });
      },
      TIMEOUT,
    );
  });
});
