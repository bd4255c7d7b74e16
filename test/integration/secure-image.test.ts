/**
 * The secure-image composite end to end through the runner harness: its steps run
 * the committed bundles dist/{trivy-scan,sbom,sign}/index.js with bash and node,
 * the way the runner runs them from the downloaded checkout. trivy-scan and
 * sbom run the release double's stand-in trivy/syft (they record argv and write
 * real trivy/syft documents from ../shared/fixtures; the real tools run in
 * e2e.yml), sign runs engine native against a real loopback registry and the
 * @sigstore/mock services, and the attestation is then checked with dist/verify.
 * Also: action.yml has no `uses:` step and no placeholder SHA, its steps pass
 * actionlint, shellcheck on the composite's script, and the script's input checks.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readActionMetadata, runAction } from '../harness/run-action.ts';
import { actionlint } from '../lint/actionlint.ts';
import type { RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import type { SigstoreServices } from '../doubles/sigstore/sigstore-services.ts';
import { simulatedRunner, type ToolReleases } from '../doubles/release-assets/action-env.ts';
import { startSigningServices, stopSigningServices } from './support/signing-services.ts';

const root = resolve(import.meta.dirname, '../..');
const actionDir = join(root, 'actions', 'secure-image');

let registry: RegistryServer;
let sigstore: SigstoreServices;
let tools: ToolReleases;
let digest: string;

beforeAll(async () => {
  ({ registry, sigstore, tools, digest } = await startSigningServices());
});
afterAll(() => stopSigningServices({ registry, sigstore, tools }));

describe('secure-image composite', () => {
  it('scans, writes the SBOM, signs the digest and attests the SBOM', async () => {
    const runner = simulatedRunner(tools);
    const image = `${registry.host}/octo-org/app@${digest}`;
    const result = await runAction({
      actionDir,
      inputs: {
        image,
        engine: 'native',
        'fail-on': 'none',
        'fulcio-url': sigstore.fulcioUrl,
        'rekor-url': sigstore.rekorUrl,
      },
      env: runner.env(sigstore.oidcEnv),
      timeoutMs: 120_000,
    });
    expect(result.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.steps).toHaveLength(4);
    expect(result.outputs.digest).toBe(digest);
    expect(result.outputs['sbom-file']).toBe(join(result.workspace, 'sbom.spdx.json'));
    expect(result.outputs['sarif-file']).toBe(join(result.workspace, 'trivy-results.sarif'));
    expect(result.outputs.findings).toMatch(/^\d+$/);
    expect(result.outputs.signature).toMatch(
      new RegExp(`^${registry.host}/octo-org/app@sha256:[0-9a-f]{64}$`),
    );
    expect(result.outputs.attestation).toMatch(
      new RegExp(`^${registry.host}/octo-org/app@sha256:[0-9a-f]{64}$`),
    );
    expect(result.outputs['rekor-log-index']).toMatch(/^\d+$/);
    // the scan and the SBOM saw the pinned reference, the same bytes that were signed
    const calls = runner.calls();
    const trivyScan = calls.find((c) => c.tool === 'trivy' && c.argv.includes('--format'));
    const syft = calls.find((c) => c.tool === 'syft' && c.argv[0] !== 'version' && c.argv[0] !== '--version');
    expect(trivyScan?.argv.slice(-2)).toEqual(['--', image]);
    expect(syft?.argv).toEqual([
      'scan',
      '--output',
      `spdx-json=${join(result.workspace, 'sbom.spdx.json')}`,
      '--',
      image,
    ]);

    // the attestation holds the SBOM the sbom step wrote, and verifies
    writeFileSync(join(result.workspace, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot()));
    const verified = await runAction({
      actionDir: join(root, 'actions', 'verify'),
      workspace: result.workspace,
      inputs: {
        image,
        engine: 'native',
        type: 'spdxjson',
        'certificate-identity': sigstore.identity,
        'trusted-root': 'trusted_root.json',
      },
    });
    expect(verified.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(verified.outputs.verified).toBe('1');
  });

  it('runs with the default engine (cosign): the stand-in cosign gets the pinned digest and the SBOM', async () => {
    const runner = simulatedRunner(tools);
    const image = `${registry.host}/octo-org/app@${digest}`;
    const result = await runAction({
      actionDir,
      inputs: { image, 'fail-on': 'none', 'sbom-format': 'cyclonedx-json' },
      env: runner.env(),
    });
    expect(result.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(result.exitCode).toBe(0);
    const cosign = runner
      .calls()
      .filter((c) => c.tool === 'cosign' && !['version', '--version'].includes(c.argv[0] ?? ''));
    expect(cosign.map((c) => c.argv.slice(0, 6))).toEqual([
      ['sign', '--yes', '--bundle', cosign[0]?.argv[3], '--', image],
      [
        'attest',
        '--yes',
        '--type',
        'cyclonedx',
        '--predicate',
        join(result.workspace, 'sbom.cyclonedx.json'),
      ],
    ]);
    expect(cosign[1]?.argv.slice(-2)).toEqual(['--', image]);
    expect(result.outputs.digest).toBe(digest);
  });

  it('refuses an image that is not pinned by digest before scanning', async () => {
    const runner = simulatedRunner(tools);
    const result = await runAction({
      actionDir,
      inputs: { image: `${registry.host}/octo-org/app:v1`, engine: 'native' },
      env: runner.env(sigstore.oidcEnv),
    });
    expect(result.exitCode).toBe(1);
    expect(result.steps).toHaveLength(1);
    expect(result.annotations).toEqual([
      {
        level: 'error',
        title: 'secure-image',
        message:
          "Input 'image' is not pinned by digest. Expected registry/repository@sha256:<64 hex>, e.g. the image name plus the digest output of docker/build-push-action: a tag could move between the scan and the signature.",
      },
    ]);
    expect(runner.calls()).toEqual([]);
  });

  it('stops before signing when the scan gate fails', async () => {
    const runner = simulatedRunner(tools);
    const before = { ...sigstore.counts };
    const result = await runAction({
      actionDir,
      inputs: { image: `${registry.host}/octo-org/app@${digest}`, engine: 'native', 'fail-on': 'LOW' },
      env: runner.env(sigstore.oidcEnv),
    });
    expect(result.exitCode).toBe(1);
    expect(result.steps).toHaveLength(2);
    expect(sigstore.counts).toEqual(before);
  });
});

describe('secure-image action.yml', () => {
  it('runs the sibling bundles of its own checkout: no uses: step, no placeholder SHA', () => {
    const text = readFileSync(join(actionDir, 'action.yml'), 'utf8');
    expect(text).not.toMatch(/^\s*(?:-\s+)?uses:/m);
    expect(text).not.toMatch(/[0-9a-f]{40}/);
    const steps = readActionMetadata(actionDir).runs.steps ?? [];
    expect(steps.map((s) => [s.id, s.shell, s.run])).toEqual([
      ['inputs', 'bash', 'bash "$GITHUB_ACTION_PATH/secure-image.sh"'],
      ['scan', 'bash', 'node "$GITHUB_ACTION_PATH/../../dist/trivy-scan/index.js"'],
      ['sbom', 'bash', 'node "$GITHUB_ACTION_PATH/../../dist/sbom/index.js"'],
      ['sign', 'bash', 'node "$GITHUB_ACTION_PATH/../../dist/sign/index.js"'],
    ]);
  });

  it('its steps (INPUT_* env keys with dashes) pass actionlint', async () => {
    const meta = readActionMetadata(actionDir);
    // the composite's steps as a workflow_dispatch job with the same inputs, so inputs.* type-checks
    const workflow = {
      on: {
        workflow_dispatch: {
          inputs: Object.fromEntries(
            Object.entries(meta.inputs ?? {}).map(([name, spec]) => [
              name,
              { description: spec.description, required: spec.required ?? false, type: 'string' },
            ]),
          ),
        },
      },
      permissions: { contents: 'read' },
      jobs: { 'secure-image': { 'runs-on': 'ubuntu-24.04', steps: meta.runs.steps } },
    };
    const errors = await actionlint(stringify(workflow), 'secure-image-steps.yml');
    expect(errors.map((e) => `${e.line}:${e.column}: ${e.message} [${e.kind}]`)).toEqual([]);
  });
});

describe('secure-image.sh', () => {
  it('is shellcheck-clean', () => {
    const scripts = readdirSync(actionDir).filter((f) => f.endsWith('.sh'));
    expect(scripts).toEqual(['secure-image.sh']);
    for (const script of scripts) {
      expect(() =>
        execFileSync('shellcheck', ['--severity=style', join(actionDir, script)], { encoding: 'utf8' }),
      ).not.toThrow();
    }
  });

  it.each([
    ['spdx-json', 'predicate-type=spdxjson\n'],
    ['cyclonedx-json', 'predicate-type=cyclonedx\n'],
  ])('maps %s to the predicate type', (format, expected) => {
    const out = join(resolve(import.meta.dirname), `.tmp-output-${format}`);
    writeFileSync(out, '');
    try {
      execFileSync('bash', [join(actionDir, 'secure-image.sh')], {
        env: {
          PATH: process.env.PATH,
          GITHUB_OUTPUT: out,
          SECURE_IMAGE_IMAGE: `r.io/a@sha256:${'e'.repeat(64)}`,
          SECURE_IMAGE_SBOM_FORMAT: format,
        },
      });
      expect(execFileSync('cat', [out], { encoding: 'utf8' })).toBe(expected);
    } finally {
      execFileSync('rm', ['-f', out]);
    }
  });

  it.each([
    ['a tag', 'r.io/a:1', 'spdx-json', "Input 'image' is not pinned by digest"],
    [
      'a digest with a newline injected',
      `r.io/a@sha256:${'e'.repeat(64)}\n::set-output name=x::y`,
      'spdx-json',
      "Input 'image' is not pinned by digest",
    ],
    [
      'an unknown format',
      `r.io/a@sha256:${'e'.repeat(64)}`,
      'syft-json',
      "Input 'sbom-format' must be spdx-json or cyclonedx-json.",
    ],
  ])('rejects %s', (_name, image, format, message) => {
    let stdout = '';
    let status = 0;
    try {
      execFileSync('bash', [join(actionDir, 'secure-image.sh')], {
        env: {
          PATH: process.env.PATH,
          GITHUB_OUTPUT: '/dev/null',
          SECURE_IMAGE_IMAGE: image,
          SECURE_IMAGE_SBOM_FORMAT: format,
        },
        encoding: 'utf8',
      });
    } catch (error) {
      status = (error as { status: number }).status;
      stdout = (error as { stdout: string }).stdout;
    }
    expect(status).toBe(1);
    expect(stdout).toContain(`::error title=secure-image::${message}`);
    expect(stdout.split('\n').filter((l) => l.startsWith('::'))).toHaveLength(1);
  });
});
