/**
 * The secure-image composite end to end through the runner harness: its steps run the committed
 * bundles dist/{trivy-scan,sbom,sign}/index.js with bash and node, the way the runner runs them from
 * the downloaded checkout, and those install and run the REAL trivy v0.74.0, syft v1.51.0 and cosign
 * v3.1.3 from the release-asset double (a lock file holding the real binaries' sha256:
 * test/workflow-runner/real-tools-runner.ts). The image on the loopback registry holds Alpine and
 * npm packages and an AWS key (the real-trivy scan target); trivy scans it with the test
 * vulnerability DB restored from the runner's cache; cosign signs keyless against the Sigstore
 * double (its Fulcio and Rekor URLs as inputs, its trusted root through the TUF mirror the runner
 * names), and the attestation is then checked with dist/verify and read back from the registry.
 * Also: action.yml has no `uses:` step and no placeholder SHA, its steps pass actionlint,
 * shellcheck on the composite's script, and the script's input checks.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readActionMetadata, runAction, type ActionRunResult } from '../harness/run-action.ts';
import { actionlint } from '../lint/actionlint.ts';
import { startRegistry, type RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import {
  SCAN_TARGET_PACKAGES,
  pushScanTarget,
  spdxPackages,
  startRealToolsRunner,
  type RealToolsRunner,
  type SpdxDocument,
} from '../workflow-runner/real-tools-runner.ts';
import { seedTrivyDbCache, trivyTestDbProgram } from './support/trivy-test-db.ts';
import { pushMultiPlatformImage, type MultiPlatformImage } from './support/multi-platform-image.ts';
import { ALL_SEEDED_FINDINGS, reportedFindings } from './support/trivy-results.ts';

const root = resolve(import.meta.dirname, '../..');
const actionDir = join(root, 'actions', 'secure-image');
const TIMEOUT = 300_000;

let registry: RegistryServer;
let real: RealToolsRunner;
let digest: string;
let multi: MultiPlatformImage;

beforeAll(async () => {
  trivyTestDbProgram(); // built once per source (minutes on a fresh machine)
  [registry, real] = await Promise.all([startRegistry(), startRealToolsRunner()]);
  digest = await pushScanTarget(registry, 'octo-org/app', 'v1');
  multi = await pushMultiPlatformImage(registry.host, 'octo-org/multi', '1.0');
}, 900_000);
afterAll(async () => {
  await Promise.all([registry?.stop(), real?.stop()]);
});

/** A fresh job whose cross-run cache holds the test vulnerability DB (as after an earlier run). */
async function jobEnv(): Promise<Record<string, string>> {
  const env = real.jobEnv();
  await seedTrivyDbCache(env.SLIPWAY_CACHE_DIR!, env.RUNNER_TEMP!);
  return { ...env, ...real.sigstore.oidcEnv };
}

const errors = (result: ActionRunResult) => result.annotations.filter((a) => a.level === 'error');

/** The DSSE statement of the Sigstore bundle stored as the referrer manifest `reference`. */
async function attestedStatement(reference: string): Promise<{
  subject: { digest: { sha256: string } }[];
  predicateType: string;
  predicate: unknown;
}> {
  const [name, manifestDigest] = reference.slice(registry.host.length + 1).split('@') as [string, string];
  const get = async (path: string, accept: string) => {
    const response = await fetch(`${registry.url}/v2/${name}/${path}`, { headers: { accept } });
    if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const manifest = (await get(
    `manifests/${manifestDigest}`,
    'application/vnd.oci.image.manifest.v1+json',
  )) as {
    layers: { digest: string }[];
  };
  const bundle = (await get(`blobs/${manifest.layers[0]!.digest}`, '*/*')) as {
    dsseEnvelope: { payload: string };
  };
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as never;
}

describe('secure-image composite with the real trivy, syft and cosign', () => {
  // one runner for these runs: the first installs the tools into its tool cache, the others reuse them
  let env: Record<string, string>;
  beforeAll(async () => {
    env = await jobEnv();
  }, TIMEOUT);

  it(
    'scans, writes the SBOM, signs the digest and attests the SBOM; the real cosign verifies both',
    async () => {
      const image = `${registry.host}/octo-org/app@${digest}`;
      const before = { ...real.sigstore.counts };
      const result = await runAction({
        actionDir,
        inputs: {
          image,
          'fail-on': 'none',
          'fulcio-url': real.sigstore.fulcioUrl,
          'rekor-url': real.sigstore.rekorUrl,
        },
        env,
        timeoutMs: TIMEOUT - 60_000,
      });
      expect(errors(result), result.log).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(result.steps).toHaveLength(4);
      // trivy: exactly the seeded findings of the image's packages and its AWS key
      expect(result.outputs['sarif-file']).toBe(join(result.workspace, 'trivy-results.sarif'));
      const report = { outputs: { 'json-file': join(result.workspace, 'trivy-results.json') } };
      expect(reportedFindings(report as unknown as ActionRunResult)).toEqual(ALL_SEEDED_FINDINGS);
      expect(result.outputs.findings).toBe(String(ALL_SEEDED_FINDINGS.length));
      // syft: the three apk and three npm packages the image holds
      const sbomFile = join(result.workspace, 'sbom.spdx.json');
      expect(result.outputs['sbom-file']).toBe(sbomFile);
      expect(spdxPackages(JSON.parse(readFileSync(sbomFile, 'utf8')) as SpdxDocument)).toEqual(
        SCAN_TARGET_PACKAGES,
      );
      // cosign: one certificate and one log entry for the signature and for the attestation
      expect(result.outputs.digest).toBe(digest);
      expect(result.outputs['rekor-log-index']).toMatch(/^\d+$/);
      expect(real.sigstore.counts.fulcio - before.fulcio).toBe(2);
      expect(real.sigstore.counts.rekor - before.rekor).toBe(2);
      for (const ref of [result.outputs.signature, result.outputs.attestation])
        expect(ref).toMatch(new RegExp(`^${registry.host}/octo-org/app@sha256:[0-9a-f]{64}$`));
      // the attestation is about the scanned digest and carries the SBOM syft wrote, unchanged
      const statement = await attestedStatement(result.outputs.attestation!);
      expect(statement.subject.map((s) => s.digest.sha256)).toEqual([digest.slice('sha256:'.length)]);
      expect(statement.predicateType).toBe('https://spdx.dev/Document');
      expect(statement.predicate).toEqual(JSON.parse(readFileSync(sbomFile, 'utf8')));

      writeFileSync(join(result.workspace, 'trusted_root.json'), real.trustedRoot);
      for (const type of [undefined, 'spdxjson']) {
        const verified = await runAction({
          actionDir: join(root, 'actions', 'verify'),
          workspace: result.workspace,
          inputs: {
            image,
            ...(type ? { type } : {}),
            'certificate-identity': real.sigstore.identity,
            'trusted-root': 'trusted_root.json',
          },
          env,
        });
        expect(errors(verified), verified.log).toEqual([]);
        expect(verified.outputs.verified).toBe('1');
      }
    },
    TIMEOUT,
  );

  it(
    'engine native: the same scan and SBOM (CycloneDX), signed and attested by sigstore-js',
    async () => {
      const image = `${registry.host}/octo-org/app@${digest}`;
      const result = await runAction({
        actionDir,
        inputs: {
          image,
          engine: 'native',
          'fail-on': 'none',
          'sbom-format': 'cyclonedx-json',
          'fulcio-url': real.sigstore.fulcioUrl,
          'rekor-url': real.sigstore.rekorUrl,
        },
        env,
        timeoutMs: TIMEOUT - 60_000,
      });
      expect(errors(result), result.log).toEqual([]);
      expect(result.outputs.findings).toBe(String(ALL_SEEDED_FINDINGS.length));
      const sbomFile = join(result.workspace, 'sbom.cyclonedx.json');
      expect(result.outputs['sbom-file']).toBe(sbomFile);
      const bom = JSON.parse(readFileSync(sbomFile, 'utf8')) as {
        components: { type: string; name: string; version: string }[];
      };
      expect(
        bom.components
          .filter((c) => c.type === 'library')
          .map((c) => `${c.name}@${c.version}`)
          .sort(),
      ).toEqual(SCAN_TARGET_PACKAGES);
      const statement = await attestedStatement(result.outputs.attestation!);
      expect(statement.subject.map((x) => x.digest.sha256)).toEqual([digest.slice('sha256:'.length)]);
      expect(statement.predicateType).toBe('https://cyclonedx.org/bom');
      expect(statement.predicate).toEqual(bom);
    },
    TIMEOUT,
  );

  it(
    'an image index: signs the index digest and attests each platform SBOM to its own platform digest',
    async () => {
      const before = { ...real.sigstore.counts };
      const result = await runAction({
        actionDir,
        inputs: {
          image: multi.pinned,
          'fail-on': 'none',
          'fulcio-url': real.sigstore.fulcioUrl,
          'rekor-url': real.sigstore.rekorUrl,
        },
        env,
        timeoutMs: TIMEOUT - 60_000,
      });
      expect(errors(result), result.log).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(result.steps).toHaveLength(5);
      const repo = `${registry.host}/octo-org/multi`;
      // the index digest is signed (no attestation of its own); three certificates in all
      expect(result.outputs.digest).toBe(multi.indexDigest);
      expect(result.outputs.signature).toMatch(new RegExp(`^${repo}@sha256:[0-9a-f]{64}$`));
      expect(result.outputs.attestation).toBe('');
      expect(real.sigstore.counts.fulcio - before.fulcio).toBe(3);
      expect(real.sigstore.counts.rekor - before.rekor).toBe(3);
      const sbom = (slug: string) => join(result.workspace, `sbom.${slug}.spdx.json`);
      expect(result.outputs['sbom-file']!.split('\n')).toEqual([sbom('linux-amd64'), sbom('linux-arm64-v8')]);
      const attestations = JSON.parse(result.outputs.attestations!) as Record<string, string>[];
      expect(attestations.map((a) => [a.platform, a.digest, a['sbom-file']])).toEqual([
        ['linux/amd64', multi.amd64, sbom('linux-amd64')],
        ['linux/arm64/v8', multi.arm64, sbom('linux-arm64-v8')],
      ]);
      for (const entry of attestations) {
        expect(entry.attestation).toMatch(new RegExp(`^${repo}@sha256:[0-9a-f]{64}$`));
        expect(entry['rekor-log-index']).toMatch(/^\d+$/);
        // each statement names its platform digest alone and carries that platform's SBOM unchanged
        const statement = await attestedStatement(entry.attestation!);
        expect(statement.subject.map((s) => `sha256:${s.digest.sha256}`)).toEqual([entry.digest]);
        expect(statement.predicateType).toBe('https://spdx.dev/Document');
        expect(statement.predicate).toEqual(JSON.parse(readFileSync(entry['sbom-file']!, 'utf8')));
      }
      // dist/verify: the index signature, and each platform's SBOM attestation on its digest
      writeFileSync(join(result.workspace, 'trusted_root.json'), real.trustedRoot);
      const checks: [string, string | undefined][] = [
        [multi.pinned, undefined],
        [`${repo}@${multi.amd64}`, 'spdxjson'],
        [`${repo}@${multi.arm64}`, 'spdxjson'],
        // the index itself: its SBOM attestation is each platform image's
        [multi.pinned, 'spdxjson'],
      ];
      for (const [image, type] of checks) {
        const verified = await runAction({
          actionDir: join(root, 'actions', 'verify'),
          workspace: result.workspace,
          inputs: {
            image,
            ...(type ? { type } : {}),
            'certificate-identity': real.sigstore.identity,
            'trusted-root': 'trusted_root.json',
          },
          env,
        });
        expect(errors(verified), verified.log).toEqual([]);
        expect(verified.outputs.verified).toBe('1');
      }
    },
    TIMEOUT,
  );

  it('refuses an image that is not pinned by digest before scanning', async () => {
    const downloads = real.tools.server.requests.length;
    const result = await runAction({
      actionDir,
      inputs: { image: `${registry.host}/octo-org/app:v1` },
      env,
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
    expect(real.tools.server.requests).toHaveLength(downloads);
  });

  it(
    'stops before signing when the real scan finds CRITICAL vulnerabilities (fail-on CRITICAL)',
    async () => {
      const before = { ...real.sigstore.counts };
      const result = await runAction({
        actionDir,
        inputs: {
          image: `${registry.host}/octo-org/app@${digest}`,
          'fail-on': 'CRITICAL',
          'fulcio-url': real.sigstore.fulcioUrl,
          'rekor-url': real.sigstore.rekorUrl,
        },
        env,
        timeoutMs: TIMEOUT - 60_000,
      });
      expect(result.exitCode).toBe(1);
      expect(result.steps).toHaveLength(2);
      expect(errors(result).map((a) => a.message)).toEqual([
        '3 findings at or above CRITICAL (fail-on): CVE-2099-1003, CVE-2099-2002, aws-access-key-id.\nFix or upgrade the affected packages, add accepted IDs to .trivyignore, or raise fail-on.',
      ]);
      expect(real.sigstore.counts).toEqual(before);
    },
    TIMEOUT,
  );
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
      ['attest', 'bash', 'bash "$GITHUB_ACTION_PATH/attest-platforms.sh"'],
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
    expect(scripts).toEqual(['attest-platforms.sh', 'secure-image.sh']);
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
    [
      'no SBOM of the format',
      '[{"platform":"linux/amd64","digest":"sha256:' + 'a'.repeat(64) + '","files":{}}]',
      'the sbom step wrote no spdx-json SBOM for {"platform":"linux/amd64","digest":"sha256:' +
        'a'.repeat(64) +
        '"}',
    ],
    ['an empty list', '[]', 'the sbom step listed no platform images'],
    ['not JSON', '{', "Reading the sbom step's platforms output failed: Expected property name"],
    [
      'a digest that is not sha256',
      '[{"platform":"linux/amd64","digest":"md5:1","files":{"spdx-json":"s.json"}}]',
      "The sbom step reported 'md5:1' for linux/amd64, which is not a sha256 digest.",
    ],
  ])(
    'attest-platforms.sh refuses a platforms output with %s before running sign',
    (_name, platforms, message) => {
      let stdout = '';
      let status = 0;
      try {
        execFileSync('bash', [join(actionDir, 'attest-platforms.sh')], {
          env: {
            PATH: process.env.PATH,
            GITHUB_OUTPUT: '/dev/null',
            SECURE_IMAGE_IMAGE: `r.io/a@sha256:${'e'.repeat(64)}`,
            SECURE_IMAGE_SBOM_FORMAT: 'spdx-json',
            SECURE_IMAGE_SBOM_PLATFORMS: platforms,
          },
          encoding: 'utf8',
        });
      } catch (error) {
        status = (error as { status: number }).status;
        stdout = (error as { stdout: string }).stdout;
      }
      expect(status).toBe(1);
      const errorLines = stdout.split('\n').filter((l) => l.startsWith('::error'));
      expect(errorLines).toHaveLength(1);
      expect(errorLines[0]).toContain(message);
      expect(stdout).not.toContain('Attesting');
    },
  );

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
