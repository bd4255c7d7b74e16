import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../harness/run-action.ts';
import { node24Path } from '../harness/node-versions.ts';
import { SHARED_FIXTURES } from '../doubles/release-assets/release-assets.ts';
import { useStandInTools } from './support/stand-in-tools.ts';

const actionDir = resolve(import.meta.dirname, '../../actions/trivy-scan');
const fixture = (name: string) => readFileSync(join(SHARED_FIXTURES, 'trivy', name), 'utf8');
const ALL = 'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL';

const setup = useStandInTools('trivy-ws-');

const emptyConfig = (cacheDir: string) => join(cacheDir, 'slipway-empty-trivy.yaml');
const dbCalls = (cacheDir: string) => [
  [
    'image',
    '--download-db-only',
    '--db-repository',
    'ghcr.io/aquasecurity/trivy-db',
    '--cache-dir',
    cacheDir,
    '--config',
    emptyConfig(cacheDir),
    '--no-progress',
  ],
  [
    'image',
    '--download-java-db-only',
    '--java-db-repository',
    'ghcr.io/aquasecurity/trivy-java-db',
    '--cache-dir',
    cacheDir,
    '--config',
    emptyConfig(cacheDir),
    '--no-progress',
  ],
];

describe('trivy-scan (committed bundle, stand-in trivy from the release double)', () => {
  it('scans an image: DBs, JSON, SARIF from the same JSON, outputs and a summary', async () => {
    const result = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { target: 'ghcr.io/octo-org/app:1.2.3' },
      env: setup.runner.env(),
    });
    expect(result.exitCode, result.log).toBe(0);
    const cacheDir = join(setup.runner.root, 'temp', 'slipway-trivy');
    const json = join(setup.workspace, 'trivy-results.json');
    const sarif = join(setup.workspace, 'trivy-results.sarif');
    expect(setup.runner.calls().map((c) => c.argv)).toEqual([
      ...dbCalls(cacheDir),
      [
        'image',
        '--format',
        'json',
        '--output',
        json,
        '--cache-dir',
        cacheDir,
        '--config',
        emptyConfig(cacheDir),
        '--severity',
        ALL,
        '--exit-code',
        '0',
        '--no-progress',
        '--skip-db-update',
        '--skip-java-db-update',
        '--',
        'ghcr.io/octo-org/app:1.2.3',
      ],
      ['convert', '--config', emptyConfig(cacheDir), '--format', 'sarif', '--output', sarif, '--', json],
    ]);
    expect(result.outputs).toEqual({
      'sarif-file': sarif,
      'json-file': json,
      findings: '4',
      unknown: '0',
      low: '0',
      medium: '4',
      high: '0',
      critical: '0',
      gate: 'passed',
      'trivy-version': '0.74.0',
      'db-version':
        '{"Version":2,"UpdatedAt":"2026-12-06T00:50:12.5Z","DownloadedAt":"2026-12-06T06:01:02.3Z"}',
    });
    expect(readFileSync(json, 'utf8')).toBe(fixture('alpine-310.json'));
    expect(readFileSync(sarif, 'utf8')).toBe(fixture('alpine-310.sarif'));
    expect(result.summary).toContain('| MEDIUM | 4 |');
    expect(result.summary).toContain(
      '| CVE-2019-1549 | MEDIUM | 5.3 | libcrypto1.1, libssl1.1 | 1.1.1d-r0 |',
    );
    expect(result.annotations.filter((a) => a.level !== 'notice')).toEqual([]);
  });

  it('fail-on MEDIUM fails the step after writing outputs; fail-on HIGH passes', async () => {
    const failed = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { target: 'alpine:3.10', 'fail-on': 'MEDIUM' },
      env: setup.runner.env(),
    });
    expect(failed.exitCode).toBe(1);
    expect(failed.outputs.gate).toBe('failed');
    expect(failed.outputs['sarif-file']).toBe(join(setup.workspace, 'trivy-results.sarif'));
    expect(failed.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      '4 findings at or above MEDIUM (fail-on): CVE-2019-1549, CVE-2019-1551.\nFix or upgrade the affected packages, add accepted IDs to .trivyignore, or raise fail-on.',
    ]);
    const passed = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { target: 'alpine:3.10', 'fail-on': 'HIGH' },
      env: setup.runner.env(),
    });
    expect(passed.exitCode).toBe(0);
    expect(passed.outputs.gate).toBe('passed');
  });

  it('config scan: .trivyignore from the workspace, skip-dirs, no DB download, gate on a misconfiguration', async () => {
    writeFileSync(join(setup.workspace, '.trivyignore'), 'DS-0001\n');
    const result = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: {
        'scan-type': 'config',
        target: '.',
        'skip-dirs': 'vendor\nthird party',
        severity: 'HIGH',
        'fail-on': 'HIGH',
      },
      env: setup.runner.env(),
    });
    const cacheDir = join(setup.runner.root, 'temp', 'slipway-trivy');
    expect(setup.runner.calls()[0]!.argv).toEqual([
      'config',
      '--format',
      'json',
      '--output',
      join(setup.workspace, 'trivy-results.json'),
      '--cache-dir',
      cacheDir,
      '--config',
      emptyConfig(cacheDir),
      '--severity',
      'HIGH,CRITICAL',
      '--exit-code',
      '0',
      '--skip-check-update',
      '--ignorefile',
      join(setup.workspace, '.trivyignore'),
      '--skip-dirs',
      'vendor',
      '--skip-dirs',
      'third party',
      '--',
      '.',
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.outputs.high).toBe('1');
    expect(result.log).toContain('1 findings at or above HIGH (fail-on): DS-0002.');
  });

  it('falls back to the next DB repository on TOOMANYREQUESTS, in order, and warns', async () => {
    const result = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { target: 'alpine:3.10' },
      env: setup.runner.env({
        STANDIN_RATE_LIMITED: 'ghcr.io/aquasecurity/trivy-db,public.ecr.aws/aquasecurity/trivy-db',
      }),
    });
    expect(result.exitCode, result.log).toBe(0);
    const dbRepos = setup.runner
      .calls()
      .filter((c) => c.argv[1] === '--download-db-only')
      .map((c) => c.argv[3]);
    expect(dbRepos).toEqual([
      'ghcr.io/aquasecurity/trivy-db',
      'public.ecr.aws/aquasecurity/trivy-db',
      'mirror.gcr.io/aquasec/trivy-db',
    ]);
    expect(result.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      'ghcr.io/aquasecurity/trivy-db is rate-limiting (TOOMANYREQUESTS); trying the next db repository.',
      'public.ecr.aws/aquasecurity/trivy-db is rate-limiting (TOOMANYREQUESTS); trying the next db repository.',
    ]);
  });

  it('fails naming every repository when all of them are rate-limited', async () => {
    const result = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: {
        target: 'alpine:3.10',
        'db-repository': 'registry.example/a/trivy-db\nregistry.example/b/trivy-db',
      },
      env: setup.runner.env({
        STANDIN_RATE_LIMITED: 'registry.example/a/trivy-db,registry.example/b/trivy-db',
      }),
    });
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(
      'Every db repository rate-limited the download: registry.example/a/trivy-db, registry.example/b/trivy-db.',
    );
  });

  it('a second run on a warm cache downloads nothing: no asset bytes, no DB download', async () => {
    const first = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { target: 'alpine:3.10' },
      env: setup.runner.env(),
    });
    expect(first.exitCode, first.log).toBe(0);
    expect(setup.tools.server.totalBytes()).toBeGreaterThan(0);
    setup.tools.server.resetCounters();
    setup.runner.clearArgv();
    const second = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { target: 'alpine:3.10' },
      env: setup.runner.env(),
    });
    expect(second.exitCode, second.log).toBe(0);
    expect(setup.tools.server.totalBytes()).toBe(0);
    expect(setup.tools.server.requests).toEqual([]);
    expect(setup.runner.calls().map((c) => c.argv[0])).toEqual(['image', 'convert']);
    expect(second.log).toContain('Trivy db restored from the cache (key slipway-trivy-db-');
  });

  it('a scan that finds nothing (a result without Vulnerabilities) reports zero', async () => {
    const result = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { target: 'sle-micro:5.4', 'fail-on': 'LOW' },
      env: setup.runner.env({ STANDIN_TRIVY_REPORT: 'sl-micro-rancher5.4.json' }),
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.findings).toBe('0');
  });

  it('refuses a tampered trivy archive: nothing is executed', async () => {
    setup.tools.server.fault('trivy_0.74.0_Linux-64bit.tar.gz', { kind: 'tamper' });
    try {
      const result = await runAction({
        actionDir,
        workspace: setup.workspace,
        inputs: { target: 'alpine:3.10' },
        env: setup.runner.env(),
      });
      expect(result.exitCode).toBe(1);
      expect(result.log).toMatch(
        /sha256 mismatch for trivy_0\.74\.0_Linux-64bit\.tar\.gz: expected [0-9a-f]{64} \(from tools\.lock\.json\), got [0-9a-f]{64}\./,
      );
      expect(setup.runner.calls()).toEqual([]);
    } finally {
      setup.tools.server.fault('trivy_0.74.0_Linux-64bit.tar.gz', undefined);
    }
  });

  it('sbom scan: vulnerability DB only (no Java DB), the SBOM path after --', async () => {
    writeFileSync(
      join(setup.workspace, 'sbom.cdx.json'),
      readFileSync(join(SHARED_FIXTURES, 'trivy', 'npm-cyclonedx.json')),
    );
    const result = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { 'scan-type': 'sbom', target: 'sbom.cdx.json', 'ignore-unfixed': 'true' },
      env: setup.runner.env(),
    });
    expect(result.exitCode, result.log).toBe(0);
    const cacheDir = join(setup.runner.root, 'temp', 'slipway-trivy');
    const json = join(setup.workspace, 'trivy-results.json');
    expect(setup.runner.calls().map((c) => c.argv)).toEqual([
      dbCalls(cacheDir)[0],
      [
        'sbom',
        '--format',
        'json',
        '--output',
        json,
        '--cache-dir',
        cacheDir,
        '--config',
        emptyConfig(cacheDir),
        '--severity',
        ALL,
        '--exit-code',
        '0',
        '--no-progress',
        '--skip-db-update',
        '--ignore-unfixed',
        '--',
        'sbom.cdx.json',
      ],
      [
        'convert',
        '--config',
        emptyConfig(cacheDir),
        '--format',
        'sarif',
        '--output',
        join(setup.workspace, 'trivy-results.sarif'),
        '--',
        json,
      ],
    ]);
  });

  it('runs under node 24, as GitHub starts node24 actions', async () => {
    const node24 = node24Path();
    expect(execFileSync(node24, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
    const result = await runAction({
      actionDir,
      workspace: setup.workspace,
      node: node24,
      inputs: { target: 'alpine:3.10' },
      env: setup.runner.env(),
    });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.medium).toBe('4');
  }, 120_000);

  it('validates inputs before any network request', async () => {
    const result = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { target: 'alpine:3.10', severity: 'SEVERE' },
      env: setup.runner.env(),
    });
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(
      "Input 'severity' has the value 'SEVERE'. Expected one of: UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL.",
    );
    expect(setup.tools.server.requests).toEqual([]);
  });

  it('a trivyignore input naming a missing file is an input error', async () => {
    mkdirSync(join(setup.workspace, 'sec'), { recursive: true });
    const result = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { target: 'alpine:3.10', trivyignore: 'sec/ignore' },
      env: setup.runner.env(),
    });
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain("Input 'trivyignore' names sec/ignore, which does not exist.");
    expect(setup.tools.server.requests).toEqual([]);
  });

  it('a trivy.yaml in the workspace is not read: every trivy call gets --config of an empty file, or of trivy-config', async () => {
    // what a pull request could ship to quiet the scan: trivy reads ./trivy.yaml unless told otherwise
    writeFileSync(join(setup.workspace, 'trivy.yaml'), 'severity: [CRITICAL]\nscan:\n  skip-files: ["**"]\n');
    const first = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { target: 'alpine:3.10' },
      env: setup.runner.env(),
    });
    expect(first.exitCode, first.log).toBe(0);
    const cacheDir = join(setup.runner.root, 'temp', 'slipway-trivy');
    const configs = () => setup.runner.calls().map((c) => c.argv[c.argv.indexOf('--config') + 1]);
    expect(configs()).toEqual(Array(4).fill(emptyConfig(cacheDir)));
    expect(readFileSync(emptyConfig(cacheDir), 'utf8')).toMatch(/^#[^\n]*\n$/); // a comment, no settings

    setup.runner.clearArgv();
    mkdirSync(join(setup.workspace, 'ci'));
    writeFileSync(join(setup.workspace, 'ci', 'trivy.yaml'), 'timeout: 10m\n');
    const second = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { target: 'alpine:3.10', 'trivy-config': 'ci/trivy.yaml' },
      env: setup.runner.env(),
    });
    expect(second.exitCode, second.log).toBe(0);
    expect(new Set(configs())).toEqual(new Set([join(setup.workspace, 'ci', 'trivy.yaml')]));

    const missing = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { target: 'alpine:3.10', 'trivy-config': 'ci/nope.yaml' },
      env: setup.runner.env(),
    });
    expect(missing.exitCode).toBe(1);
    expect(missing.log).toContain("Input 'trivy-config' names ci/nope.yaml, which does not exist.");
  });

  it('a failing DB download names the db-repository input, a failing scan the target input', async () => {
    const download = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { target: 'alpine:3.10' },
      env: setup.runner.env({ STANDIN_EXIT_CODE: '1' }),
    });
    expect(download.exitCode).toBe(1);
    expect(download.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      'trivy could not download the db from ghcr.io/aquasecurity/trivy-db (exit 1):\ntrivy stand-in: failing as asked\nCheck the db-repository input (ghcr.io/aquasecurity/trivy-db must be an OCI repository holding the trivy db) and that the runner reaches it; a mirror listed first in db-repository is tried first.',
    ]);
    const scan = await runAction({
      actionDir,
      workspace: setup.workspace,
      inputs: { 'scan-type': 'config', target: '.' },
      env: setup.runner.env({ STANDIN_EXIT_CODE: '1' }),
    });
    expect(scan.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      'trivy config scan of . failed (exit 1):\ntrivy stand-in: failing as asked\nCheck the `target` input (a path in the workspace) and `skip-dirs`.',
    ]);
  });
});
