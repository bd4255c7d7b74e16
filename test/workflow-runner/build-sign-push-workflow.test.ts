/**
 * .github/workflows/build-sign-push.yml, all three jobs run locally in order (plan, build for each
 * matrix leg, collect), each step by step: buildx/build-push stand-ins push a real image to the
 * loopback OCI registry, Slipway's committed trivy-scan, sbom and sign bundles run the release
 * double's stand-in trivy, syft and cosign (argv recorded), SARIF and the per-app result artifact
 * go to stand-ins, and collect merges the artifacts into the workflow outputs.
 * These are the wiring and fault tests (exact argv per matrix leg, outputs, a scanner whose fixed
 * findings trip fail-on, bad inputs, forged artifacts); the run with the real trivy, syft and
 * cosign is real-tools-workflows.test.ts.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForwardProxy, type ForwardProxy } from '../doubles/forward-proxy/forward-proxy.ts';
import { startRegistry, type RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import {
  simulatedRunner,
  startToolReleases,
  type ToolReleases,
} from '../doubles/release-assets/action-env.ts';
import { findJobLeaks } from './job-leaks.ts';
import { runWorkflowJob, type JobRunResult, type RunWorkflowJobOptions } from './run-workflow-job.ts';
import { checkoutStandIn } from './stand-ins/checkout.ts';
import { buildPushStandIn, setupBuildxStandIn } from './stand-ins/docker-build.ts';
import { dockerLoginStandIn } from './stand-ins/docker-login.ts';
import { downloadArtifactStandIn } from './stand-ins/download-artifact.ts';
import { uploadArtifactStandIn, type ArtifactRecord } from './stand-ins/upload-artifact.ts';
import { uploadSarifStandIn } from './stand-ins/upload-sarif.ts';
import { slipwayAtHead } from './local-repos.ts';
import { pushMultiPlatformImage } from '../integration/support/multi-platform-image.ts';

const slipway = slipwayAtHead();
const workflow = slipway.workflow('build-sign-push.yml');
const TOKEN = 'ghs_buildsignpushjobtoken0000000000001';
const SHA = 'c0ffee0000000000000000000000000000000003';

const GHCR = 'ghcr.io';
let registry: RegistryServer;
let tools: ToolReleases;
let proxy: ForwardProxy;

beforeAll(async () => {
  [registry, tools, proxy] = await Promise.all([startRegistry(), startToolReleases(), startForwardProxy()]);
  // cloud ghcr pushes only to ghcr.io: the proxy routes that name to the registry double
  proxy.route(GHCR, Number(registry.host.split(':')[1]));
});
afterAll(async () => {
  await Promise.all([registry?.stop(), tools?.server.close(), proxy?.close()]);
});

const github: RunWorkflowJobOptions['github'] = {
  repository: 'Acme/Web',
  sha: SHA,
  ref: 'refs/heads/main',
  token: TOKEN,
  actor: 'octocat',
  workflowRepository: 'slipway-org/slipway',
  workflowSha: slipway.sha,
};

/** One workflow run: the jobs in `needs` order, sharing the artifact store. */
async function buildSignPush(
  inputs: RunWorkflowJobOptions['inputs'],
  secrets: Record<string, string> = {},
  pushImage?: (repository: string, tag: string) => Promise<string>,
) {
  const runner = simulatedRunner(tools);
  const upload = uploadArtifactStandIn();
  const sarif = uploadSarifStandIn();
  const build = buildPushStandIn(registry, { names: [GHCR], ...(pushImage ? { pushImage } : {}) });
  const login = dockerLoginStandIn();
  const common = { workflow, inputs, secrets, github };
  const plan = await runWorkflowJob({ ...common, job: 'plan' });
  const legs: JobRunResult[] = [];
  if (plan.conclusion === 'success') {
    for (const app of JSON.parse(plan.outputs.apps!) as Record<string, string>[]) {
      legs.push(
        await runWorkflowJob({
          ...common,
          job: 'build',
          matrix: { app },
          needs: { plan: { result: 'success', outputs: plan.outputs } },
          // each matrix job runs on a fresh machine: its own RUNNER_TEMP (the argv log is shared)
          runnerEnv: {
            ...runner.env({ RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'leg-temp-')) }),
            ...proxy.env(),
          },
          standIns: {
            'actions/checkout': checkoutStandIn({ 'slipway-org/slipway': slipway.dir }).standIn,
            'docker/login-action': login.standIn,
            'docker/setup-qemu-action': () => ({}),
            'docker/setup-buildx-action': setupBuildxStandIn(),
            'docker/build-push-action': build.standIn,
            'github/codeql-action/upload-sarif': sarif.standIn,
            'actions/upload-artifact': upload.standIn,
          },
        }),
      );
    }
  }
  const buildResult = legs.every((l) => l.conclusion === 'success') ? 'success' : 'failure';
  const collect =
    plan.conclusion === 'success' && buildResult === 'success'
      ? await runWorkflowJob({
          ...common,
          job: 'collect',
          needs: {
            plan: { result: 'success', outputs: plan.outputs },
            build: { result: buildResult, outputs: {} },
          },
          jobs: {
            plan: { result: 'success', outputs: plan.outputs },
            build: { result: buildResult, outputs: {} },
          },
          standIns: { 'actions/download-artifact': downloadArtifactStandIn(upload.artifacts) },
        })
      : undefined;
  return { plan, legs, collect, runner, upload, sarif, build, login };
}

describe('build-sign-push.yml wiring with stand-in tools (local runner, all jobs)', () => {
  it('builds, scans, records the SBOM, signs and attests each app by digest; collect merges the outputs', async () => {
    const run = await buildSignPush({
      apps: JSON.stringify([
        { name: 'api' },
        { name: 'worker', context: './services/worker/', dockerfile: 'Dockerfile.w' },
      ]),
      registry: `${GHCR}/Acme`,
      'fail-on': 'none',
    });
    expect(run.plan.conclusion).toBe('success');
    const prefix = `${GHCR}/acme`;
    expect(run.plan.outputs.registry).toBe(prefix);

    expect(run.legs.map((l) => [l.conclusion, l.annotations, l.warnings])).toEqual([
      ['success', [], []],
      ['success', [], []],
    ]);
    expect(run.legs.map((l) => l.steps.map((s) => s.outcome))).toEqual(
      Array(2).fill([
        ...[
          'success',
          'success',
          'success',
          'success',
          'skipped',
          'success',
          'skipped',
          'skipped',
          'skipped',
        ],
        // QEMU skipped (one platform); buildx .. sign; per-platform SBOM attestations skipped (no index)
        ...['skipped', ...Array<string>(6).fill('success'), 'skipped', ...Array<string>(5).fill('success')],
      ]),
    );
    const digests = run.build.builds.map((b) => b.digest);
    expect(
      run.build.builds.map(({ digest, ...b }) => ({ ...b, digest: /^sha256:[0-9a-f]{64}$/.test(digest) })),
    ).toEqual([
      {
        gitContext: `https://github.com/Acme/Web.git#${SHA}`,
        file: 'Dockerfile',
        platforms: ['linux/amd64'],
        tags: [`${prefix}/api:${SHA}`],
        labels: {
          'org.opencontainers.image.source': 'https://github.com/Acme/Web',
          'org.opencontainers.image.revision': SHA,
        },
        secretIds: [],
        provenance: 'mode=max',
        sbom: false,
        digest: true,
      },
      {
        gitContext: `https://github.com/Acme/Web.git#${SHA}:services/worker`,
        file: 'Dockerfile.w',
        platforms: ['linux/amd64'],
        tags: [`${prefix}/worker:${SHA}`],
        labels: {
          'org.opencontainers.image.source': 'https://github.com/Acme/Web',
          'org.opencontainers.image.revision': SHA,
        },
        secretIds: [],
        provenance: 'mode=max',
        sbom: false,
        digest: true,
      },
    ]);
    expect(run.login.calls.map((c) => [c.registry, c.username])).toEqual([
      [GHCR, 'octocat'],
      [GHCR, 'octocat'],
    ]);
    // every tool saw the pushed digest, never the tag
    const pinned = ['api', 'worker'].map((app, i) => `${prefix}/${app}@${digests[i]}`);
    const calls = run.runner.calls().filter((c) => !['version', '--version'].includes(c.argv[0] ?? ''));
    const scans = calls.filter(
      (c) => c.tool === 'trivy' && c.argv[0] === 'image' && c.argv.includes('--format'),
    );
    expect(scans.map((c) => c.argv.slice(-2))).toEqual(pinned.map((p) => ['--', p]));
    const syft = calls.filter((c) => c.tool === 'syft');
    expect(syft.map((c) => c.argv.slice(-2))).toEqual(pinned.map((p) => ['--', p]));
    const cosign = calls.filter((c) => c.tool === 'cosign').map((c) => [c.argv[0], c.argv.at(-1)]);
    expect(cosign).toEqual(
      pinned.flatMap((p) => [
        ['sign', p],
        ['attest', p],
        ['attest', p],
      ]),
    );
    const attest = calls.filter((c) => c.tool === 'cosign' && c.argv[0] === 'attest');
    expect(
      attest.map((c) => [c.argv[c.argv.indexOf('--type') + 1], c.argv[c.argv.indexOf('--predicate') + 1]]),
    ).toEqual(
      run.legs.flatMap((l, i) => [
        ['spdxjson', l.steps.find((s) => s.name === 'Record the SBOM with syft')!.outputs['spdx-json-file']],
        [
          'https://slipway.dev/attestations/gate-policy/v1',
          join(l.workspace, `gate-policy-${['api', 'worker'][i]}.json`),
        ],
      ]),
    );
    // the gate policy the scan ran under, as the predicate deploy-gate checks
    expect(JSON.parse(readFileSync(join(run.legs[0]!.workspace, 'gate-policy-api.json'), 'utf8'))).toEqual({
      scanner: {
        name: 'trivy',
        version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
        // the UpdatedAt of the DB trivy-scan reported in its db-version output
        dbVersion: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      },
      policy: { failOn: 'none', ignoreUnfixed: false, severity: 'UNKNOWN' },
      result: {
        gate: 'pass',
        findings: expect.any(Number),
        counts: {
          CRITICAL: expect.any(Number),
          HIGH: expect.any(Number),
          MEDIUM: expect.any(Number),
          LOW: expect.any(Number),
          UNKNOWN: expect.any(Number),
        },
      },
    });
    // SARIF per image to code scanning, the per-app result artifact, the merged outputs
    expect(run.sarif.uploads.map((u) => [u.files.map((f) => f.split('/').pop()), u.category])).toEqual([
      [['trivy-api.sarif'], `slipway-trivy/${prefix}/api`],
      [['trivy-worker.sarif'], `slipway-trivy/${prefix}/worker`],
    ]);
    const key = run.plan.outputs.key!;
    expect(run.upload.artifacts.map((a) => [a.name, Object.keys(a.files), a.retentionDays])).toEqual([
      [`slipway-image-${key}-api`, ['api.json'], 1],
      [`slipway-image-${key}-worker`, ['worker.json'], 1],
    ]);
    expect(run.collect?.conclusion).toBe('success');
    const images = {
      api: { image: `${prefix}/api`, digest: digests[0] },
      worker: { image: `${prefix}/worker`, digest: digests[1] },
    };
    expect(JSON.parse(run.collect!.workflowOutputs.images!)).toEqual(images);
    expect(run.collect!.workflowOutputs).toMatchObject({ image: '', digest: '' });
    for (const leg of run.legs) expect(findJobLeaks(leg, [TOKEN])).toEqual([]);
  }, 300_000);

  it('one app: the workflow outputs image and digest', async () => {
    const run = await buildSignPush({
      apps: '[{"name":"api"}]',
      registry: `${GHCR}/solo`,
      'fail-on': 'none',
      tag: 'v1.2.3',
    });
    expect(run.legs.map((l) => l.conclusion)).toEqual(['success']);
    expect(run.build.builds[0]!.tags).toEqual([`${GHCR}/solo/api:v1.2.3`]);
    expect(run.collect!.workflowOutputs).toEqual({
      image: `${GHCR}/solo/api`,
      digest: run.build.builds[0]!.digest,
      images: JSON.stringify({
        api: { image: `${GHCR}/solo/api`, digest: run.build.builds[0]!.digest },
      }),
    });
  }, 300_000);

  it('an image index: the index digest is signed and carries the gate policy; each platform SBOM is attested to its platform digest', async () => {
    const platforms: Record<string, string> = {};
    const run = await buildSignPush(
      {
        apps: '[{"name":"api"}]',
        registry: `${GHCR}/multi`,
        'fail-on': 'none',
        platforms: 'linux/amd64,linux/arm64',
      },
      {},
      async (repository, tag) => {
        const image = await pushMultiPlatformImage(registry.host, repository, tag);
        Object.assign(platforms, { amd64: image.amd64, arm64: image.arm64 });
        return image.indexDigest;
      },
    );
    const [leg] = run.legs;
    expect([leg!.conclusion, leg!.annotations], leg!.log).toEqual(['success', []]);
    const by = (name: string) => leg!.steps.find((s) => s.name === name)!;
    expect(by("Attest each platform image's SBOM to its own digest").outcome).toBe('success');
    const repo = `${GHCR}/multi/api`;
    const index = `${repo}@${run.build.builds[0]!.digest}`;
    const cosign = run.runner
      .calls()
      .filter((c) => c.tool === 'cosign' && ['sign', 'attest'].includes(c.argv[0]!))
      .map((c) => [c.argv[0], c.argv[c.argv.indexOf('--type') + 1] ?? '', c.argv.at(-1)]);
    const sbom = JSON.parse(by('Record the SBOM with syft').outputs.platforms!) as {
      platform: string;
      digest: string;
      files: Record<string, string>;
    }[];
    expect(sbom.map((p) => [p.platform, p.digest])).toEqual([
      ['linux/amd64', platforms.amd64],
      ['linux/arm64/v8', platforms.arm64],
    ]);
    expect(cosign).toEqual([
      ['sign', expect.anything(), index],
      ['attest', 'spdxjson', `${repo}@${platforms.amd64}`],
      ['attest', 'spdxjson', `${repo}@${platforms.arm64}`],
      ['attest', 'https://slipway.dev/attestations/gate-policy/v1', index],
    ]);
    // each platform's own SBOM file, not the first platform's for all
    const predicates = run.runner
      .calls()
      .filter((c) => c.tool === 'cosign' && c.argv[0] === 'attest' && c.argv.includes('spdxjson'))
      .map((c) => c.argv[c.argv.indexOf('--predicate') + 1]);
    expect(predicates).toEqual(sbom.map((p) => p.files['spdx-json']));
    const policy = JSON.parse(readFileSync(join(leg!.workspace, 'gate-policy-api.json'), 'utf8')) as {
      result: { platforms: { platform: string; digest: string; gate: string }[] };
    };
    expect(policy.result.platforms.map((p) => [p.platform, p.digest, p.gate])).toEqual([
      ['linux/amd64', platforms.amd64, 'pass'],
      ['linux/arm64/v8', platforms.arm64, 'pass'],
    ]);
    expect(findJobLeaks(leg!, [TOKEN])).toEqual([]);
  }, 300_000);

  it('fault: findings at fail-on fail the build leg before anything is signed; the SARIF is still uploaded', async () => {
    // the stand-in trivy reports alpine 3.10's real findings: MEDIUM at most, so HIGH (the default) passes
    const run = await buildSignPush({
      apps: '[{"name":"api"}]',
      registry: `${GHCR}/gate`,
      'fail-on': 'MEDIUM',
    });
    const [leg] = run.legs;
    expect(leg!.conclusion).toBe('failure');
    const by = (name: string) => leg!.steps.find((s) => s.name === name)!.outcome;
    expect(by('Scan the pushed digest with Trivy')).toBe('failure');
    expect(by('Upload the scan to code scanning')).toBe('success');
    expect(by('Record the SBOM with syft')).toBe('skipped');
    expect(by('Sign the digest and attest the SBOM')).toBe('skipped');
    expect(by('Attest the gate policy')).toBe('skipped');
    expect(leg!.annotations.find((a) => a.level === 'error')!.message).toMatch(
      /^4 findings at or above MEDIUM \(fail-on\): /,
    );
    expect(run.runner.calls().filter((c) => c.tool === 'cosign' && c.argv[0] !== 'version')).toEqual([]);
    expect(run.sarif.uploads).toHaveLength(1);
    expect(run.collect).toBeUndefined();
  }, 300_000);

  it('a bad apps list fails the plan job; nothing is built', async () => {
    const run = await buildSignPush({ apps: '[{"name":"API"}]', registry: `${GHCR}/acme` });
    expect(run.plan.conclusion).toBe('failure');
    expect(run.plan.annotations[0]!.message).toBe(
      "input 'apps': jq: error (at <stdin>:1): every entry needs a name of lower-case letters, digits, . _ -",
    );
    expect(run.legs).toEqual([]);
  }, 60_000);

  it('cyclonedx-json: the CycloneDX SBOM is attested as cyclonedx; build secrets reach buildx by id, masked', async () => {
    const NPM = 'npm_buildsecretvalue000000000000000001';
    const run = await buildSignPush(
      {
        apps: '[{"name":"api"}]',
        registry: `${GHCR}/cdx`,
        'fail-on': 'none',
        'sbom-format': 'cyclonedx-json',
      },
      { 'build-secrets': `NPM_TOKEN=${NPM}\nOTHER=x` },
    );
    const [leg] = run.legs;
    expect(leg!.conclusion).toBe('success');
    expect(run.build.builds[0]!.secretIds).toEqual(['NPM_TOKEN', 'OTHER']);
    const sbomFile = leg!.steps.find((s) => s.name === 'Record the SBOM with syft')!.outputs[
      'cyclonedx-json-file'
    ];
    expect(sbomFile).toMatch(/sbom-api\/.+\.cyclonedx\.json$/);
    const attest = run.runner.calls().find((c) => c.tool === 'cosign' && c.argv[0] === 'attest')!.argv;
    expect(attest.slice(0, 6)).toEqual(['attest', '--yes', '--type', 'cyclonedx', '--predicate', sbomFile]);
    const syft = run.runner.calls().find((c) => c.tool === 'syft' && c.argv[0] === 'scan')!.argv;
    expect(syft).toEqual([
      'scan',
      '--output',
      `cyclonedx-json=${sbomFile}`,
      '--',
      `${GHCR}/cdx/api@${run.build.builds[0]!.digest}`,
    ]);
    expect(findJobLeaks(leg!, [`NPM_TOKEN=${NPM}\nOTHER=x`, TOKEN])).toEqual([]);
  }, 300_000);
});

describe("build-sign-push.yml collect: each app's result by its exact artifact name", () => {
  const DIGEST = `sha256:${'1'.repeat(64)}`;
  const OLDER = `sha256:${'0'.repeat(64)}`;
  const result = (name: string, app: string, digest: string): ArtifactRecord => ({
    name,
    files: { [`${app}.json`]: Buffer.from(JSON.stringify({ app, image: `${GHCR}/acme/${app}`, digest })) },
  });

  /** plan, then collect over `artifacts` as the run's artifact store holds them (upload order). */
  async function collect(apps: string[], artifacts: (key: string) => ArtifactRecord[]) {
    const inputs = { apps: JSON.stringify(apps.map((name) => ({ name }))), registry: `${GHCR}/acme` };
    const plan = await runWorkflowJob({ workflow, job: 'plan', inputs, github });
    expect(plan.conclusion).toBe('success');
    const done = {
      plan: { result: 'success', outputs: plan.outputs },
      build: { result: 'success', outputs: {} },
    };
    return runWorkflowJob({
      workflow,
      job: 'collect',
      inputs,
      github,
      needs: done,
      jobs: done,
      standIns: { 'actions/download-artifact': downloadArtifactStandIn(artifacts(plan.outputs.key!)) },
    });
  }

  it('another artifact of the run under the same prefix, with an older digest, does not change the outputs', async () => {
    const run = await collect(['api'], (key) => [
      result(`slipway-image-${key}-api`, 'api', DIGEST),
      // uploaded later by another job of the run; with merge-multiple its api.json was the last one written
      result(`slipway-image-${key}-api-old`, 'api', OLDER),
    ]);
    expect(run.conclusion).toBe('success');
    expect(run.workflowOutputs).toEqual({
      image: `${GHCR}/acme/api`,
      digest: DIGEST,
      images: JSON.stringify({ api: { image: `${GHCR}/acme/api`, digest: DIGEST } }),
    });
    expect(run.annotations.map((a) => [a.level, a.message])).toEqual([
      ['warning', expect.stringMatching(/^ignored artifact slipway-image-[0-9a-f]{12}-api-old: /)],
    ]);
  }, 60_000);

  it('a planned app without its artifact fails collect, naming the artifact; no outputs', async () => {
    const run = await collect(['api', 'worker'], (key) => [
      result(`slipway-image-${key}-api`, 'api', DIGEST),
    ]);
    expect(run.conclusion).toBe('failure');
    expect(run.annotations[0]!.message).toMatch(
      /^artifact slipway-image-[0-9a-f]{12}-worker must hold exactly worker\.json \(found: no artifact\)/,
    );
    expect(run.workflowOutputs).toEqual({ image: '', digest: '', images: '' });
  }, 60_000);

  it('an artifact whose JSON names another image fails collect', async () => {
    const run = await collect(['api'], (key) => [
      {
        name: `slipway-image-${key}-api`,
        files: {
          'api.json': Buffer.from(JSON.stringify({ app: 'api', image: 'evil.example/api', digest: DIGEST })),
        },
      },
    ]);
    expect(run.conclusion).toBe('failure');
    expect(run.annotations[0]!.message).toMatch(
      /^artifact slipway-image-[0-9a-f]{12}-api: expected \{"app": "api"/,
    );
  }, 60_000);
});
