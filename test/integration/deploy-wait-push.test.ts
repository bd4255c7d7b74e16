/**
 * deploy-wait features backed by the GitHub double, through the committed bundle.
 * Push mode: Argo CD Notifications (played by the test, through the GitHub
 * double's REST API) marks the ops-repo commit with a `continuous-delivery/<app>`
 * status; the action reads it through the GitHub API only. accept-descendants:
 * Argo CD synced a later ops commit, which the compare API shows contains ours.
 */
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArgoCdDouble, type ArgoCdDouble } from '../doubles/argocd/server.ts';
import { startGitHubDouble, type GitHubDouble } from '../doubles/github/index.ts';
import type { ActionRunResult } from '../harness/run-action.ts';
import { cleanRunAction, deployWaitDir, errorOf, scanAndClean } from './support/deploy-wait.ts';

const runAction = cleanRunAction();

const TOKEN = 'ghs_deploywaitpushtoken0000000000000000';
const NOTIFIER = 'ghs_argocdnotificationstoken000000000000';
const STATUS_ROUTE = 'GET /repos/{owner}/{repo}/commits/{ref}/status';

let gh: GitHubDouble;
let argo: ArgoCdDouble;
let sha: string;
let later: string;

beforeAll(async () => {
  gh = await startGitHubDouble();
  for (const token of [TOKEN, NOTIFIER]) {
    gh.tokens.set(token, { permissions: { contents: 'write', metadata: 'read' } });
  }
  const ops = await gh.repos.create('octo-org/ops');
  sha = await ops.commit({ files: { 'apps/web/kustomization.yaml': 'images: []\n' } });
  later = await ops.commit({ files: { 'apps/web/kustomization.yaml': 'images: [{name: web}]\n' } });
  argo = await startArgoCdDouble();
});
afterAll(async () => {
  await argo.close();
  await gh.close();
});

const notifier = () => getOctokit(NOTIFIER, { baseUrl: gh.url });

async function post(context: string, state: 'pending' | 'success' | 'failure', description: string) {
  await notifier().rest.repos.createCommitStatus({
    owner: 'octo-org',
    repo: 'ops',
    sha,
    state,
    context,
    description,
    target_url: 'https://argocd.example.com/applications/web',
  });
}

/** Resolves once the action has read the combined status `reads` more times than before. */
async function afterReads(reads: number): Promise<void> {
  const target = gh.requests.count(STATUS_ROUTE) + reads;
  while (gh.requests.count(STATUS_ROUTE) < target) await new Promise((r) => setTimeout(r, 10));
}

function wait(inputs: Record<string, string>): Promise<ActionRunResult> {
  return runAction({
    actionDir: deployWaitDir,
    inputs: {
      mode: 'push',
      repository: 'octo-org/ops',
      revision: sha,
      'github-token': TOKEN,
      'poll-interval': '20ms',
      'max-poll-interval': '80ms',
      timeout: '20s',
      ...inputs,
    },
    env: gh.env,
  });
}

describe('deploy-wait (push mode)', () => {
  it('waits through pending until Argo CD Notifications reports success on the ops commit', async () => {
    await post('continuous-delivery/web', 'pending', 'Sync running');
    const running = wait({ applications: 'web' });
    await afterReads(2);
    await post('continuous-delivery/web', 'success', 'Healthy');
    const result = await running;
    expect(errorOf(result)).toBe('');
    expect(result.outputs.result).toBe('healthy');
    expect(result.log).toContain("web: status 'continuous-delivery/web' is pending: Sync running");
    expect(result.log).toContain("web: status 'continuous-delivery/web' is success: Healthy");
    expect(result.summary).toContain('| web | ✅ healthy | continuous-delivery/web | success | Healthy |');
    // The second read may already see success (the double counts a request when it
    // arrives, before it answers), so two reads is the least that proves polling.
    expect(Number(result.outputs.requests)).toBeGreaterThanOrEqual(2);
    expect(scanAndClean(result, [TOKEN], [NOTIFIER])).toEqual([]);
  });

  it('fails on a failure status of any application, naming it and its description', async () => {
    await post('cd/api', 'success', 'Healthy');
    await post('cd/worker', 'failure', 'Degraded: Deployment worker exceeded its progress deadline');
    const result = await wait({ applications: 'api\nworker', 'status-context': 'cd/{app}' });
    expect(result.exitCode).toBe(1);
    expect(errorOf(result)).toContain(
      "worker: status 'cd/worker' is failure: Degraded: Deployment worker exceeded its progress deadline",
    );
    expect(errorOf(result)).not.toContain('api:');
    expect(scanAndClean(result, [TOKEN])).toEqual([]);
  });

  it('times out when no status arrives, and validates its inputs before any request', async () => {
    const result = await wait({ applications: 'silent', timeout: '300ms' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.result).toBe('timeout');
    expect(errorOf(result)).toContain(
      "silent: status 'continuous-delivery/silent' is absent: no final 'continuous-delivery/silent' status within 300ms",
    );
    scanAndClean(result, [TOKEN]);

    const before = gh.requests.total;
    const bad = await wait({ applications: 'web', revision: 'main' });
    expect(errorOf(bad)).toContain(
      "Input 'revision' has the value 'main', which is not valid. Expected the full ops-repo commit SHA.",
    );
    const noRepo = await wait({ applications: 'web', repository: '' });
    expect(errorOf(noRepo)).toContain("Input 'repository' is required but was not set.");
    expect(gh.requests.total).toBe(before);
    scanAndClean(bad, [TOKEN]);
    scanAndClean(noRepo, [TOKEN]);
  });
});

describe('deploy-wait (push mode, check runs)', () => {
  const CHECK_RUNS_ROUTE = 'GET /repos/{owner}/{repo}/commits/{ref}/check-runs';

  async function checkRun(
    name: string,
    fields: {
      status?: 'queued' | 'in_progress';
      conclusion?: 'success' | 'failure' | 'neutral';
      title?: string;
    },
  ) {
    await notifier().rest.checks.create({
      owner: 'octo-org',
      repo: 'ops',
      head_sha: sha,
      name,
      details_url: `https://argocd.example.com/applications/${name}`,
      ...(fields.status ? { status: fields.status } : {}),
      ...(fields.conclusion ? { conclusion: fields.conclusion } : {}),
      ...(fields.title ? { output: { title: fields.title, summary: `sync of ${sha.slice(0, 7)}` } } : {}),
    });
  }

  async function afterCheckReads(reads: number): Promise<void> {
    const target = gh.requests.count(CHECK_RUNS_ROUTE) + reads;
    while (gh.requests.count(CHECK_RUNS_ROUTE) < target) await new Promise((r) => setTimeout(r, 10));
  }

  it('waits through queued and in_progress until the newest check run of the name completes with success', async () => {
    // an older failed run of the same name is superseded by the newer ones; a commit status of that name is not read
    await checkRun('deploy/web', { conclusion: 'failure', title: 'Degraded' });
    await post('deploy/web', 'failure', 'a status, not a check run');
    await checkRun('deploy/web', { status: 'queued' });
    const statusReads = gh.requests.count(STATUS_ROUTE);
    const running = wait({
      applications: 'web',
      'push-report': 'check-run',
      'status-context': 'deploy/{app}',
    });
    await afterCheckReads(2);
    await checkRun('deploy/web', { status: 'in_progress', title: 'Syncing' });
    await afterCheckReads(2);
    await checkRun('deploy/web', { conclusion: 'success', title: 'Healthy' });
    const result = await running;
    expect(errorOf(result)).toBe('');
    expect(result.outputs.result).toBe('healthy');
    expect(result.log).toContain("web: check run 'deploy/web' is queued");
    expect(result.log).toContain(
      `web: check run 'deploy/web' is in_progress: Syncing: sync of ${sha.slice(0, 7)}`,
    );
    expect(result.log).toContain(
      `web: check run 'deploy/web' is success: Healthy: sync of ${sha.slice(0, 7)}`,
    );
    expect(result.summary).toContain('| application | result | check run | state | description |');
    expect(result.summary).toContain(
      `| web | ✅ healthy | deploy/web | success | Healthy: sync of ${sha.slice(0, 7)} |`,
    );
    expect(JSON.parse(result.outputs.applications!)).toMatchObject([
      { application: 'web', targetUrl: 'https://argocd.example.com/applications/deploy/web' },
    ]);
    // filtered by name on the server, one request per application and poll
    const reads = gh.requests.records.filter((r) => r.route === CHECK_RUNS_ROUTE);
    expect(reads.at(-1)?.url).toContain('check_name=deploy%2Fweb');
    expect(reads.at(-1)?.url).toContain('filter=latest');
    expect(gh.requests.count(STATUS_ROUTE)).toBe(statusReads);
    expect(scanAndClean(result, [TOKEN], [NOTIFIER])).toEqual([]);
  });

  it('fails when the newest check run of an application completes with anything but success', async () => {
    await checkRun('cd-run/api', { conclusion: 'success', title: 'Healthy' });
    await checkRun('cd-run/worker', { conclusion: 'success', title: 'Healthy' });
    await checkRun('cd-run/worker', { conclusion: 'neutral', title: 'Sync skipped' });
    const result = await wait({
      applications: 'api,worker',
      'push-report': 'check-run',
      'status-context': 'cd-run/{app}',
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.result).toBe('failed');
    expect(errorOf(result)).toContain(
      `worker: check run 'cd-run/worker' is neutral: Sync skipped: sync of ${sha.slice(0, 7)}`,
    );
    expect(errorOf(result)).not.toContain('api:');
    expect(scanAndClean(result, [TOKEN])).toEqual([]);
  });

  it('times out naming the check run that never came, and refuses an unknown push-report before any request', async () => {
    const result = await wait({ applications: 'nobody', 'push-report': 'check-run', timeout: '300ms' });
    expect(result.outputs.result).toBe('timeout');
    expect(errorOf(result)).toContain(
      "nobody: check run 'continuous-delivery/nobody' is absent: no final 'continuous-delivery/nobody' check run within 300ms",
    );
    scanAndClean(result, [TOKEN]);
    const before = gh.requests.total;
    const bad = await wait({ applications: 'web', 'push-report': 'check-runs' });
    expect(errorOf(bad)).toContain("Input 'push-report'");
    expect(errorOf(bad)).toContain('check-run');
    expect(gh.requests.total).toBe(before);
    scanAndClean(bad, [TOKEN]);
  });
});

describe('deploy-wait accept-descendants (api mode)', () => {
  const COMPARE_ROUTE = 'GET /repos/{owner}/{repo}/compare/{basehead}';

  it('accepts a later ops commit that contains the revision only when asked', async () => {
    const synced = { compared: [later], sync: 'Synced' as const, health: 'Healthy' as const };
    argo.addApp({
      name: 'ahead',
      stages: [{ ...synced, operation: { revisions: [later], phase: 'Succeeded' } }],
    });
    const argoToken = [...argo.tokens][0]!;
    const run = (inputs: Record<string, string>) =>
      runAction({
        actionDir: deployWaitDir,
        inputs: {
          server: argo.url,
          token: argoToken,
          applications: 'ahead',
          revision: sha,
          soak: '0',
          'poll-interval': '20ms',
          'max-poll-interval': '40ms',
          ...inputs,
        },
        env: gh.env,
      });
    const strict = await run({ timeout: '300ms' });
    expect(strict.outputs.result).toBe('timeout');
    expect(errorOf(strict)).toContain(`not ${sha.slice(0, 12)} yet`);
    scanAndClean(strict, [argoToken]);

    const compares = gh.requests.count(COMPARE_ROUTE);
    const result = await run({
      'accept-descendants': 'true',
      repository: 'octo-org/ops',
      'github-token': TOKEN,
    });
    expect(errorOf(result)).toBe('');
    expect(result.log).toContain(`${later.slice(0, 12)} contains ${sha.slice(0, 12)}: accepted`);
    // asked once, however many polls
    expect(gh.requests.count(COMPARE_ROUTE) - compares).toBe(1);
    expect(scanAndClean(result, [argoToken, TOKEN])).toEqual([]);
  });
});
