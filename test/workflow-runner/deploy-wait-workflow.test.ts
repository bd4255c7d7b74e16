/**
 * .github/workflows/deploy-wait.yml, job wait, run locally step by step against the Argo CD double:
 * Slipway's committed deploy-wait bundle (checked out at the workflow's commit) gets the Argo CD
 * token from `secrets.argocd-token`, or exchanges the job's GitHub OIDC token at the double's Dex
 * (the runner hands the OIDC endpoint to the job only because it grants id-token: write).
 * Polls and soaks are fractions of a second; nothing asserts on time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployment, type Stage } from '../doubles/argocd/app-script.ts';
import { startArgoCdDouble, type ArgoCdDouble } from '../doubles/argocd/server.ts';
import { startOidcIssuer, type OidcIssuer } from '../doubles/oidc-issuer/server.ts';
import { findJobLeaks } from './job-leaks.ts';
import { slipwayAtHead } from './local-repos.ts';
import { runWorkflowJob, type RunWorkflowJobOptions } from './run-workflow-job.ts';
import { checkoutStandIn } from './stand-ins/checkout.ts';

const slipway = slipwayAtHead();
const workflow = slipway.workflow('deploy-wait.yml');
const OLD = '1111111111111111111111111111111111111111';
const NEW = '2222222222222222222222222222222222222222';
const RUN_TOKEN = 'ghs_callerrunjobtoken0000000000000000002';
const FAST = { 'poll-interval': '20ms', 'max-poll-interval': '80ms', soak: '200ms', timeout: '20s' };

let argo: ArgoCdDouble;
let issuer: OidcIssuer;
let token: string;

beforeAll(async () => {
  issuer = await startOidcIssuer();
  argo = await startArgoCdDouble({
    dex: {
      issuer: issuer.issuer,
      jwksUrl: issuer.jwksUrl,
      audience: 'argocd-wf',
      connectorId: 'github-actions',
    },
  });
  token = [...argo.tokens][0]!;
});
afterAll(async () => {
  await argo.close();
  await issuer.close();
});

function wait(
  inputs: RunWorkflowJobOptions['inputs'],
  secrets: Record<string, string> = { 'argocd-token': token },
) {
  const checkout = checkoutStandIn({ 'slipway-org/slipway': slipway.dir });
  return runWorkflowJob({
    workflow,
    job: 'wait',
    inputs: { server: argo.url, revision: NEW, ...FAST, ...inputs },
    secrets,
    github: {
      repository: 'acme/web',
      sha: 'c0ffee0000000000000000000000000000000002',
      ref: 'refs/heads/main',
      token: RUN_TOKEN,
      workflowRepository: 'slipway-org/slipway',
      workflowSha: slipway.sha,
    },
    standIns: { 'actions/checkout': checkout.standIn },
    oidc: {
      requestUrl: issuer.env.ACTIONS_ID_TOKEN_REQUEST_URL,
      requestToken: issuer.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
    },
  });
}

const outcomes = (result: Awaited<ReturnType<typeof wait>>) => result.steps.map((s) => s.outcome);

describe('deploy-wait.yml (local runner, Argo CD double)', () => {
  it('passes once the bumped revision is synced and healthy for the soak, with the argocd-token secret', async () => {
    const app = argo.addApp({ name: 'web-staging', stages: deployment(OLD, NEW) });
    const before = argo.requests.length;
    const result = await wait({ applications: 'web-staging', environment: 'staging' });
    expect(result.annotations).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.conclusion).toBe('success');
    // guard, checkout, CA certificates (none given: skipped), deploy-wait
    expect(outcomes(result)).toEqual(['success', 'success', 'skipped', 'success']);
    expect(result.environment).toBe('staging');
    expect(app.stage).toBe(app.script.stages.length - 1);
    expect(result.steps[3]!.with).toMatchObject({
      mode: 'api',
      server: argo.url,
      applications: 'web-staging',
      revision: NEW,
      token,
      oidc: 'false',
      sync: 'false',
      'accept-descendants': 'false',
      'ca-bundle': '',
      'github-token': RUN_TOKEN,
    });
    const mine = argo.requests.slice(before);
    expect(mine.every((r) => r.authorization === `Bearer ${token}`)).toBe(true);
    expect(result.outputs.result).toBe('healthy');
    expect(JSON.parse(result.workflowOutputs.applications!)).toMatchObject([
      { name: 'web-staging', outcome: 'healthy', revision: NEW, health: 'Healthy' },
    ]);
    expect(result.summary).toContain('| web-staging | ✅ healthy | 222222222222 | Synced | Healthy |');
    expect(findJobLeaks(result, [token, RUN_TOKEN])).toEqual([]);
  }, 60_000);

  it('fails the job when the app turns Degraded, naming the resources, with the outputs still set', async () => {
    const degraded: Stage = {
      compared: [NEW],
      sync: 'Synced',
      health: 'Degraded',
      healthMessage: 'Deployment "api" exceeded its progress deadline',
      operation: { revisions: [NEW], phase: 'Succeeded' },
    };
    argo.addApp({ name: 'api', stages: deployment(OLD, NEW, [degraded]) });
    const result = await wait({ applications: 'api', soak: '0' });
    expect(result.conclusion).toBe('failure');
    expect(outcomes(result)).toEqual(['success', 'success', 'skipped', 'failure']);
    const errors = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('api: health is Degraded: Deployment "api" exceeded its progress deadline');
    expect(errors[0]).toContain('Pod api/api-');
    // a promotion's rollback job reads these from the failed job
    expect(result.workflowOutputs.result).toBe('failed');
    expect(JSON.parse(result.workflowOutputs.applications!)).toMatchObject([
      { name: 'api', outcome: 'failed', health: 'Degraded' },
    ]);
    expect(findJobLeaks(result, [token, RUN_TOKEN])).toEqual([]);
  }, 60_000);

  it('with oidc: no stored token; the GitHub OIDC token is exchanged at Dex and the CA certificates step refuses non-PEM text first', async () => {
    argo.addApp({ name: 'web-prod', stages: [healthyAt(NEW)] });
    const result = await wait(
      { applications: 'web-prod', oidc: true, 'oidc-audience': 'argocd-wf', soak: '0' },
      {},
    );
    expect(result.annotations).toEqual([]);
    expect(result.conclusion).toBe('success');
    expect(result.steps[3]!.with).toMatchObject({ token: '', oidc: 'true', 'oidc-audience': 'argocd-wf' });
    expect(argo.dexIssued).toHaveLength(1);
    const last = argo.requests.filter((r) => r.route === 'app').at(-1)!;
    expect(last.authorization).toBe(`Bearer ${argo.dexIssued[0]}`);
    expect(findJobLeaks(result, [...argo.dexIssued, ...issuer.issued, RUN_TOKEN])).toEqual([]);

    const before = argo.requests.length;
    const bad = await wait({ applications: 'web-prod', 'ca-certificates': 'not a certificate' });
    expect(outcomes(bad)).toEqual(['success', 'success', 'failure', 'skipped']);
    expect(bad.annotations[0]!.message).toBe(
      "input 'ca-certificates' must be PEM text (-----BEGIN CERTIFICATE-----)",
    );
    expect(argo.requests.length).toBe(before);
    expect(findJobLeaks(bad, [token, RUN_TOKEN])).toEqual([]);
  }, 60_000);
});

function healthyAt(rev: string): Stage {
  return {
    compared: [rev],
    sync: 'Synced',
    health: 'Healthy',
    operation: { revisions: [rev], phase: 'Succeeded' },
  };
}
