/**
 * .github/workflows/deploy-gate.yml, job verify, run locally step by step: Slipway's committed
 * verify bundle (engine cosign, its default) installs cosign from the release-asset double and
 * runs the stand-in, which records argv; the test asserts the exact argv the workflow's wiring
 * produced: the identity defaulting to Slipway's build-sign-push at job.workflow_sha, the GitHub
 * issuer, and the workflow-repository constraint defaulting to the calling repository.
 * The double's stand-in prints nothing, so verify (rightly) refuses it: the failure path runs
 * with it; the paths where both verify steps run use the vouching stand-in (vouching-cosign.ts).
 */
import { readFileSync } from 'node:fs';
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
import { runWorkflowJob, type RunWorkflowJobOptions } from './run-workflow-job.ts';
import { checkoutStandIn } from './stand-ins/checkout.ts';
import { dockerLoginStandIn } from './stand-ins/docker-login.ts';
import type { StandIn } from './stand-in.ts';
import { startVouchingCosignReleases } from './vouching-cosign.ts';
import { slipwayAtHead } from './local-repos.ts';

const slipway = slipwayAtHead();
const workflow = slipway.workflow('deploy-gate.yml');
const TOKEN = 'ghs_deploygatejobtoken00000000000000001';
const ISSUER = 'https://token.actions.githubusercontent.com';

let registry: RegistryServer;
let proxy: ForwardProxy;
let stockCosign: ToolReleases;
let vouchingCosign: ToolReleases;
let digest: string;
let image: string;

beforeAll(async () => {
  [registry, stockCosign, vouchingCosign, proxy] = await Promise.all([
    startRegistry(),
    startToolReleases(),
    startVouchingCosignReleases(),
    startForwardProxy(),
  ]);
  // cloud ghcr logs in only to ghcr.io: the proxy routes that name to the registry double
  proxy.route('ghcr.io', Number(registry.host.split(':')[1]));
  digest = await registry.pushImage('acme/web', 'v1');
  image = `${registry.host}/acme/web@${digest}`;
});
afterAll(async () => {
  await Promise.all([
    registry?.stop(),
    stockCosign?.server.close(),
    vouchingCosign?.server.close(),
    proxy?.close(),
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
      repository: 'acme/web',
      sha: 'c0ffee0000000000000000000000000000000002',
      ref: 'refs/heads/main',
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
  return { run, cosignCalls, checkout, login, config };
}

const outcomes = (result: Awaited<ReturnType<typeof runWorkflowJob>>) =>
  result.steps.map((s) => `${s.outcome} ${s.name}`);
const buildSignPush = () =>
  `https://github.com/slipway-org/slipway/.github/workflows/build-sign-push.yml@${slipway.sha}`;

describe('deploy-gate.yml (local runner)', () => {
  it('verifies signature and SBOM attestation with the default identity, issuer and source repository', async () => {
    const { run, cosignCalls } = gate({ image });
    const result = await run;
    expect(result.annotations).toEqual([]);
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
      'success Hand on the verified reference',
      'skipped Log out of the registry',
    ]);
    const constraints = [
      '--certificate-identity',
      buildSignPush(),
      '--certificate-oidc-issuer',
      ISSUER,
      '--certificate-github-workflow-repository',
      'acme/web',
    ];
    expect(cosignCalls()).toEqual([
      ['verify', ...constraints, '--output', 'json', '--', image],
      ['verify-attestation', '--type', 'spdxjson', ...constraints, '--output', 'json', '--', image],
    ]);
    expect(result.outputs).toEqual({ image, digest });
    expect(result.workflowOutputs).toEqual({ image, digest });
    // no concurrency group: three gates of one image in a run must all run
    expect(result.concurrencyGroup).toBeUndefined();
  }, 120_000);

  it('passes the identity regexp, another source repository, another issuer and the CycloneDX predicate through', async () => {
    const regexp = '^https://github\\.com/acme/builds/\\.github/workflows/release\\.yml@refs/tags/v.*$';
    const { run, cosignCalls } = gate({
      image,
      'certificate-identity-regexp': regexp,
      'source-repository': 'acme/builds',
      'sbom-format': 'cyclonedx-json',
      'certificate-oidc-issuer': 'https://ghes.example.com/_services/token',
    });
    const result = await run;
    expect(result.annotations).toEqual([]);
    const constraints = [
      '--certificate-identity-regexp',
      regexp,
      '--certificate-oidc-issuer',
      'https://ghes.example.com/_services/token',
      '--certificate-github-workflow-repository',
      'acme/builds',
    ];
    expect(cosignCalls()).toEqual([
      ['verify', ...constraints, '--output', 'json', '--', image],
      ['verify-attestation', '--type', 'cyclonedx', ...constraints, '--output', 'json', '--', image],
    ]);
    expect(result.conclusion).toBe('success');
  }, 120_000);

  it('cloud ghcr: logs in to ghcr.io with github.actor and github.token before verifying, logs out at the end', async () => {
    const ghcrImage = `ghcr.io/acme/web@${digest}`;
    const { run, login, cosignCalls, config } = gate({ image: ghcrImage, cloud: 'ghcr' });
    const result = await run;
    expect(result.conclusion).toBe('success');
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
    expect(cosignCalls()).toHaveLength(2);
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
      expect(result.steps.map((s) => s.outcome)).toEqual(['failure', ...Array(12).fill('skipped')]);
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
  ])(
    'rejects %j in the first step',
    async (inputs, message) => {
      const { run, cosignCalls } = gate({ image, ...inputs });
      const result = await run;
      expect(result.steps.map((s) => s.outcome)).toEqual(['failure', ...Array(12).fill('skipped')]);
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
