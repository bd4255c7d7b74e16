/**
 * trivy-scan and sbom on a multi-platform image (issue 11, item 4): an OCI image index over a
 * linux/amd64 and a linux/arm64/v8 image plus a BuildKit attestation manifest, on the loopback
 * docker-registry (support/multi-platform-image.ts). The committed bundles run the REAL trivy
 * v0.74.0 (seeded test DB) and the REAL syft. Only the arm64 image holds minimist 1.2.5
 * (CVE-2099-2002, CRITICAL): the gate must fail on it although this runner is amd64, each
 * platform image gets its own report and SBOM, and the attestation manifest is never scanned.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '../harness/run-action.ts';
import {
  simulatedRunner,
  type SimulatedRunner,
  type ToolReleases,
} from '../doubles/release-assets/action-env.ts';
import { startRegistry, type RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import { pushMultiPlatformImage, type MultiPlatformImage } from './support/multi-platform-image.ts';
import { startRealTrivyRelease } from './support/real-trivy-release.ts';
import { startRealSyftReleases, type RealSyftReleases } from './support/real-syft-release.ts';
import { seedTrivyDbCache, trivyTestDbProgram } from './support/trivy-test-db.ts';
import { reportedFindings, sarifRuleIds, trivyCommands } from './support/trivy-results.ts';

const TIMEOUT = 180_000;
const ROOT = resolve(import.meta.dirname, '../..');

const LEFT_PAD = { id: 'CVE-2099-2003', pkg: 'left-pad', installed: '1.3.0', severity: 'LOW' };
const MINIMIST = {
  id: 'CVE-2099-2002',
  pkg: 'minimist',
  installed: '1.2.5',
  fixed: '1.2.6',
  severity: 'CRITICAL',
};

let registry: RegistryServer;
let image: MultiPlatformImage;
let workspace: string;

beforeAll(async () => {
  registry = await startRegistry();
  image = await pushMultiPlatformImage(registry.host, 'octo-org/multi', '1.0');
}, TIMEOUT);
afterAll(() => registry?.stop());
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'multi-platform-ws-'));
});
afterEach(() => rmSync(workspace, { recursive: true, force: true }));

const repo = () => `${registry.host}/octo-org/multi`;
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe('trivy-scan (real trivy) on an image index', () => {
  let tools: ToolReleases;
  let runner: SimulatedRunner;
  beforeAll(async () => {
    trivyTestDbProgram();
    tools = await startRealTrivyRelease();
  }, 900_000);
  afterAll(async () => {
    await tools?.server.close();
    if (tools) rmSync(dirname(tools.lockPath), { recursive: true, force: true });
  });
  beforeEach(async () => {
    runner = simulatedRunner(tools);
    await seedTrivyDbCache(join(runner.root, 'actions-cache'), join(runner.root, 'temp'));
  }, TIMEOUT);
  afterEach(() => rmSync(runner.root, { recursive: true, force: true }));

  const scan = (inputs: Record<string, string>) =>
    runAction({
      actionDir: join(ROOT, 'actions/trivy-scan'),
      workspace,
      inputs,
      env: runner.env(),
      timeoutMs: TIMEOUT - 10_000,
    });

  it(
    'scans each platform image by digest, skips the attestation manifest, and the arm64-only CRITICAL fails the gate',
    async () => {
      const result = await scan({ target: image.pinned, 'fail-on': 'HIGH' });
      expect(result.exitCode, result.log).toBe(1);
      // one scan per platform digest, never the index or the attestation manifest
      expect(
        trivyCommands(result)
          .filter((c) => c.startsWith('image --format'))
          .map((c) => c.split(' -- ')[1]),
      ).toEqual([`${repo()}@${image.amd64}`, `${repo()}@${image.arm64}`]);
      expect(result.log).not.toContain(`-- ${repo()}@${image.attestation}`);
      expect(result.log).toContain(
        `Not scanned: unknown/unknown ${image.attestation} of ${image.pinned} (attestation-manifest (vnd.docker.reference.type)).`,
      );
      const amd64Json = join(workspace, 'trivy-results.linux-amd64.json');
      const arm64Json = join(workspace, 'trivy-results.linux-arm64-v8.json');
      expect(JSON.parse(result.outputs.platforms!)).toEqual([
        {
          platform: 'linux/amd64',
          digest: image.amd64,
          'json-file': amd64Json,
          findings: 1,
          critical: 0,
          high: 0,
          medium: 0,
          low: 1,
          unknown: 0,
          gate: 'passed',
        },
        {
          platform: 'linux/arm64/v8',
          digest: image.arm64,
          'json-file': arm64Json,
          findings: 2,
          critical: 1,
          high: 0,
          medium: 0,
          low: 1,
          unknown: 0,
          gate: 'failed',
        },
      ]);
      // combined outputs: the worst platform
      expect(result.outputs).toMatchObject({ gate: 'failed', findings: '2', critical: '1', low: '1' });
      // each platform's own report, as trivy wrote it
      expect(json(amd64Json).ArtifactName).toBe(`${repo()}@${image.amd64}`);
      expect(json(arm64Json).ArtifactName).toBe(`${repo()}@${image.arm64}`);
      // json-file: every platform's results, marked; SARIF converted from it by trivy
      const merged = json(result.outputs['json-file']!) as {
        ArtifactName: string;
        Results: { Platform: string; Digest: string }[];
      };
      expect(merged.ArtifactName).toBe(image.pinned);
      expect([...new Set(merged.Results.map((r) => `${r.Platform} ${r.Digest}`))]).toEqual([
        `linux/amd64 ${image.amd64}`,
        `linux/arm64/v8 ${image.arm64}`,
      ]);
      expect(reportedFindings(result)).toEqual([MINIMIST, LEFT_PAD, LEFT_PAD]);
      expect(sarifRuleIds(result)).toEqual(expect.arrayContaining(['CVE-2099-2002', 'CVE-2099-2003']));
      expect(result.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
        '1 findings at or above HIGH (fail-on) in linux/arm64/v8 of the index: CVE-2099-2002.\nFix or upgrade the affected packages, add accepted IDs to .trivyignore, or raise fail-on.',
      ]);
      expect(result.summary).toContain('| linux/arm64/v8 |');
      expect(result.summary).toContain(image.arm64);
    },
    TIMEOUT,
  );

  it(
    'platforms: linux/amd64 scans that image alone (the gate passes); a platform the index lacks fails before any scan',
    async () => {
      const amd64 = await scan({ target: image.tagged, 'fail-on': 'HIGH', platforms: 'linux/amd64' });
      expect(amd64.exitCode, amd64.log).toBe(0);
      expect(
        trivyCommands(amd64)
          .filter((c) => c.startsWith('image --format'))
          .map((c) => c.split(' -- ')[1]),
      ).toEqual([`${repo()}@${image.amd64}`]);
      expect(amd64.log).toContain(
        `Not scanned: linux/arm64/v8 ${image.arm64} of ${image.pinned} (not in platforms).`,
      );
      expect(JSON.parse(amd64.outputs.platforms!)).toMatchObject([
        { platform: 'linux/amd64', gate: 'passed' },
      ]);

      const missing = await scan({ target: image.pinned, platforms: 'linux/amd64, linux/s390x' });
      expect(missing.exitCode).toBe(1);
      expect(trivyCommands(missing)).toEqual([]);
      expect(missing.annotations.find((a) => a.level === 'error')?.message).toBe(
        `The image index of ${image.pinned} has no image for linux/s390x (it has: linux/amd64, linux/arm64/v8).\nSet the input 'platforms' to platforms the image was built for, or \`all\`.`,
      );
    },
    TIMEOUT,
  );

  it('a malformed platforms input fails before the registry or the release server is asked', async () => {
    tools.server.resetCounters();
    const result = await scan({ target: image.pinned, platforms: 'linux' });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.find((a) => a.level === 'error')?.message).toContain(
      "Input 'platforms' contains the item 'linux', which is not a platform.",
    );
    expect(tools.server.requests).toEqual([]);
    expect(result.log).not.toContain('[command]');
  });
});

describe('sbom (real syft) on an image index', () => {
  let releases: RealSyftReleases;
  let runner: SimulatedRunner;
  beforeAll(async () => {
    releases = await startRealSyftReleases();
    runner = simulatedRunner({ server: releases.server, lockPath: releases.lockPath } as ToolReleases);
  }, TIMEOUT);
  afterAll(async () => {
    await releases?.server.close();
    if (releases) rmSync(dirname(releases.lockPath), { recursive: true, force: true });
    if (runner) rmSync(runner.root, { recursive: true, force: true });
  });

  it(
    'one SBOM per platform image, named with its platform, with that image’s packages; the attestation manifest gets none',
    async () => {
      const result = await runAction({
        actionDir: join(ROOT, 'actions/sbom'),
        workspace,
        inputs: { image: image.pinned, formats: 'spdx-json,cyclonedx-json', 'output-dir': 'sbom' },
        env: runner.env(),
      });
      expect(result.exitCode, result.log).toBe(0);
      const file = (slug: string, ext: string) => join(workspace, 'sbom', `sbom.${slug}.${ext}.json`);
      const syftRuns = result.log.split('\n').filter((l) => /^\[command\]\S*\/syft scan /.test(l));
      expect(syftRuns.map((l) => l.split(' -- ')[1])).toEqual([
        `${repo()}@${image.amd64}`,
        `${repo()}@${image.arm64}`,
      ]);
      expect(result.outputs.files!.split('\n')).toEqual([
        file('linux-amd64', 'spdx'),
        file('linux-amd64', 'cyclonedx'),
        file('linux-arm64-v8', 'spdx'),
        file('linux-arm64-v8', 'cyclonedx'),
      ]);
      expect(result.outputs['spdx-json-file']).toBe(
        [file('linux-amd64', 'spdx'), file('linux-arm64-v8', 'spdx')].join('\n'),
      );
      expect(JSON.parse(result.outputs.platforms!)).toEqual([
        {
          platform: 'linux/amd64',
          digest: image.amd64,
          files: {
            'spdx-json': file('linux-amd64', 'spdx'),
            'cyclonedx-json': file('linux-amd64', 'cyclonedx'),
          },
          packages: 1,
        },
        {
          platform: 'linux/arm64/v8',
          digest: image.arm64,
          files: {
            'spdx-json': file('linux-arm64-v8', 'spdx'),
            'cyclonedx-json': file('linux-arm64-v8', 'cyclonedx'),
          },
          packages: 2,
        },
      ]);
      const npm = (path: string) =>
        ((json(path).packages as { name: string; versionInfo: string; SPDXID: string }[]) ?? [])
          .filter((p) => p.name !== image.pinned && !p.name.startsWith(repo()))
          .map((p) => `${p.name}@${p.versionInfo}`)
          .sort();
      expect(npm(file('linux-amd64', 'spdx'))).toEqual(['left-pad@1.3.0']);
      expect(npm(file('linux-arm64-v8', 'spdx'))).toEqual(['left-pad@1.3.0', 'minimist@1.2.5']);
      expect(result.summary).toContain('| linux/arm64/v8 |');
    },
    TIMEOUT,
  );
});
