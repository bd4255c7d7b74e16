/**
 * deploy-wait through its committed bundle (dist/deploy-wait) on the Argo CD
 * double: scripted applications walk OutOfSync -> sync Running -> Synced with a
 * stale Healthy -> Progressing -> Healthy or Degraded. Polls, soaks and timeouts
 * are fractions of a second; nothing asserts on time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionRunResult } from '../harness/run-action.ts';
import { deployment, type Stage } from '../doubles/argocd/app-script.ts';
import { startArgoCdDouble, type ArgoCdDouble } from '../doubles/argocd/server.ts';
import { startOidcIssuer, type OidcIssuer } from '../doubles/oidc-issuer/server.ts';
import { cleanRunAction, deployWaitDir, errorOf, scanAndClean } from './support/deploy-wait.ts';

const runAction = cleanRunAction();

const OLD = '1111111111111111111111111111111111111111';
const NEW = '2222222222222222222222222222222222222222';
const CONNECTOR = 'github-actions';

let argo: ArgoCdDouble;
let issuer: OidcIssuer;
let token: string;

beforeAll(async () => {
  issuer = await startOidcIssuer();
  argo = await startArgoCdDouble({
    dex: { issuer: issuer.issuer, jwksUrl: issuer.jwksUrl, audience: 'argocd-test', connectorId: CONNECTOR },
  });
  token = [...argo.tokens][0]!;
});
afterAll(async () => {
  await argo.close();
  await issuer.close();
});

const FAST = { 'poll-interval': '20ms', 'max-poll-interval': '80ms', soak: '200ms', timeout: '10s' };

async function wait(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionRunResult> {
  return runAction({
    actionDir: deployWaitDir,
    inputs: { server: argo.url, token, revision: NEW, ...FAST, ...inputs },
    env,
  });
}

const waitWithOidc = (applications: string) =>
  wait({ applications, token: '', oidc: 'true', 'oidc-audience': 'argocd-test' }, issuer.env);

const healthy = (revs = [NEW]): Stage => ({
  compared: revs,
  sync: 'Synced',
  health: 'Healthy',
  operation: { revisions: revs, phase: 'Succeeded' },
});

/** Leaks of this run's `secrets` (default: the API token it was given) and of every other secret the doubles hold. */
function leaksOf(result: ActionRunResult, secrets: string[] = [token]): string[] {
  const all = [token, ...argo.dexIssued, ...issuer.issued, issuer.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN];
  return scanAndClean(
    result,
    secrets,
    all.filter((s) => !secrets.includes(s)),
  );
}

describe('deploy-wait (api mode)', () => {
  it('passes once the new revision is synced, re-read after the sync and healthy for the soak', async () => {
    const app = argo.addApp({ name: 'web', stages: deployment(OLD, NEW) });
    const before = argo.requests.length;
    const result = await wait({ applications: 'web' });
    expect(errorOf(result)).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.outputs.result).toBe('healthy');
    // it walked through every stage, the stale Healthy included, to the last one
    expect(app.stage).toBe(app.script.stages.length - 1);
    const [entry] = JSON.parse(result.outputs.applications!) as {
      outcome: string;
      revision: string;
      health: string;
    }[];
    expect(entry).toMatchObject({ outcome: 'healthy', revision: NEW, health: 'Healthy' });
    expect(result.log).toContain('health not re-read since the sync finished');
    expect(result.log).toContain('soaking 200ms');
    expect(result.summary).toContain('| web | ✅ healthy | 222222222222 | Synced | Healthy |');
    const mine = argo.requests.slice(before);
    expect(Number(result.outputs.requests)).toBe(mine.length);
    // unchanged stages were answered 304 to the conditional GETs
    expect(mine.some((r) => r.status === 304)).toBe(true);
    expect(mine.every((r) => r.authorization === `Bearer ${token}`)).toBe(true);
    expect(leaksOf(result)).toEqual([]);
  });

  it('does not trust a Healthy read before the sync finished: the app that then degrades fails', async () => {
    argo.addApp({
      name: 'stale',
      stages: deployment(OLD, NEW, [
        {
          ...healthy(),
          health: 'Degraded',
          healthMessage: 'Deployment "stale" exceeded its progress deadline',
        },
      ]),
    });
    const result = await wait({ applications: 'stale', soak: '0' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.result).toBe('failed');
    const message = errorOf(result);
    expect(message).toContain('stale: health is Degraded: Deployment "stale" exceeded its progress deadline');
    expect(message).toContain(
      'Pod stale/stale-7c9f8d-x2k4q Degraded (back-off 5m0s restarting failed container=app (CrashLoopBackOff))',
    );
    expect(result.summary).toContain('**Resources not healthy**');
    expect(leaksOf(result)).toEqual([]);
  });

  it('fails when the app turns Degraded during the soak', async () => {
    argo.addApp({
      name: 'flaky',
      stages: [
        { ...healthy(), polls: 3 },
        { ...healthy(), health: 'Degraded' },
      ],
    });
    const result = await wait({ applications: 'flaky', soak: '30s' });
    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toContain('flaky: health is Degraded');
    expect(result.log).toContain('flaky: soaking 30s, Synced at 222222222222 and Healthy');
  });

  it('fails a sync that ended Failed for the revision, with Argo CD’s message', async () => {
    argo.addApp({
      name: 'badsync',
      stages: [
        {
          compared: [NEW],
          sync: 'OutOfSync',
          health: 'Healthy',
          operation: { revisions: [NEW], phase: 'Failed', message: 'one or more objects failed to apply' },
        },
      ],
    });
    const result = await wait({ applications: 'badsync' });
    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toContain(
      `badsync: the sync of 222222222222 ended Failed: one or more objects failed to apply`,
    );
  });

  it('times out naming the resources that are not healthy', async () => {
    argo.addApp({ name: 'slow', stages: deployment(OLD, NEW, [{ ...healthy(), health: 'Progressing' }]) });
    const result = await wait({ applications: 'slow', timeout: '600ms' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.result).toBe('timeout');
    const message = errorOf(result);
    expect(message).toContain('slow: not deployed within 600ms: health is Progressing');
    expect(message).toContain('Deployment slow/slow Progressing (Waiting for rollout to finish');
    expect(message).toContain('Pod slow/slow-7c9f8d-x2k4q Progressing (ContainerCreating)');
    expect(message).not.toContain('Service slow/slow');
    expect(result.summary).toContain('⏱️ timed out');
  });

  it('waits on a multi-source app until one of its sources is at the revision', async () => {
    const sources = ['https://charts.example.com', 'https://github.com/octo-org/ops.git'];
    argo.addApp({
      name: 'multi',
      sources,
      stages: [
        { ...healthy(['1.2.3', OLD]) },
        {
          compared: ['1.2.3', NEW],
          sync: 'OutOfSync',
          health: 'Healthy',
          operation: { revisions: ['1.2.3', OLD], phase: 'Succeeded' },
        },
        { ...healthy(['1.2.3', NEW]), staleReconcile: true },
        healthy(['1.2.3', NEW]),
      ],
    });
    const result = await wait({ applications: 'multi' });
    expect(errorOf(result)).toBe('');
    const [entry] = JSON.parse(result.outputs.applications!) as { revision: string }[];
    expect(entry!.revision).toBe(`1.2.3, ${NEW}`);
    expect(result.log).toContain('Argo CD has compared 1.2.3, 111111111111, not 222222222222 yet');
  });

  it('exchanges the GitHub OIDC token at Dex; no token or JWT shows anywhere', async () => {
    argo.addApp({ name: 'oidc-app', stages: [healthy()] });
    const issuedBefore = issuer.issued.length;
    const result = await waitWithOidc('oidc-app');
    expect(errorOf(result)).toBe('');
    const minted = issuer.issued.slice(issuedBefore);
    expect(minted).toHaveLength(1);
    const dexToken = argo.dexIssued.at(-1)!;
    const appReads = argo.requests.filter((r) => r.path === '/api/v1/applications/oidc-app');
    expect(appReads.every((r) => r.authorization === `Bearer ${dexToken}`)).toBe(true);
    expect(result.masks).toEqual(expect.arrayContaining([minted[0], dexToken]));
    expect(leaksOf(result, [dexToken, ...minted, issuer.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN])).toEqual([]);
  });

  it('retries the Dex exchange with a fresh GitHub token per attempt, a 502, and re-exchanges after a 401', async () => {
    argo.addApp({ name: 'retry-app', stages: [healthy()] });
    argo.faults.push(
      { kind: 'status', route: 'dex', status: 503 },
      { kind: 'status', route: 'app', status: 502 },
      { kind: 'error', route: 'app', status: 401, code: 'invalid session: token has expired' },
    );
    const issuedBefore = issuer.issued.length;
    const dexBefore = argo.dexIssued.length;
    const result = await waitWithOidc('retry-app');
    expect(errorOf(result)).toBe('');
    // 503 from Dex, then an exchange, then a second exchange after the API refused the first token
    const minted = issuer.issued.slice(issuedBefore);
    expect(minted).toHaveLength(3);
    expect(new Set(minted).size).toBe(3);
    const exchanged = argo.dexIssued.slice(dexBefore);
    expect(exchanged).toHaveLength(2);
    const lastRead = argo.requests.filter((r) => r.path === '/api/v1/applications/retry-app').at(-1)!;
    expect(lastRead.authorization).toBe(`Bearer ${exchanged[1]}`);
    expect(argo.faults.pending).toBe(0);
  });

  it('abandons a silent answer after request-timeout and polls again', async () => {
    argo.addApp({ name: 'sluggish', stages: [healthy()] });
    argo.faults.push({ kind: 'slow', route: 'app', ms: 1500 });
    const before = argo.requests.length;
    const result = await wait({ applications: 'sluggish', 'request-timeout': '300ms' });
    expect(errorOf(result)).toBe('');
    expect(argo.faults.pending).toBe(0);
    const reads = argo.requests.slice(before).filter((r) => r.route === 'app');
    // the slow read never answered the client (still sleeping, or dropped once it left); the retry was answered
    expect(reads[0]!.status).toBeLessThanOrEqual(0);
    expect(reads.length).toBeGreaterThan(1);
    expect(reads.slice(1).every((r) => r.status === 200 || r.status === 304)).toBe(true);
  });

  it('fails with what to fix when Dex refuses a token for another audience', async () => {
    const result = await wait(
      { applications: 'web', token: '', oidc: 'true', 'oidc-audience': 'someone-else' },
      issuer.env,
    );
    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toContain(
      "Argo CD's Dex refused the GitHub token exchange (HTTP 401 access_denied",
    );
    expect(errorOf(result)).toContain("accepts audience 'someone-else'");
  });

  it('reports a Rollout paused at a canary step, and promotes it only when asked', async () => {
    const paused: Stage = {
      ...healthy(),
      health: 'Suspended',
      healthMessage: 'CanaryPauseStep',
      rollout: {
        phase: 'Paused',
        stepIndex: 1,
        totalSteps: 4,
        weight: 20,
        paused: 'CanaryPauseStep',
        analysis: 'Running',
      },
      holdUntil: { action: 'resume' },
    };
    const reportOnly = argo.addApp({ name: 'canary', stages: [paused, healthy()] });
    const result = await wait({ applications: 'canary', timeout: '500ms' });
    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toContain(
      'Rollout canary/canary Paused (step 2/4, weight 20%, analysis Running, paused by CanaryPauseStep)',
    );
    expect(result.summary).toContain('Rollout canary/canary Paused');
    expect(reportOnly.actions).toEqual([]);

    const promoted = argo.addApp({ name: 'canary2', stages: [paused, healthy()] });
    const second = await wait({ applications: 'canary2', 'rollout-action': 'promote' });
    expect(errorOf(second)).toBe('');
    expect(promoted.actions).toEqual(['resume']);
    const action = argo.requests.find((r) => r.route === 'action' && r.path.includes('canary2'))!;
    expect(action.query).toMatchObject({
      kind: 'Rollout',
      group: 'argoproj.io',
      resourceName: 'canary2',
      namespace: 'canary2',
    });
    expect(second.log).toContain("ran the Rollout action 'resume' on canary2/canary2 as asked");
  });

  it('finds apps by label selector in an app namespace, refreshes and syncs exactly the revision', async () => {
    const a = argo.addApp({
      name: 'pay-api',
      namespace: 'team-pay',
      labels: { team: 'pay' },
      stages: [{ ...healthy([OLD]), holdUntil: { sync: true } }, healthy()],
    });
    argo.addApp({ name: 'pay-ui', namespace: 'team-pay', labels: { team: 'pay' }, stages: [healthy()] });
    argo.addApp({
      name: 'other',
      namespace: 'team-pay',
      labels: { team: 'other' },
      stages: [healthy([OLD])],
    });
    const result = await wait({
      selector: 'team=pay',
      'app-namespace': 'team-pay',
      refresh: 'hard',
      sync: 'true',
    });
    expect(errorOf(result)).toBe('');
    expect(result.log).toContain('selector team=pay: pay-api, pay-ui');
    expect(a.syncRequests[0]).toMatchObject({ name: 'pay-api', revision: NEW, appNamespace: 'team-pay' });
    const firstRead = argo.requests.find((r) => r.path === '/api/v1/applications/pay-api' && r.query.refresh);
    expect(firstRead?.query).toEqual({ refresh: 'hard', appNamespace: 'team-pay' });
  });

  it('names the fix for a refused token (401) and a denied app (403)', async () => {
    const bad = await wait({ applications: 'web', token: 'not-the-token' });
    expect(bad.exitCode).toBe(1);
    expect(errorOf(bad)).toContain('Argo CD refused the credentials (HTTP 401');
    expect(leaksOf(bad, ['not-the-token'])).toEqual([]);
    argo.forbidden.add('web');
    try {
      const denied = await wait({ applications: 'web' });
      expect(errorOf(denied)).toContain(
        'Argo CD denied GET /api/v1/applications/web (HTTP 403): permission denied',
      );
    } finally {
      argo.forbidden.delete('web');
    }
  });

  it.each([
    [
      { server: 'argocd.example.com' },
      "Input 'server' has the value 'argocd.example.com', which is not a URL",
    ],
    [{ oidc: 'true' }, "Input 'oidc' is true while `token` is set too"],
    [{ token: '' }, "Input 'token' is empty and `oidc` is false"],
    [{ applications: '' }, "Input 'applications' and `selector` are both empty"],
    [{ soak: '-5s' }, "Input 'soak' has the value '-5s'"],
    [{ 'rollout-action': 'yolo' }, "Input 'rollout-action' has the value 'yolo'"],
  ])('%o fails before any request, naming the input', async (inputs, message) => {
    const before = argo.requests.length;
    const result = await wait({ applications: 'web', ...inputs });
    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toContain(message);
    expect(argo.requests.length).toBe(before);
    expect(leaksOf(result, 'token' in inputs && inputs.token === '' ? [] : [token])).toEqual([]);
  });
});
