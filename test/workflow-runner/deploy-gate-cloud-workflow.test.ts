/**
 * .github/workflows/deploy-gate.yml, job verify, with `cloud: aws | gcp | azure`, on a runner behind
 * an intercepting proxy (cloud-endpoints.ts): oidc-login (the committed bundle) exchanges the job's
 * GitHub OIDC token at sts.<region>.amazonaws.com, sts.googleapis.com + iamcredentials.googleapis.com
 * or login.microsoftonline.com (doubles behind the proxy); the registry login gets the credentials;
 * both verify steps run (vouching cosign stand-in, see vouching-cosign.ts) against the image in the
 * OCI registry double, which stands for the cloud registry; oidc-login's post step runs last.
 * azure: the workflow's curl step exchanges the Azure token at https://<registry>/oauth2/exchange,
 * answered by a test handler (acr-exchange.ts, the only non-double endpoint here), and the real
 * docker CLI logs in through the proxy.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import { simulatedRunner, type ToolReleases } from '../doubles/release-assets/action-env.ts';
import { startAcrExchange, type AcrExchange } from './acr-exchange.ts';
import { jwtClaims, startCloudEndpoints, TOKEN_HOST, type CloudEndpoints } from './cloud-endpoints.ts';
import { findJobLeaks } from './job-leaks.ts';
import { runWorkflowJob, type RunWorkflowJobOptions } from './run-workflow-job.ts';
import { checkoutStandIn } from './stand-ins/checkout.ts';
import { dockerLoginStandIn } from './stand-ins/docker-login.ts';
import { startVouchingCosignReleases } from './vouching-cosign.ts';
import { slipwayAtHead } from './local-repos.ts';

const slipway = slipwayAtHead();
const workflow = slipway.workflow('deploy-gate.yml');
const TOKEN = 'ghs_deploygatecloudtoken000000000000001';
const ROLE = 'arn:aws:iam::111122223333:role/gha-ecr-pull';
const REGION = 'us-west-2';
const ECR = `111122223333.dkr.ecr.${REGION}.amazonaws.com`;
const GCP_PROVIDER = 'projects/987654321/locations/global/workloadIdentityPools/github/providers/acme';
const GCP_SA = 'ar-reader@acme-prod.iam.gserviceaccount.com';
const GAR = 'us-docker.pkg.dev';
const ACR = 'acmeprod.azurecr.io';
const AZURE = {
  clientId: '11111111-2222-3333-4444-555555555555',
  tenantId: '66666666-7777-8888-9999-000000000000',
  subscriptionId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
};

let registry: RegistryServer;
let cosign: ToolReleases;
let cloud: CloudEndpoints;
let acr: AcrExchange;
let digest: string;

beforeAll(async () => {
  [registry, cosign, cloud] = await Promise.all([
    startRegistry(),
    startVouchingCosignReleases(),
    startCloudEndpoints({
      repository: 'Acme/Web',
      ref: 'refs/heads/main',
      jobWorkflowRef: `slipway-org/slipway/.github/workflows/deploy-gate.yml@${slipway.sha}`,
      aws: { roleArn: ROLE, region: REGION },
      gcp: { provider: GCP_PROVIDER, serviceAccount: GCP_SA },
      azure: AZURE,
    }),
  ]);
  acr = await startAcrExchange({
    registry: registry.host,
    accepts: (token) => cloud.azure.issuedSecrets.includes(token),
  });
  digest = await registry.pushImage('acme/web', 'v1');
  // the OCI registry double stands for the cloud registries; ACR's token exchange is acr-exchange.ts
  for (const name of [ECR, GAR]) cloud.proxy.route(name, Number(registry.host.split(':')[1]));
  cloud.proxy.route(ACR, Number(new URL(acr.url).port));
});
afterAll(async () => {
  await Promise.all([registry?.stop(), cosign?.server.close(), cloud?.close(), acr?.close()]);
});

async function gate(inputs: RunWorkflowJobOptions['inputs']) {
  const runner = simulatedRunner(cosign);
  const login = dockerLoginStandIn();
  const from = cloud.proxy.log.length;
  const result = await runWorkflowJob({
    workflow,
    job: 'verify',
    // the run constraints the bundles carry are tested in deploy-gate-workflow.test.ts; the images
    // here carry no Sigstore bundle, so the repository IDs (checked on the bundles) are lifted
    inputs: { 'source-repository-id': '*', 'source-repository-owner-id': '*', ...inputs },
    github: {
      repository: 'Acme/Web',
      event: { repository: { default_branch: 'main' } },
      sha: 'c0ffee0000000000000000000000000000000005',
      ref: 'refs/heads/main',
      token: TOKEN,
      actor: 'octocat',
      workflowRepository: 'slipway-org/slipway',
      workflowSha: slipway.sha,
    },
    runnerEnv: { ...runner.env(), ...cloud.env() },
    oidc: cloud.oidc,
    standIns: {
      'actions/checkout': checkoutStandIn({ 'slipway-org/slipway': slipway.dir }).standIn,
      'docker/login-action': login.standIn,
    },
  });
  const verified = runner
    .calls()
    .filter((c) => c.tool === 'cosign' && c.argv[0]?.startsWith('verify'))
    .map((c) => [c.argv[0], c.argv.at(-1)]);
  return { result, login, verified, proxied: cloud.seen(from) };
}

const ran = (result: Awaited<ReturnType<typeof runWorkflowJob>>) =>
  result.steps.filter((s) => s.outcome !== 'skipped').map((s) => `${s.outcome} ${s.name}`);
const VERIFY_STEPS = [
  'success Verify the signature',
  'success Verify the SBOM attestation',
  'success Verify the gate-policy attestation',
  'success Hand on the verified reference',
  'success Log out of the registry',
  'success Post Cloud credentials through GitHub OIDC',
];
const oidcLogin = (result: Awaited<ReturnType<typeof runWorkflowJob>>) =>
  result.steps.find((s) => s.name === 'Cloud credentials through GitHub OIDC')!;

describe('deploy-gate.yml with a cloud registry (local runner, behind a proxy)', () => {
  it('aws: oidc-login assumes the pull role through STS, ECR login, both verifications, post last', async () => {
    const image = `${ECR}/acme/web@${digest}`;
    const stsCalls = cloud.sts.calls.length;
    const { result, login, verified, proxied } = await gate({
      image,
      cloud: 'aws',
      'aws-role-arn': ROLE,
      'aws-region': REGION,
    });
    expect(result.annotations).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(ran(result)).toEqual([
      'success Check the image reference and work out the expected signer',
      "success Check out Slipway's actions at this workflow's commit",
      'success Keep the cross-run Actions cache out of this job',
      'success Check the registry host for the cloud login and the inputs for line breaks',
      'success Cloud credentials through GitHub OIDC',
      'success Log in to Amazon ECR (AWS credentials from oidc-login)',
      ...VERIFY_STEPS,
    ]);
    expect(result.conclusion).toBe('success');
    expect(proxied.filter((line) => !line.includes(ECR))).toEqual([
      `GET https://${TOKEN_HOST}/_apis/token?api-version=2.0&audience=sts.amazonaws.com 200`,
      `POST https://sts.${REGION}.amazonaws.com/ 200`,
    ]);
    const calls = cloud.sts.calls.slice(stsCalls);
    expect(calls.map((c) => [c.action, c.params.RoleArn, c.status])).toEqual([
      ['AssumeRoleWithWebIdentity', ROLE, 200],
    ]);
    expect(jwtClaims(calls[0]!.params.WebIdentityToken!).aud).toBe('sts.amazonaws.com');
    expect(login.calls.map((c) => [c.registry, c.username])).toEqual([[ECR, 'AWS']]);
    expect(verified).toEqual([
      ['verify', image],
      ['verify-attestation', image],
      ['verify-attestation', image],
    ]);
    expect(result.outputs).toEqual({ image, digest });
    expect(result.env).toMatchObject({
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
    });
    expect(findJobLeaks(result, [TOKEN, ...cloud.sts.issuedSecrets.slice(-2)])).toEqual([]);
  }, 180_000);

  it('gcp: Google STS then IAM Credentials; Artifact Registry login with the access token', async () => {
    const image = `${GAR}/acme-prod/images/web@${await registry.pushImage('acme-prod/images/web', 'v1')}`;
    const { result, login, verified, proxied } = await gate({
      image,
      cloud: 'gcp',
      'gcp-workload-identity-provider': GCP_PROVIDER,
      'gcp-service-account': GCP_SA,
    });
    expect(result.annotations).toEqual([]);
    expect(ran(result)).toEqual([
      'success Check the image reference and work out the expected signer',
      "success Check out Slipway's actions at this workflow's commit",
      'success Keep the cross-run Actions cache out of this job',
      'success Check the registry host for the cloud login and the inputs for line breaks',
      'success Cloud credentials through GitHub OIDC',
      'success Log in to Artifact Registry (access token from oidc-login)',
      ...VERIFY_STEPS,
    ]);
    expect(proxied.filter((line) => !line.includes(GAR))).toEqual([
      `GET https://${TOKEN_HOST}/_apis/token?api-version=2.0&audience=${encodeURIComponent(`https://iam.googleapis.com/${GCP_PROVIDER}`)} 200`,
      'POST https://sts.googleapis.com/v1/token 200',
      `POST https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${encodeURIComponent(GCP_SA)}:generateAccessToken 200`,
    ]);
    expect(login.calls.map((c) => [c.registry, c.username])).toEqual([[GAR, 'oauth2accesstoken']]);
    expect(verified).toEqual([
      ['verify', image],
      ['verify-attestation', image],
      ['verify-attestation', image],
    ]);
    const file = oidcLogin(result).outputs['credentials-file']!;
    expect(file.startsWith(result.runnerTemp)).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(findJobLeaks(result, [TOKEN, ...cloud.google.issuedSecrets.slice(-2)])).toEqual([]);
  }, 180_000);

  it('azure: Microsoft identity platform token for the ACR audience, ACR refresh token from the exchange, docker login, logout', async () => {
    const image = `${ACR}/acme/web@${digest}`;
    const { result, verified, proxied } = await gate({
      image,
      cloud: 'azure',
      'azure-client-id': AZURE.clientId,
      'azure-tenant-id': AZURE.tenantId,
      'azure-subscription-id': AZURE.subscriptionId,
    });
    expect(result.annotations).toEqual([]);
    expect(ran(result)).toEqual([
      'success Check the image reference and work out the expected signer',
      "success Check out Slipway's actions at this workflow's commit",
      'success Keep the cross-run Actions cache out of this job',
      'success Check the registry host for the cloud login and the inputs for line breaks',
      'success Cloud credentials through GitHub OIDC',
      'success Log in to ACR (Azure token exchanged for an ACR refresh token)',
      ...VERIFY_STEPS,
    ]);
    expect(proxied.slice(0, 4)).toEqual([
      `GET https://${TOKEN_HOST}/_apis/token?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange 200`,
      `POST https://login.microsoftonline.com/${AZURE.tenantId}/oauth2/v2.0/token 200`,
      `POST https://${ACR}/oauth2/exchange 200`,
      `GET https://${ACR}/v2/ 200`,
    ]);
    const accessToken = cloud.azure.issuedSecrets.at(-1)!;
    // a token for ACR's audience, not a full Azure Resource Manager token
    expect(cloud.azure.calls.at(-1)!.params.scope).toBe('https://containerregistry.azure.net/.default');
    expect(acr.exchanges.at(-1)).toEqual({
      grant_type: 'access_token',
      service: ACR,
      tenant: AZURE.tenantId,
      access_token: accessToken,
    });
    const refresh = acr.issued.at(-1)!;
    const acrLogin = result.steps.find((s) => s.name.startsWith('Log in to ACR'))!;
    expect(acrLogin.log).toContain('Login Succeeded');
    // the docker CLI's login (the refresh token) is gone once the job ends
    const config = JSON.parse(readFileSync(join(result.home, '.docker', 'config.json'), 'utf8')) as {
      auths?: Record<string, unknown>;
    };
    expect(config.auths ?? {}).toEqual({});
    expect(verified).toEqual([
      ['verify', image],
      ['verify-attestation', image],
      ['verify-attestation', image],
    ]);
    const tokenFile = oidcLogin(result).outputs['federated-token-file']!;
    expect(existsSync(tokenFile)).toBe(false);
    expect(findJobLeaks(result, [TOKEN, accessToken, refresh])).toEqual([]);
  }, 180_000);

  it.each([
    ['azure', `${ACR}.evil.example`],
    ['azure', 'ghcr.io'],
    ['aws', `${ECR}.evil.example`],
    ['gcp', 'evil.example'],
  ])(
    '%s with an image on %s: refused before any token is requested',
    async (cloudName, host) => {
      const counts = () => [
        cloud.sts.calls.length,
        cloud.google.calls.length,
        cloud.azure.calls.length,
        acr.exchanges.length,
      ];
      const before = counts();
      const { result, login, verified, proxied } = await gate({
        image: `${host}/acme/web@${digest}`,
        cloud: cloudName,
        'aws-role-arn': ROLE,
        'aws-region': REGION,
        'gcp-workload-identity-provider': GCP_PROVIDER,
        'gcp-service-account': GCP_SA,
        'azure-client-id': AZURE.clientId,
        'azure-tenant-id': AZURE.tenantId,
      });
      expect(result.conclusion).toBe('failure');
      expect(result.annotations[0]!.message).toMatch(
        new RegExp(
          `^input 'image': ${host.replace(/\./g, '\\.')} is not a registry of cloud '${cloudName}' \\(expected `,
        ),
      );
      expect(ran(result)).toEqual([
        'success Check the image reference and work out the expected signer',
        "success Check out Slipway's actions at this workflow's commit",
        'success Keep the cross-run Actions cache out of this job',
        'failure Check the registry host for the cloud login and the inputs for line breaks',
      ]);
      expect(counts()).toEqual(before);
      expect(proxied).toEqual([]);
      expect([login.calls, verified]).toEqual([[], []]);
    },
    120_000,
  );

  describe('a registry the proxy cannot reach (502 to CONNECT)', () => {
    const unreachable = `999988887777.dkr.ecr.${REGION}.amazonaws.com`;
    let run: ReturnType<typeof gate> | undefined;
    const once = () =>
      (run ??= gate({
        image: `${unreachable}/acme/web@${digest}`,
        cloud: 'aws',
        'aws-role-arn': ROLE,
        'aws-region': REGION,
      }));

    it('fails the signature verification; nothing is handed on', async () => {
      const { result } = await once();
      expect(result.conclusion).toBe('failure');
      expect(result.steps.filter((s) => s.outcome === 'failure').map((s) => s.name)).toEqual([
        'Verify the signature',
      ]);
      expect(result.steps.at(-1)!.name).toBe('Post Cloud credentials through GitHub OIDC');
      expect(result.outputs).toEqual({ image: '', digest: '' });
    }, 180_000);

    // The registry client names the refused tunnel (it used to report "Unexpected error:
    // tunneling socket could not be established, statusCode=502 ... a bug in Slipway").
    it('names the registry and the proxy answer instead of calling it a Slipway bug', async () => {
      const { result } = await once();
      const message = result.annotations.find((a) => a.level === 'error')?.message ?? '';
      expect(message).not.toContain('This is a bug in Slipway');
      expect(message).toContain(`the proxy answered HTTP 502 to CONNECT ${unreachable}:443`);
    }, 180_000);
  });
});
