/**
 * .github/workflows/build-sign-push.yml with `cloud: aws`, `gcp` and `azure`, on a runner behind an
 * intercepting proxy (cloud-endpoints.ts): the build job's oidc-login step (the committed bundle)
 * fetches the job's GitHub OIDC token and exchanges it at the real host names (sts.<region>.
 * amazonaws.com; sts.googleapis.com and iamcredentials.googleapis.com), which the proxy routes to
 * the STS and Google doubles; the registry login stand-in gets the registry host from the job and
 * the credentials from oidc-login; the build then goes on as in build-sign-push-workflow.test.ts
 * (the build-push stand-in pushes to the OCI registry double standing for the cloud registry);
 * oidc-login's post step runs at the end of the job and removes what it wrote. azure: the curl
 * step's ACR token exchange is a test handler (acr-exchange.ts); docker login is the real CLI.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import {
  simulatedRunner,
  startToolReleases,
  type ToolReleases,
} from '../doubles/release-assets/action-env.ts';
import { startAcrExchange, type AcrExchange } from './acr-exchange.ts';
import { jwtClaims, startCloudEndpoints, TOKEN_HOST, type CloudEndpoints } from './cloud-endpoints.ts';
import { findJobLeaks } from './job-leaks.ts';
import { runWorkflowJob, type JobRunResult, type RunWorkflowJobOptions } from './run-workflow-job.ts';
import { checkoutStandIn } from './stand-ins/checkout.ts';
import { buildPushStandIn, setupBuildxStandIn } from './stand-ins/docker-build.ts';
import { dockerLoginStandIn } from './stand-ins/docker-login.ts';
import { uploadArtifactStandIn } from './stand-ins/upload-artifact.ts';
import { uploadSarifStandIn } from './stand-ins/upload-sarif.ts';
import { slipwayAtHead } from './local-repos.ts';
import type { StandIn } from './stand-in.ts';

const slipway = slipwayAtHead();
const workflow = slipway.workflow('build-sign-push.yml');
const TOKEN = 'ghs_buildsignpushcloudtoken00000000001';
const SHA = 'c0ffee0000000000000000000000000000000004';
const ROLE = 'arn:aws:iam::111122223333:role/gha-ecr-push';
const REGION = 'eu-west-1';
const ECR = `111122223333.dkr.ecr.${REGION}.amazonaws.com`;
const GCP_PROVIDER = 'projects/123456789/locations/global/workloadIdentityPools/github/providers/acme';
const GCP_SA = 'ar-writer@acme-prod.iam.gserviceaccount.com';
const GAR = 'europe-west1-docker.pkg.dev';
const ACR = 'acme.azurecr.io';
const AZURE = {
  clientId: '11111111-2222-3333-4444-555555555555',
  tenantId: '66666666-7777-8888-9999-000000000000',
  subscriptionId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
};

let registry: RegistryServer;
let tools: ToolReleases;
let cloud: CloudEndpoints;
let acr: AcrExchange;

beforeAll(async () => {
  [registry, tools, cloud] = await Promise.all([
    startRegistry(),
    startToolReleases(),
    startCloudEndpoints({
      repository: 'Acme/Web',
      ref: 'refs/heads/main',
      jobWorkflowRef: `slipway-org/slipway/.github/workflows/build-sign-push.yml@${slipway.sha}`,
      aws: { roleArn: ROLE, region: REGION },
      gcp: { provider: GCP_PROVIDER, serviceAccount: GCP_SA },
      azure: AZURE,
    }),
  ]);
  // the OCI registry double stands for the cloud registries (sign and verify read them)
  for (const name of [ECR, GAR]) cloud.proxy.route(name, Number(registry.host.split(':')[1]));
  // ACR's token exchange is a test handler (acr-exchange.ts) in front of the registry double
  acr = await startAcrExchange({
    registry: registry.host,
    accepts: (token) => cloud.azure.issuedSecrets.includes(token),
  });
  cloud.proxy.route(ACR, Number(new URL(acr.url).port));
});
afterAll(async () => {
  await Promise.all([registry?.stop(), tools?.server.close(), cloud?.close(), acr?.close()]);
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

/** plan, then the build job for the one app, on a runner behind the proxy. */
async function buildOneApp(inputs: RunWorkflowJobOptions['inputs']) {
  const plan = await runWorkflowJob({ workflow, job: 'plan', inputs, github });
  expect(plan.conclusion).toBe('success');
  return buildLeg(inputs, plan);
}

/** The build job for the plan's first app, on a runner behind the proxy. */
async function buildLeg(inputs: RunWorkflowJobOptions['inputs'], plan: JobRunResult) {
  const runner = simulatedRunner(tools);
  const build = buildPushStandIn(registry, { names: [ECR, GAR, ACR] });
  const login = dockerLoginStandIn();
  // what the credential file oidc-login wrote looked like while the job ran (post removes it)
  const credentialsFile: { path: string; existed: boolean }[] = [];
  const loginStandIn: StandIn = (call) => {
    const path = call.env.GOOGLE_APPLICATION_CREDENTIALS ?? '';
    credentialsFile.push({ path, existed: path !== '' && existsSync(path) });
    return login.standIn(call);
  };
  const from = cloud.proxy.log.length;
  const leg = await runWorkflowJob({
    workflow,
    job: 'build',
    inputs,
    github,
    matrix: { app: (JSON.parse(plan.outputs.apps!) as Record<string, string>[])[0]! },
    needs: { plan: { result: 'success', outputs: plan.outputs } },
    runnerEnv: { ...runner.env({ RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'leg-temp-')) }), ...cloud.env() },
    oidc: cloud.oidc,
    standIns: {
      'actions/checkout': checkoutStandIn({ 'slipway-org/slipway': slipway.dir }).standIn,
      'docker/login-action': loginStandIn,
      'docker/setup-buildx-action': setupBuildxStandIn(),
      'docker/build-push-action': build.standIn,
      'github/codeql-action/upload-sarif': uploadSarifStandIn().standIn,
      'actions/upload-artifact': uploadArtifactStandIn().standIn,
    },
  });
  return { leg, build, login, runner, credentialsFile, proxied: cloud.seen(from) };
}

const outcomes = (result: Awaited<ReturnType<typeof runWorkflowJob>>) =>
  result.steps.map((s) => `${s.outcome} ${s.name}`);
const oidcLogin = (result: Awaited<ReturnType<typeof runWorkflowJob>>) =>
  result.steps.find((s) => s.name === 'Cloud credentials through GitHub OIDC')!;

describe('build-sign-push.yml with a cloud registry (local runner, behind a proxy)', () => {
  it('aws: oidc-login assumes the role through STS, the ECR login gets the registry, post cleans up at the end', async () => {
    const stsCalls = cloud.sts.calls.length;
    const { leg, build, login, runner, proxied } = await buildOneApp({
      apps: '[{"name":"api"}]',
      registry: `${ECR}/Acme`,
      cloud: 'aws',
      'aws-role-arn': ROLE,
      'aws-region': REGION,
      'fail-on': 'none',
    });
    expect(leg.annotations).toEqual([]);
    expect(leg.warnings).toEqual([]);
    expect(outcomes(leg)).toEqual([
      'success Keep the cross-run Actions cache out of this job',
      "success Check that this workflow's own commit is known",
      "success Check out Slipway's actions at this workflow's commit",
      'success Registry host',
      'success Cloud credentials through GitHub OIDC',
      'skipped Log in to GHCR',
      'success Log in to Amazon ECR (AWS credentials from oidc-login)',
      'skipped Log in to Artifact Registry (access token from oidc-login)',
      'skipped Log in to ACR (Azure token exchanged for an ACR refresh token)',
      'skipped Set up QEMU for foreign platforms',
      'success Set up buildx',
      'success Build and push with provenance',
      'success Scan the pushed digest with Trivy',
      'success Upload the scan to code scanning',
      'success Record the SBOM with syft',
      'success Sign the digest and attest the SBOM',
      "skipped Attest each platform image's SBOM to its own digest",
      'success Write the gate policy predicate',
      'success Attest the gate policy',
      "success Record this app's result for the workflow outputs",
      "success Upload this app's result",
      'success Log out of the registry',
      'success Post Cloud credentials through GitHub OIDC',
    ]);
    expect(leg.conclusion).toBe('success');

    // through the proxy, under the real names: the job's token endpoint, then STS in the region;
    // later, sign reads the pushed manifest from "ECR" (the registry double) by digest
    expect(proxied.filter((line) => !line.includes(ECR))).toEqual([
      `GET https://${TOKEN_HOST}/_apis/token?api-version=2.0&audience=sts.amazonaws.com 200`,
      `POST https://sts.${REGION}.amazonaws.com/ 200`,
    ]);
    expect(proxied[2]).toBe(`HEAD https://${ECR}/v2/acme/api/manifests/${build.builds[0]!.digest} 200`);
    const [call, ...more] = cloud.sts.calls.slice(stsCalls);
    expect(more).toEqual([]);
    expect(call!.action).toBe('AssumeRoleWithWebIdentity');
    expect(call!.status).toBe(200);
    expect(call!.params.RoleArn).toBe(ROLE);
    const claims = jwtClaims(call!.params.WebIdentityToken!);
    expect([claims.aud, claims.sub, claims.repository]).toEqual([
      'sts.amazonaws.com',
      'repo:Acme/Web:ref:refs/heads/main',
      'Acme/Web',
    ]);
    const [keyId, secretKey, sessionToken] = cloud.sts.issuedSecrets.slice(-3) as [string, string, string];
    const oidcStep = oidcLogin(leg);
    expect(oidcStep.outputs['aws-account-id']).toBe('111122223333');
    expect(oidcStep.exported).toMatchObject({
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_ACCESS_KEY_ID: keyId,
    });

    // the ECR login got the host from the job and the key from oidc-login
    expect(login.calls.map((c) => [c.registry, c.username])).toEqual([[ECR, 'AWS']]);
    const digest = build.builds[0]!.digest;
    expect(build.builds[0]!.tags).toEqual([`${ECR}/acme/api:${SHA}`]);
    const cosign = runner.calls().filter((c) => c.tool === 'cosign' && c.argv[0] !== 'version');
    expect(cosign.map((c) => [c.argv[0], c.argv.at(-1)])).toEqual([
      ['sign', `${ECR}/acme/api@${digest}`],
      ['attest', `${ECR}/acme/api@${digest}`],
      ['attest', `${ECR}/acme/api@${digest}`],
    ]);

    // post ran last and blanked the credential variables for anything after it
    expect(leg.steps.at(-1)!.stage).toBe('post');
    expect(leg.env).toMatchObject({
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
    });
    expect(findJobLeaks(leg, [TOKEN, secretKey, sessionToken])).toEqual([]);
  }, 300_000);

  it('gcp: oidc-login federates through Google STS and impersonates the service account; the login gets the access token', async () => {
    const googleCalls = cloud.google.calls.length;
    const { leg, build, login, credentialsFile, proxied } = await buildOneApp({
      apps: '[{"name":"api"}]',
      registry: `${GAR}/acme-prod/images`,
      cloud: 'gcp',
      'gcp-workload-identity-provider': GCP_PROVIDER,
      'gcp-service-account': GCP_SA,
      'fail-on': 'none',
    });
    expect(leg.annotations).toEqual([]);
    expect(leg.warnings).toEqual([]);
    expect(leg.conclusion).toBe('success');
    expect(outcomes(leg).filter((line) => /Log in|Cloud credentials/.test(line))).toEqual([
      'success Cloud credentials through GitHub OIDC',
      'skipped Log in to GHCR',
      'skipped Log in to Amazon ECR (AWS credentials from oidc-login)',
      'success Log in to Artifact Registry (access token from oidc-login)',
      'skipped Log in to ACR (Azure token exchanged for an ACR refresh token)',
      'success Post Cloud credentials through GitHub OIDC',
    ]);
    expect(leg.steps.at(-1)!.name).toBe('Post Cloud credentials through GitHub OIDC');
    const audience = `https://iam.googleapis.com/${GCP_PROVIDER}`;
    expect(proxied.filter((line) => !line.includes(GAR))).toEqual([
      `GET https://${TOKEN_HOST}/_apis/token?api-version=2.0&audience=${encodeURIComponent(audience)} 200`,
      'POST https://sts.googleapis.com/v1/token 200',
      `POST https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${encodeURIComponent(GCP_SA)}:generateAccessToken 200`,
    ]);
    const [sts, impersonation] = cloud.google.calls.slice(googleCalls);
    expect(sts!.body.audience).toBe(`//iam.googleapis.com/${GCP_PROVIDER}`);
    expect(jwtClaims(String(sts!.body.subjectToken)).aud).toBe(audience);
    expect(impersonation!.route).toBe('generateAccessToken');
    const accessToken = cloud.google.issuedSecrets.at(-1)!;
    expect(oidcLogin(leg).outputs['access-token']).toBe(accessToken);

    expect(login.calls.map((c) => [c.registry, c.username])).toEqual([[GAR, 'oauth2accesstoken']]);
    expect(build.builds[0]!.tags).toEqual([`${GAR}/acme-prod/images/api:${SHA}`]);
    // the credentials file existed under RUNNER_TEMP while the job ran; post removed it at the end
    expect(credentialsFile).toHaveLength(1);
    expect(credentialsFile[0]!.existed).toBe(true);
    expect(credentialsFile[0]!.path.startsWith(leg.runnerTemp)).toBe(true);
    expect(existsSync(credentialsFile[0]!.path)).toBe(false);
    expect(leg.steps.at(-1)!.log).toContain('Removed ');
    expect(findJobLeaks(leg, [TOKEN, ...cloud.google.issuedSecrets.slice(-2)])).toEqual([]);
  }, 300_000);

  it('azure: Azure token for the ACR audience, ACR refresh token, real docker login; the push uses that login; logout at the end', async () => {
    const { leg, build, login, proxied } = await buildOneApp({
      apps: '[{"name":"api"}]',
      registry: `${ACR}/team`,
      cloud: 'azure',
      'azure-client-id': AZURE.clientId,
      'azure-tenant-id': AZURE.tenantId,
      'azure-subscription-id': AZURE.subscriptionId,
      'fail-on': 'none',
    });
    expect(leg.annotations).toEqual([]);
    expect(leg.warnings).toEqual([]);
    expect(leg.conclusion).toBe('success');
    expect(outcomes(leg).filter((line) => /Log in|Cloud credentials|Build and push/.test(line))).toEqual([
      'success Cloud credentials through GitHub OIDC',
      'skipped Log in to GHCR',
      'skipped Log in to Amazon ECR (AWS credentials from oidc-login)',
      'skipped Log in to Artifact Registry (access token from oidc-login)',
      'success Log in to ACR (Azure token exchanged for an ACR refresh token)',
      'success Build and push with provenance',
      'success Post Cloud credentials through GitHub OIDC',
    ]);
    expect(proxied.slice(0, 4)).toEqual([
      `GET https://${TOKEN_HOST}/_apis/token?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange 200`,
      `POST https://login.microsoftonline.com/${AZURE.tenantId}/oauth2/v2.0/token 200`,
      `POST https://${ACR}/oauth2/exchange 200`,
      `GET https://${ACR}/v2/ 200`,
    ]);
    const accessToken = cloud.azure.issuedSecrets.at(-1)!;
    expect(acr.exchanges.at(-1)).toEqual({
      grant_type: 'access_token',
      service: ACR,
      tenant: AZURE.tenantId,
      access_token: accessToken,
    });
    // the token asked of Entra is for ACR's audience, not Azure Resource Manager's
    expect(cloud.azure.calls.at(-1)!.params.scope).toBe('https://containerregistry.azure.net/.default');
    // the docker CLI's login is gone once the job ends
    expect(outcomes(leg).filter((line) => line.includes('Log out'))).toEqual([
      'success Log out of the registry',
    ]);
    const dockerConfig = JSON.parse(readFileSync(join(leg.home, '.docker', 'config.json'), 'utf8')) as {
      auths?: Record<string, unknown>;
    };
    expect(Object.keys(dockerConfig.auths ?? {})).toEqual([]);
    // no login-action step: the push found the docker CLI's login for the registry
    expect(login.calls).toEqual([]);
    expect(build.builds[0]!.tags).toEqual([`${ACR}/team/api:${SHA}`]);
    expect(existsSync(oidcLogin(leg).outputs['federated-token-file']!)).toBe(false);
    expect(findJobLeaks(leg, [TOKEN, accessToken, acr.issued.at(-1)!])).toEqual([]);
  }, 300_000);

  it.each([
    ['aws', 'evil.example/acme', { 'aws-role-arn': ROLE, 'aws-region': REGION }],
    ['aws', `${ECR}.evil.example/acme`, { 'aws-role-arn': ROLE, 'aws-region': REGION }],
    [
      'gcp',
      `${GAR}.evil.example/acme`,
      { 'gcp-workload-identity-provider': GCP_PROVIDER, 'gcp-service-account': GCP_SA },
    ],
    [
      'azure',
      `${ACR}.evil.example/team`,
      {
        'azure-client-id': AZURE.clientId,
        'azure-tenant-id': AZURE.tenantId,
        'azure-subscription-id': AZURE.subscriptionId,
      },
    ],
    ['azure', 'ghcr.io/team', { 'azure-client-id': AZURE.clientId, 'azure-tenant-id': AZURE.tenantId }],
  ])(
    '%s: registry %s is refused by plan, naming the input, before any token is requested',
    async (cloudName, registryInput, login) => {
      const inputs = {
        apps: '[{"name":"api"}]',
        registry: registryInput,
        cloud: cloudName,
        'fail-on': 'none',
        ...login,
      };
      const counts = () => [
        cloud.sts.calls.length,
        cloud.google.calls.length,
        cloud.azure.calls.length,
        acr.exchanges.length,
      ];
      const before = counts();
      const from = cloud.proxy.log.length;
      const plan = await runWorkflowJob({ workflow, job: 'plan', inputs, github });
      // GitHub starts the build job (id-token: write, the logins) only after plan succeeded
      const leg = plan.conclusion === 'success' ? (await buildLeg(inputs, plan)).leg : undefined;
      const host = registryInput.split('/')[0]!;
      expect(plan.annotations.map((a) => a.message)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^input 'registry': ${host.replace(/\./g, '\\.')} is not a registry of cloud '${cloudName}' \\(expected `,
          ),
        ),
        'Process completed with exit code 1.',
      ]);
      expect(plan.conclusion).toBe('failure');
      expect(leg).toBeUndefined();
      expect(counts()).toEqual(before);
      expect(cloud.seen(from)).toEqual([]);
    },
    300_000,
  );
});
