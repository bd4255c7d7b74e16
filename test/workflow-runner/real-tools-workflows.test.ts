/**
 * build-sign-push.yml and then deploy-gate.yml, run locally job by job with the REAL trivy v0.74.0,
 * syft v1.51.0 and cosign v3.1.3, as a caller's pipeline runs them: build pushes an image holding
 * Alpine and npm packages (and an AWS key) to "ghcr.io" (the loopback registry behind the forward
 * proxy), scans it with trivy against the test vulnerability DB that trivy downloads from
 * ghcr.io/aquasecurity/trivy-db, records its SBOM with syft and signs and attests it by digest with
 * cosign keyless; deploy-gate then verifies that signature and those attestations with cosign
 * and passes, and refuses a digest of the same repository nobody signed.
 *
 * The workflows are unchanged: the tools come from the release-asset double through each action's
 * install path (a lock file holding the real binaries' sha256), and cosign finds the Sigstore
 * double through the TUF mirror the runner names (real-tools-runner.ts), since build-sign-push
 * passes no Sigstore inputs. Stand-ins remain only for third-party actions (checkout, login,
 * buildx, SARIF and artifact upload).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForwardProxy, type ForwardProxy } from '../doubles/forward-proxy/forward-proxy.ts';
import { startRegistry, type RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import type { ActionRunResult } from '../harness/run-action.ts';
import { publishTrivyTestDb } from '../integration/support/trivy-db-registry.ts';
import { ALL_SEEDED_FINDINGS, reportedFindings } from '../integration/support/trivy-results.ts';
import { trivyTestDbProgram } from '../integration/support/trivy-test-db.ts';
import { proxyEnvWithCaBundle } from './cloud-endpoints.ts';
import { findJobLeaks } from './job-leaks.ts';
import { slipwayAtHead } from './local-repos.ts';
import {
  SCAN_TARGET_PACKAGES,
  pushScanTarget,
  spdxPackages,
  startRealToolsRunner,
  type RealToolsRunner,
  type SpdxDocument,
} from './real-tools-runner.ts';
import { runWorkflowJob, type JobRunResult, type RunWorkflowJobOptions } from './run-workflow-job.ts';
import { checkoutStandIn } from './stand-ins/checkout.ts';
import { buildPushStandIn, setupBuildxStandIn } from './stand-ins/docker-build.ts';
import { dockerLoginStandIn } from './stand-ins/docker-login.ts';
import { downloadArtifactStandIn } from './stand-ins/download-artifact.ts';
import { uploadArtifactStandIn } from './stand-ins/upload-artifact.ts';
import { uploadSarifStandIn } from './stand-ins/upload-sarif.ts';

const slipway = slipwayAtHead();
const TOKEN = 'ghs_realtoolsworkflowjobtoken000000001';
const SHA = 'c0ffee0000000000000000000000000000000012';
const GHCR = 'ghcr.io';
const TIMEOUT = 600_000;

// The calling repository; the Sigstore double's tokens carry the same claims GitHub gives its jobs.
const CALLER = { repository: 'acme/web', repositoryId: '700001', repositoryOwnerId: '900001' };
const github: RunWorkflowJobOptions['github'] = {
  ...CALLER,
  sha: SHA,
  ref: 'refs/heads/main',
  event: { repository: { default_branch: 'main' } },
  token: TOKEN,
  actor: 'octocat',
  workflowRepository: 'slipway-org/slipway',
  workflowSha: slipway.sha,
};

let registry: RegistryServer;
let proxy: ForwardProxy;
let real: RealToolsRunner;
let proxyEnv: () => Record<string, string>;
let caDir: string;
/** The folders runWorkflowJob made for each job (workspace, HOME), removed after the file. */
const jobRoots = new Set<string>();
const track = (job: JobRunResult) => {
  jobRoots.add(dirname(job.home));
  return job;
};

beforeAll(async () => {
  trivyTestDbProgram(); // built once per source (minutes on a fresh machine)
  [registry, proxy, real] = await Promise.all([startRegistry(), startForwardProxy(), startRealToolsRunner()]);
  // cloud ghcr pushes only to ghcr.io: the proxy routes that name to the registry double, whose
  // aquasecurity/trivy-db is where trivy looks for its DB first
  proxy.route(GHCR, Number(registry.host.split(':')[1]));
  caDir = mkdtempSync(join(tmpdir(), 'real-tools-proxy-ca-'));
  proxyEnv = proxyEnvWithCaBundle(proxy, caDir);
  await publishTrivyTestDb(registry.url);
  // the token GitHub gives build-sign-push called from acme/web's push to main
  real.sigstore.setClaims({
    repository: CALLER.repository,
    repositoryId: CALLER.repositoryId,
    repositoryOwnerId: CALLER.repositoryOwnerId,
    ref: 'refs/heads/main',
    sha: SHA,
    eventName: 'push',
    jobWorkflowRef: `slipway-org/slipway/.github/workflows/build-sign-push.yml@${slipway.sha}`,
  });
}, 900_000);
afterAll(async () => {
  await Promise.all([registry?.stop(), proxy?.close(), real?.stop()]);
  for (const dir of [caDir, ...jobRoots]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const oidc = () => ({
  requestUrl: real.sigstore.oidcEnv.ACTIONS_ID_TOKEN_REQUEST_URL,
  requestToken: real.sigstore.oidcEnv.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
});
const step = (job: JobRunResult, name: string) => {
  const found = job.steps.find((s) => s.name === name);
  if (!found) throw new Error(`no step '${name}' in ${job.steps.map((s) => s.name).join(', ')}`);
  return found;
};
const errors = (job: JobRunResult) => job.annotations.filter((a) => a.level === 'error');

/** One call of build-sign-push for the app `api`: plan, the build leg, collect. */
async function buildSignPush(inputs: RunWorkflowJobOptions['inputs']) {
  const workflow = slipway.workflow('build-sign-push.yml');
  const upload = uploadArtifactStandIn();
  const sarif = uploadSarifStandIn();
  const build = buildPushStandIn(registry, {
    names: [GHCR],
    pushImage: (repository, tag) => pushScanTarget(registry, repository, tag),
  });
  const common = { workflow, inputs, secrets: {}, github };
  const plan = track(await runWorkflowJob({ ...common, job: 'plan' }));
  expect(plan.conclusion).toBe('success');
  const planned = { plan: { result: 'success', outputs: plan.outputs } };
  const leg = track(
    await runWorkflowJob({
      ...common,
      job: 'build',
      matrix: { app: (JSON.parse(plan.outputs.apps!) as Record<string, string>[])[0]! },
      needs: planned,
      runnerEnv: { ...real.jobEnv(), ...proxyEnv() },
      oidc: oidc(),
      standIns: {
        'actions/checkout': checkoutStandIn({ 'slipway-org/slipway': slipway.dir }).standIn,
        'docker/login-action': dockerLoginStandIn().standIn,
        'docker/setup-qemu-action': () => ({}),
        'docker/setup-buildx-action': setupBuildxStandIn(),
        'docker/build-push-action': build.standIn,
        'github/codeql-action/upload-sarif': sarif.standIn,
        'actions/upload-artifact': upload.standIn,
      },
    }),
  );
  const done = { ...planned, build: { result: leg.conclusion, outputs: {} } };
  const collect =
    leg.conclusion === 'success'
      ? track(
          await runWorkflowJob({
            ...common,
            job: 'collect',
            needs: done,
            jobs: done,
            standIns: { 'actions/download-artifact': downloadArtifactStandIn(upload.artifacts) },
          }),
        )
      : undefined;
  return { leg, collect, sarif, digest: build.builds[0]?.digest ?? '' };
}

/** deploy-gate's verify job for `image`, on a fresh runner. */
async function deployGate(inputs: RunWorkflowJobOptions['inputs']) {
  const job = await runWorkflowJob({
    workflow: slipway.workflow('deploy-gate.yml'),
    job: 'verify',
    inputs: { 'trusted-root': real.trustedRoot, ...inputs },
    github,
    runnerEnv: { ...real.jobEnv(), ...proxyEnv() },
    oidc: oidc(),
    standIns: {
      'actions/checkout': checkoutStandIn({ 'slipway-org/slipway': slipway.dir }).standIn,
      'docker/login-action': dockerLoginStandIn().standIn,
    },
  });
  return track(job);
}

const outcomes = (job: JobRunResult, names: string[]) => names.map((n) => `${step(job, n).outcome} ${n}`);
const VERIFY_STEPS = [
  'Verify the signature',
  'Verify the SBOM attestation',
  'Verify the gate-policy attestation',
  'Hand on the verified reference',
];

describe('build-sign-push.yml then deploy-gate.yml with the real trivy, syft and cosign', () => {
  let built: Awaited<ReturnType<typeof buildSignPush>>;
  let image: string;

  beforeAll(async () => {
    const before = { ...real.sigstore.counts };
    built = await buildSignPush({ apps: '[{"name":"api"}]', registry: `${GHCR}/acme`, 'fail-on': 'none' });
    image = `${GHCR}/acme/api@${built.digest}`;
    // sign, attest the SBOM, attest the gate policy: one certificate and one log entry each
    expect(real.sigstore.counts.fulcio - before.fulcio).toBe(3);
    expect(real.sigstore.counts.rekor - before.rekor).toBe(3);
  }, TIMEOUT);

  it('build: installs the three real programs from the lock file, scans, records the SBOM and signs by digest', () => {
    const { leg, collect, digest } = built;
    expect(errors(leg), leg.log).toEqual([]);
    expect(leg.warnings).toEqual([]);
    expect(leg.conclusion).toBe('success');
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // each real program was downloaded whole from the release double and checked against the lock
    const served = real.tools.server.bytesSent;
    expect(real.assets.map((a) => served.get(a.name))).toEqual(real.assets.map((a) => a.bytes));

    // trivy: exactly the seeded findings of the image's packages and its AWS key, from the DB it
    // downloaded from ghcr.io/aquasecurity/trivy-db
    const scan = step(leg, 'Scan the pushed digest with Trivy');
    expect(leg.log).toContain(`Trivy db downloaded from ${GHCR}/aquasecurity/trivy-db.`);
    const report = { outputs: { 'json-file': scan.outputs['json-file'] } } as unknown as ActionRunResult;
    expect(reportedFindings(report)).toEqual(ALL_SEEDED_FINDINGS);
    expect(scan.outputs).toMatchObject({
      findings: '7',
      critical: '3',
      high: '2',
      medium: '1',
      low: '1',
      unknown: '0',
      gate: 'passed',
      'trivy-version': '0.74.0',
    });

    // the SARIF of the same scan went to code scanning; the secret's location is a path in the image
    const [upload] = built.sarif.uploads;
    expect(built.sarif.uploads).toHaveLength(1);
    expect(upload!.category).toBe(`slipway-trivy/${GHCR}/acme/api`);
    const ruleIds = upload!.sarif.flatMap((log) =>
      (log.runs ?? []).flatMap((r) => (r.results ?? []) as { ruleId?: string }[]).map((x) => x.ruleId),
    );
    expect(ruleIds.sort()).toEqual(ALL_SEEDED_FINDINGS.map((f) => f.id).sort());
    expect(upload!.outsideCheckout).toContain('/app/settings.ini');

    // syft: the SBOM lists exactly the packages the image holds
    const sbom = step(leg, 'Record the SBOM with syft');
    const spdx = JSON.parse(readFileSync(sbom.outputs['spdx-json-file']!, 'utf8')) as SpdxDocument;
    expect(spdxPackages(spdx)).toEqual(SCAN_TARGET_PACKAGES);
    expect(sbom.outputs.packages).toBe(String(SCAN_TARGET_PACKAGES.length));
    expect(spdx.creationInfo.creators).toContain('Tool: syft-1.51.0');

    // cosign: the pushed digest signed and attested (bundles stored as OCI referrers of it)
    const signed = step(leg, 'Sign the digest and attest the SBOM');
    expect(signed.outputs.digest).toBe(digest);
    expect(signed.outputs.signature).toMatch(/^ghcr\.io\/acme\/api@sha256:[0-9a-f]{64}$/);
    expect(signed.outputs.attestation).toMatch(/^ghcr\.io\/acme\/api@sha256:[0-9a-f]{64}$/);
    expect(signed.outputs['rekor-log-index']).toMatch(/^\d+$/);
    expect(step(leg, 'Attest the gate policy').outputs.attestation).toMatch(/@sha256:[0-9a-f]{64}$/);
    // cosign took its Fulcio and Rekor from the runner's TUF mirror (the workflow names neither)
    expect(real.tuf.requests).toContainEqual(
      expect.stringMatching(/^GET \/targets\/[0-9a-f]{64}\.signing_config\.v0\.2\.json 200$/),
    );

    // the gate policy predicate carries what the real scan reported
    const policy = JSON.parse(readFileSync(`${leg.workspace}/gate-policy-api.json`, 'utf8')) as object;
    expect(policy).toEqual({
      scanner: {
        name: 'trivy',
        version: '0.74.0',
        dbVersion: (JSON.parse(scan.outputs['db-version']!) as { UpdatedAt: string }).UpdatedAt,
      },
      policy: { failOn: 'none', ignoreUnfixed: false, severity: 'UNKNOWN' },
      result: {
        gate: 'pass',
        findings: 7,
        counts: { CRITICAL: 3, HIGH: 2, MEDIUM: 1, LOW: 1, UNKNOWN: 0 },
      },
    });
    expect(collect?.workflowOutputs).toMatchObject({ image: `${GHCR}/acme/api`, digest });
    expect(findJobLeaks(leg, [TOKEN])).toEqual([]);
    // cosign fetched its OIDC tokens itself (one per signature): they never passed through a step
    // that could mask them, and none was printed
    expect(real.sigstore.tokens.length).toBeGreaterThanOrEqual(3);
    expect(
      findJobLeaks(leg, real.sigstore.tokens).filter((leak) => !leak.endsWith(' was never masked')),
    ).toEqual([]);
  });

  it(
    'deploy-gate: cosign verifies that signature, the SBOM attestation and the gate policy; the gate passes',
    async () => {
      // max-fail-on none: the image was scanned with fail-on none (its seeded CRITICAL findings would fail HIGH)
      const gate = await deployGate({ image, 'max-fail-on': 'none' });
      expect(errors(gate), gate.log).toEqual([]);
      expect(gate.conclusion).toBe('success');
      expect(outcomes(gate, VERIFY_STEPS)).toEqual(VERIFY_STEPS.map((n) => `success ${n}`));
      expect(VERIFY_STEPS.slice(0, 3).map((n) => step(gate, n).outputs.verified)).toEqual(['1', '1', '1']);
      expect(gate.workflowOutputs).toEqual({ image, digest: built.digest });
    },
    TIMEOUT,
  );

  it(
    'deploy-gate at the default max-fail-on HIGH reads the signed gate policy and refuses the fail-on none scan',
    async () => {
      const gate = await deployGate({ image });
      expect(gate.conclusion).toBe('failure');
      expect(outcomes(gate, VERIFY_STEPS)).toEqual([
        'success Verify the signature',
        'success Verify the SBOM attestation',
        'failure Verify the gate-policy attestation',
        'skipped Hand on the verified reference',
      ]);
      expect(
        errors(gate)
          .map((a) => a.message)
          .join('\n'),
      ).toContain('the image was scanned with fail-on none (the gate never fails); at most HIGH is required');
      expect(gate.workflowOutputs).toEqual({ image: '', digest: '' });
    },
    TIMEOUT,
  );

  it(
    'deploy-gate refuses a digest of the same repository that nobody signed (the image rebuilt and pushed)',
    async () => {
      const rebuilt = await pushScanTarget(registry, 'acme/api', 'rebuilt');
      expect(rebuilt).not.toBe(built.digest);
      const gate = await deployGate({ image: `${GHCR}/acme/api@${rebuilt}`, 'max-fail-on': 'none' });
      expect(gate.conclusion).toBe('failure');
      expect(outcomes(gate, VERIFY_STEPS)).toEqual([
        'failure Verify the signature',
        'skipped Verify the SBOM attestation',
        'skipped Verify the gate-policy attestation',
        'skipped Hand on the verified reference',
      ]);
      expect(errors(gate)).toHaveLength(1);
      expect(errors(gate)[0]!.message).toMatch(
        /^cosign verify failed \(exit \d+\):\nError: no signatures found\n/,
      );
      expect(gate.workflowOutputs).toEqual({ image: '', digest: '' });
    },
    TIMEOUT,
  );
});
