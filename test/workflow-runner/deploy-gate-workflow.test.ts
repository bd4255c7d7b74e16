/**
 * .github/workflows/deploy-gate.yml, job verify, run locally step by step: Slipway's committed
 * verify bundle (engine cosign, its default) installs cosign from the release-asset double and
 * runs the stand-in, which records argv; the test asserts the exact argv the workflow's wiring
 * produced: the identity defaulting to Slipway's build-sign-push at job.workflow_sha, the GitHub
 * issuer, and the workflow-repository constraint defaulting to the calling repository.
 * The double's stand-in prints nothing, so verify (rightly) refuses it: the failure path runs
 * with it; the paths where both verify steps run use the vouching stand-in (vouching-cosign.ts).
 * These are the wiring and fault tests (a cosign that vouches for any image, so that only the
 * workflow's own constraints can refuse it); real-tools-workflows.test.ts runs the gate with the
 * real cosign on an image build-sign-push signed with it.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startForwardProxy, type ForwardProxy } from '../doubles/forward-proxy/forward-proxy.ts';
import { startRegistry, type RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import {
  simulatedRunner,
  startToolReleases,
  type ToolReleases,
} from '../doubles/release-assets/action-env.ts';
import { findJobLeaks } from './job-leaks.ts';
import { runWorkflowJob, type RunWorkflowJobOptions } from './run-workflow-job.ts';
import { checkoutStandIn } from './stand-ins/checkout.ts';
import { dockerLoginStandIn } from './stand-ins/docker-login.ts';
import type { StandIn } from './stand-in.ts';
import { PASSING_GATE_POLICY, startVouchingCosignReleases } from './vouching-cosign.ts';
import { runAction } from '../harness/run-action.ts';
import { sharedFixture } from '../shared-fixtures.ts';
import {
  startSigstoreServices,
  type SigstoreServices,
  type TokenClaims,
} from '../doubles/sigstore/sigstore-services.ts';
import { slipwayAtHead } from './local-repos.ts';

const slipway = slipwayAtHead();
const workflow = slipway.workflow('deploy-gate.yml');
const TOKEN = 'ghs_deploygatejobtoken00000000000000001';
const ISSUER = 'https://token.actions.githubusercontent.com';

let registry: RegistryServer;
let proxy: ForwardProxy;
let stockCosign: ToolReleases;
let vouchingCosign: ToolReleases;
let sigstore: SigstoreServices;
let trustedRoot: string;
let digest: string;
let image: string;

// The calling repository as GitHub describes it to the job (github.repository_id, github.event…).
const CALLER = { repository: 'acme/web', repositoryId: '700001', repositoryOwnerId: '900001' };

/**
 * Pushes an image, signs it keyless with dist/sign and attests its SPDX SBOM, as build-sign-push
 * called from acme/web would.
 */
async function signedBuild(
  tag: string,
  claims: Partial<TokenClaims> = {},
  gatePolicy: object = PASSING_GATE_POLICY,
): Promise<string> {
  const pushed = await registry.pushImage('acme/web', tag);
  const workspace = mkdtempSync(join(tmpdir(), 'deploy-gate-sign-'));
  copyFileSync(sharedFixture('syft/image.spdx.json'), join(workspace, 'sbom.spdx.json'));
  sigstore.setClaims({
    repository: CALLER.repository,
    repositoryId: CALLER.repositoryId,
    repositoryOwnerId: CALLER.repositoryOwnerId,
    jobWorkflowRef: `slipway-org/slipway/.github/workflows/build-sign-push.yml@${slipway.sha}`,
    ...claims,
  });
  try {
    const signed = await runAction({
      actionDir: resolve(slipway.dir, 'actions/sign'),
      workspace,
      inputs: {
        image: `${registry.host}/acme/web@${pushed}`,
        engine: 'native',
        predicate: 'sbom.spdx.json',
        'predicate-type': 'spdxjson',
        'fulcio-url': sigstore.fulcioUrl,
        'rekor-url': sigstore.rekorUrl,
      },
      env: sigstore.oidcEnv,
    });
    if (signed.exitCode !== 0) throw new Error(`signing ${tag} failed:\n${signed.log}`);
    writeFileSync(join(workspace, 'gate-policy.json'), JSON.stringify(gatePolicy));
    const attested = await runAction({
      actionDir: resolve(slipway.dir, 'actions/sign'),
      workspace,
      inputs: {
        image: `${registry.host}/acme/web@${pushed}`,
        engine: 'native',
        sign: 'false',
        predicate: 'gate-policy.json',
        'predicate-type': 'gate-policy',
        'fulcio-url': sigstore.fulcioUrl,
        'rekor-url': sigstore.rekorUrl,
      },
      env: sigstore.oidcEnv,
    });
    if (attested.exitCode !== 0) throw new Error(`attesting ${tag} failed:\n${attested.log}`);
  } finally {
    sigstore.setClaims({});
  }
  return `${registry.host}/acme/web@${pushed}`;
}

beforeAll(async () => {
  [registry, stockCosign, vouchingCosign, proxy, sigstore] = await Promise.all([
    startRegistry(),
    startToolReleases(),
    startVouchingCosignReleases(),
    startForwardProxy(),
    startSigstoreServices(),
  ]);
  // cloud ghcr logs in only to ghcr.io: the proxy routes that name to the registry double
  proxy.route('ghcr.io', Number(registry.host.split(':')[1]));
  trustedRoot = JSON.stringify(sigstore.trustedRoot());
  image = await signedBuild('v1');
  digest = image.slice(image.indexOf('@') + 1);
}, 120_000);
afterAll(async () => {
  await Promise.all([
    registry?.stop(),
    stockCosign?.server.close(),
    vouchingCosign?.server.close(),
    proxy?.close(),
    sigstore?.stop(),
  ]);
});

function gate(inputs: RunWorkflowJobOptions['inputs'], tools: ToolReleases = vouchingCosign) {
  const runner = simulatedRunner(tools);
  const checkout = checkoutStandIn({ 'slipway-org/slipway': slipway.dir });
  const login = dockerLoginStandIn();
  // the docker config right after the login (the job's last step logs out)
  const config: { during?: unknown } = {};
  const loginStandIn: StandIn = (call) => {
    const done = login.standIn(call);
    config.during = JSON.parse(readFileSync(login.calls.at(-1)!.configFile, 'utf8'));
    return done;
  };
  const run = runWorkflowJob({
    workflow,
    job: 'verify',
    inputs,
    github: {
      ...CALLER,
      sha: 'c0ffee0000000000000000000000000000000002',
      ref: 'refs/heads/main',
      event: { repository: { default_branch: 'main' } },
      token: TOKEN,
      actor: 'octocat',
      workflowRepository: 'slipway-org/slipway',
      workflowSha: slipway.sha,
    },
    runnerEnv: { ...runner.env(), ...proxy.env() },
    standIns: { 'actions/checkout': checkout.standIn, 'docker/login-action': loginStandIn },
  });
  const cosignCalls = () =>
    runner
      .calls()
      .filter((c) => c.tool === 'cosign' && !['version', '--version'].includes(c.argv[0] ?? ''))
      .map((c) => c.argv);
  const trustedRootPath = join(runner.root, 'temp', 'slipway-trusted-root.json');
  return { run, cosignCalls, checkout, login, config, trustedRootPath };
}

const outcomes = (result: Awaited<ReturnType<typeof runWorkflowJob>>) =>
  result.steps.map((s) => `${s.outcome} ${s.name}`);
const buildSignPush = () =>
  `https://github.com/slipway-org/slipway/.github/workflows/build-sign-push.yml@${slipway.sha}`;

describe('deploy-gate.yml wiring and faults with stand-in cosign (local runner)', () => {
  it('verifies signature and SBOM attestation with the default identity, issuer and run constraints', async () => {
    const { run, cosignCalls, trustedRootPath } = gate({ image, 'trusted-root': trustedRoot });
    const result = await run;
    expect(result.annotations).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.conclusion).toBe('success');
    expect(outcomes(result)).toEqual([
      'success Check the image reference and work out the expected signer',
      "success Check out Slipway's actions at this workflow's commit",
      'success Keep the cross-run Actions cache out of this job',
      'success Check the registry host for the cloud login and the inputs for line breaks',
      'skipped Cloud credentials through GitHub OIDC',
      'skipped Log in to GHCR',
      'skipped Log in to Amazon ECR (AWS credentials from oidc-login)',
      'skipped Log in to Artifact Registry (access token from oidc-login)',
      'skipped Log in to ACR (Azure token exchanged for an ACR refresh token)',
      'success Verify the signature',
      'success Verify the SBOM attestation',
      'success Verify the gate-policy attestation',
      'success Hand on the verified reference',
      'skipped Log out of the registry',
    ]);
    // the caller's default branch and `push` go to cosign; the repository and owner IDs
    // (github.repository_id / _owner_id) are checked on the Sigstore bundles
    const constraints = [
      '--certificate-identity',
      buildSignPush(),
      '--certificate-oidc-issuer',
      ISSUER,
      '--certificate-github-workflow-repository',
      'acme/web',
      '--certificate-github-workflow-ref',
      'refs/heads/main',
      '--certificate-github-workflow-trigger',
      'push',
      '--trusted-root',
      trustedRootPath,
    ];
    expect(cosignCalls()).toEqual([
      ['verify', ...constraints, '--output', 'json', '--', image],
      ['verify-attestation', '--type', 'spdxjson', ...constraints, '--output', 'json', '--', image],
      [
        'verify-attestation',
        '--type',
        'https://slipway.dev/attestations/gate-policy/v1',
        ...constraints,
        '--output',
        'json',
        '--',
        image,
      ],
    ]);
    expect(result.log).toContain(
      `cosign cannot check source-repository-id, source-repository-owner-id: verifying the Sigstore bundles of ${image}`,
    );
    expect(result.summary).toContain(
      'run in acme/web, repository ID 700001, owner ID 900001, on refs/heads/main, triggered by push',
    );
    expect(result.outputs).toEqual({ image, digest });
    expect(result.workflowOutputs).toEqual({ image, digest });
    // no concurrency group: three gates of one image in a run must all run
    expect(result.concurrencyGroup).toBeUndefined();
  }, 180_000);

  it.each([
    [
      'a push to a feature branch',
      { ref: 'refs/heads/feature' },
      "signed by a run on 'refs/heads/feature', not 'refs/heads/main'",
    ],
    [
      'a pull_request run',
      { ref: 'refs/pull/7/merge', eventName: 'pull_request' },
      "signed by a run on 'refs/pull/7/merge', not 'refs/heads/main'",
    ],
    [
      'a manual dispatch on main',
      { eventName: 'workflow_dispatch' },
      "signed by a run triggered by 'workflow_dispatch', not 'push'",
    ],
    [
      'a re-created acme/web (another repository ID)',
      { repositoryId: '800002' },
      'signed in repository ID 800002, not 700001',
    ],
    [
      'an acme owner re-registered under the name (another owner ID)',
      { repositoryOwnerId: '900002' },
      'signed in a repository of owner ID 900002, not 900001',
    ],
  ] as const)(
    'refuses an image built by %s, which cosign (the stand-in) vouches for',
    async (_what, claims, reason) => {
      const built = await signedBuild(
        `refused-${Object.values(claims)
          .join('-')
          .replace(/[^a-z0-9-]/g, '')}`,
        claims,
      );
      const { run } = gate({ image: built, 'trusted-root': trustedRoot });
      const result = await run;
      expect(result.conclusion).toBe('failure');
      expect(outcomes(result).slice(9)).toEqual([
        'failure Verify the signature',
        'skipped Verify the SBOM attestation',
        'skipped Verify the gate-policy attestation',
        'skipped Hand on the verified reference',
        'skipped Log out of the registry',
      ]);
      expect(result.annotations).toHaveLength(1);
      expect(result.annotations[0]!.message).toMatch(
        /^cosign verified the signature, but the constraints it cannot check \(source-repository-id, source-repository-owner-id\) failed: None of the 1 Sigstore bundle/,
      );
      expect(result.annotations[0]!.message).toContain(reason);
      expect(result.workflowOutputs).toEqual({ image: '', digest: '' });
    },
    180_000,
  );

  it.each([
    [
      'fail-on none',
      { policy: { failOn: 'none', ignoreUnfixed: false, severity: 'UNKNOWN' } },
      {},
      'the image was scanned with fail-on none (the gate never fails); at most HIGH is required',
    ],
    [
      'fail-on CRITICAL',
      { policy: { failOn: 'CRITICAL', ignoreUnfixed: false, severity: 'UNKNOWN' } },
      {},
      'the image was scanned with a gate at CRITICAL, weaker than the required HIGH',
    ],
    [
      'ignore-unfixed, when the caller forbids it',
      { policy: { failOn: 'HIGH', ignoreUnfixed: true, severity: 'UNKNOWN' } },
      { 'allow-ignore-unfixed': false },
      'the scan ignored vulnerabilities without a fix (ignore-unfixed), which is not allowed here',
    ],
  ] as const)(
    'refuses an image whose attested gate policy is %s (signature and SBOM pass)',
    async (_what, policy, inputs, reason) => {
      const weak = await signedBuild(
        `weak-${_what.replace(/[^a-z]/gi, '').toLowerCase()}`,
        {},
        {
          ...PASSING_GATE_POLICY,
          ...policy,
        },
      );
      const result = await gate({ image: weak, 'trusted-root': trustedRoot, ...inputs }).run;
      expect(result.conclusion).toBe('failure');
      expect(outcomes(result).slice(9)).toEqual([
        'success Verify the signature',
        'success Verify the SBOM attestation',
        'failure Verify the gate-policy attestation',
        'skipped Hand on the verified reference',
        'skipped Log out of the registry',
      ]);
      expect(result.annotations).toHaveLength(1);
      expect(result.annotations[0]!.message).toContain(reason);
      expect(result.workflowOutputs).toEqual({ image: '', digest: '' });
    },
    180_000,
  );

  it('max-fail-on none accepts any threshold, but the attestation must be there', async () => {
    const none = await signedBuild(
      'policy-none',
      {},
      {
        ...PASSING_GATE_POLICY,
        policy: { failOn: 'none', ignoreUnfixed: false, severity: 'UNKNOWN' },
      },
    );
    const result = await gate({ image: none, 'trusted-root': trustedRoot, 'max-fail-on': 'none' }).run;
    expect(result.annotations).toEqual([]);
    expect(result.conclusion).toBe('success');
  }, 180_000);

  it("'*' lifts a run constraint, for the caller who asks for it", async () => {
    const feature = await signedBuild('feature-opt-out', {
      ref: 'refs/heads/feature',
      eventName: 'workflow_dispatch',
    });
    const { run, cosignCalls } = gate({
      image: feature,
      'source-repository-ref': '*',
      'allowed-triggers': '*',
      'source-repository-id': '*',
      'source-repository-owner-id': '*',
    });
    const result = await run;
    expect(result.annotations).toEqual([]);
    expect(result.conclusion).toBe('success');
    expect(cosignCalls()[0]).toEqual([
      'verify',
      '--certificate-identity',
      buildSignPush(),
      '--certificate-oidc-issuer',
      ISSUER,
      '--certificate-github-workflow-repository',
      'acme/web',
      '--output',
      'json',
      '--',
      feature,
    ]);
  }, 180_000);

  it('passes the identity regexp, another source repository, another issuer and the CycloneDX predicate through', async () => {
    const regexp = '^https://github\\.com/acme/builds/\\.github/workflows/release\\.yml@refs/tags/v.*$';
    const { run, cosignCalls } = gate({
      image,
      'certificate-identity-regexp': regexp,
      'source-repository': 'acme/builds',
      'source-repository-ref': 'refs/heads/release',
      'allowed-triggers': 'release',
      'sbom-format': 'cyclonedx-json',
      'certificate-oidc-issuer': 'https://ghes.example.com/_services/token',
    });
    const result = await run;
    expect(result.annotations.map((a) => `${a.level} ${a.message}`)).toEqual([
      "warning input 'source-repository-id' is not set for source-repository acme/builds: that numeric ID is not checked (set it, or * to silence this)",
      "warning input 'source-repository-owner-id' is not set for source-repository acme/builds: that numeric ID is not checked (set it, or * to silence this)",
    ]);
    const constraints = [
      '--certificate-identity-regexp',
      `^(?:${regexp})$`,
      '--certificate-oidc-issuer',
      'https://ghes.example.com/_services/token',
      '--certificate-github-workflow-repository',
      'acme/builds',
      '--certificate-github-workflow-ref',
      'refs/heads/release',
      '--certificate-github-workflow-trigger',
      'release',
    ];
    expect(cosignCalls()).toEqual([
      ['verify', ...constraints, '--output', 'json', '--', image],
      ['verify-attestation', '--type', 'cyclonedx', ...constraints, '--output', 'json', '--', image],
      [
        'verify-attestation',
        '--type',
        'https://slipway.dev/attestations/gate-policy/v1',
        ...constraints,
        '--output',
        'json',
        '--',
        image,
      ],
    ]);
    expect(result.conclusion).toBe('success');
  }, 120_000);

  it('cloud ghcr: logs in to ghcr.io with github.actor and github.token before verifying, logs out at the end', async () => {
    const ghcrImage = `ghcr.io/acme/web@${digest}`;
    // The bundles were signed for the registry double's own name; under the ghcr.io name (routed by the
    // proxy) the native check of the ID constraints would rightly refuse them, so this login test
    // lifts those two and leaves the signature to cosign.
    const { run, login, cosignCalls, config } = gate({
      image: ghcrImage,
      cloud: 'ghcr',
      'trusted-root': trustedRoot,
      'source-repository-id': '*',
      'source-repository-owner-id': '*',
    });
    const result = await run;
    expect(result.conclusion, JSON.stringify(result.annotations)).toBe('success');
    expect(outcomes(result).filter((line) => /Log (in to GHCR|out)/.test(line))).toEqual([
      'success Log in to GHCR',
      'success Log out of the registry',
    ]);
    expect(login.calls).toEqual([
      {
        registry: 'ghcr.io',
        username: 'octocat',
        configFile: join(result.home, '.docker', 'config.json'),
      },
    ]);
    // what the login wrote while verify ran; the logout step removed it
    expect(config.during).toEqual({
      auths: { 'ghcr.io': { auth: Buffer.from(`octocat:${TOKEN}`).toString('base64') } },
    });
    expect(JSON.parse(readFileSync(login.calls[0]!.configFile, 'utf8'))).toEqual({ auths: {} });
    expect(cosignCalls()).toHaveLength(3);
    expect(findJobLeaks(result, [TOKEN])).toEqual([]);
  }, 120_000);

  it.each([
    [`127.0.0.1:5000/acme/web@sha256:${'a'.repeat(64)}`, '127.0.0.1:5000'],
    [`ghcr.io.evil.example/acme/web@sha256:${'a'.repeat(64)}`, 'ghcr.io.evil.example'],
  ])(
    'cloud ghcr with image %s: refused before the login, which never gets the token',
    async (other, host) => {
      const { run, login, cosignCalls } = gate({ image: other, cloud: 'ghcr' });
      const result = await run;
      expect(result.conclusion).toBe('failure');
      expect(result.annotations[0]!.message).toBe(
        `input 'image': ${host} is not a registry of cloud 'ghcr' (expected ghcr.io); the job would hand it the ghcr credentials`,
      );
      expect(outcomes(result).slice(3, 6)).toEqual([
        'failure Check the registry host for the cloud login and the inputs for line breaks',
        'skipped Cloud credentials through GitHub OIDC',
        'skipped Log in to GHCR',
      ]);
      expect(login.calls).toEqual([]);
      expect(cosignCalls()).toEqual([]);
    },
    60_000,
  );

  it("with the double's stand-in (prints nothing) the signature step fails and the attestation is not checked", async () => {
    const { run, cosignCalls } = gate({ image }, stockCosign);
    const result = await run;
    expect(result.conclusion).toBe('failure');
    expect(outcomes(result).slice(9)).toEqual([
      'failure Verify the signature',
      'skipped Verify the SBOM attestation',
      'skipped Verify the gate-policy attestation',
      'skipped Hand on the verified reference',
      'skipped Log out of the registry',
    ]);
    expect(cosignCalls()).toEqual([
      [
        'verify',
        '--certificate-identity',
        buildSignPush(),
        '--certificate-oidc-issuer',
        ISSUER,
        '--certificate-github-workflow-repository',
        'acme/web',
        '--certificate-github-workflow-ref',
        'refs/heads/main',
        '--certificate-github-workflow-trigger',
        'push',
        '--output',
        'json',
        '--',
        image,
      ],
    ]);
    expect(result.annotations.map((a) => a.message)).toEqual([
      `Verification failed: cosign verify printed no signature payload for ${digest} (stdout: )\ncosign reported success but printed nothing about the requested digest; the step fails rather than trust that.`,
    ]);
  }, 120_000);

  it.each(['ghcr.io/acme/web:v1', 'ghcr.io/acme/web', `ghcr.io/acme/web:v1@sha256:${'a'.repeat(63)}`])(
    'an image not pinned by digest (%s) fails in the first step: nothing checked out, cosign never runs',
    async (tagged) => {
      const { run, cosignCalls, checkout } = gate({ image: tagged }, stockCosign);
      const result = await run;
      expect(result.conclusion).toBe('failure');
      expect(result.steps.map((s) => s.outcome)).toEqual(['failure', ...Array(13).fill('skipped')]);
      expect(result.annotations.map((a) => a.message)).toEqual([
        "input 'image' must be pinned by digest (name@sha256:<64 hex>); a tag can move after verification",
        'Process completed with exit code 1.',
      ]);
      expect(checkout.calls).toEqual([]);
      expect(cosignCalls()).toEqual([]);
      expect(result.workflowOutputs).toEqual({ image: '', digest: '' });
    },
    60_000,
  );

  it.each([
    [{ 'source-repository': 'acme' }, "input 'source-repository' must be OWNER/REPO"],
    [{ cloud: 'docker-hub' }, "input 'cloud' must be none, ghcr, aws, gcp or azure"],
    [{ 'sbom-format': 'spdx' }, "input 'sbom-format' must be spdx-json or cyclonedx-json"],
    [
      {
        'certificate-identity':
          'https://github.com/acme/web/.github/workflows/x.yml@refs/heads/main\nimage=evil@sha256:0',
      },
      "input 'certificate-identity' contains a line break (CR or LF); it must be one line",
    ],
    [
      { 'source-repository-ref': 'refs/heads/main\r\nx' },
      "input 'source-repository-ref' contains a line break (CR or LF); it must be one line",
    ],
    [
      { 'certificate-oidc-issuer': 'https://a\nb' },
      "input 'certificate-oidc-issuer' contains a line break (CR or LF); it must be one line",
    ],
    [
      { 'allowed-triggers': 'push pull_request' },
      "input 'allowed-triggers' must list event names separated by commas (e.g. push), or * to check none",
    ],
    [
      { 'allowed-triggers': '' },
      "input 'allowed-triggers' must list event names separated by commas (e.g. push), or * to check none",
    ],
    [
      { 'source-repository': 'acme/builds' },
      "input 'source-repository-ref' must be set when source-repository names another repository (e.g. refs/heads/main)",
    ],
    [{ 'source-repository-id': 'acme/web' }, "input 'source-repository-id' must be a numeric ID (or *)"],
    [
      { 'trusted-root': '{"mediaType":"text/plain"}' },
      "input 'trusted-root' is not a Sigstore TrustedRoot JSON document",
    ],
  ])(
    'rejects %j in the first step',
    async (inputs, message) => {
      const { run, cosignCalls } = gate({ image, ...inputs });
      const result = await run;
      expect(result.steps.map((s) => s.outcome)).toEqual(['failure', ...Array(13).fill('skipped')]);
      expect(result.annotations[0]!.message).toBe(message);
      expect(cosignCalls()).toEqual([]);
    },
    60_000,
  );

  // The job outputs come from the last step, which runs only when both verifications passed
  // (they once came from the first step: a caller with `if: always()` got an unverified reference).
  it('outputs no image or digest when verification failed', async () => {
    const result = await gate({ image }, stockCosign).run;
    expect(result.conclusion).toBe('failure');
    expect(result.workflowOutputs).toEqual({ image: '', digest: '' });
  }, 120_000);
});

describe('deploy-gate.yml: where the default ref comes from', () => {
  it('an event payload without the default branch fails in the first step, naming the input to set', async () => {
    const runner = simulatedRunner(vouchingCosign);
    const result = await runWorkflowJob({
      workflow,
      job: 'verify',
      inputs: { image },
      github: {
        ...CALLER,
        sha: 'c0ffee0000000000000000000000000000000002',
        ref: 'refs/heads/main',
        token: TOKEN,
        workflowRepository: 'slipway-org/slipway',
        workflowSha: slipway.sha,
      },
      runnerEnv: runner.env(),
      standIns: { 'actions/checkout': checkoutStandIn({ 'slipway-org/slipway': slipway.dir }).standIn },
    });
    expect(result.steps.map((s) => s.outcome)).toEqual(['failure', ...Array(13).fill('skipped')]);
    expect(result.annotations[0]!.message).toBe(
      "the event payload names no default branch (github.event.repository.default_branch); set input 'source-repository-ref', e.g. refs/heads/main",
    );
  }, 60_000);
});
