/**
 * .github/workflows/terraform.yml run locally job by job with the REAL tofu (installed by
 * tf-plan/tf-apply from the release-asset double, checked against a lock file), the GitHub double
 * (pull request, files, comments, statuses, collaborators, reviews, lock refs) and the Sigstore
 * double (keyless sealing): a pull request is routed and planned (comment, commit status, lock,
 * sealed plan artifact), /apply from a non-collaborator and /apply naming a stale SHA are
 * refused, the merge commit's push applies exactly that plan and releases the lock, and /unlock
 * releases a lock another pull request holds, and closing a pull request releases its locks.
 * Refused commands get a reply on the pull request saying why. A variable passed through the
 * tf-vars secret (not marked sensitive, so the plan shows it) never appears in a comment, summary,
 * artifact or log. A directory's Google Cloud and Azure settings in .github/slipway-tf.yml reach
 * oidc-login (both log in without a cloud call: an external_account credentials file, a federated
 * token file); a directory's AWS role is assumed through the STS double, reached under its real
 * name through the forward proxy, with the job's token checked against the issuer's keys.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOnDouble } from '../doubles/github/client.ts';
import { createGitLocks } from '@slipway/terraform/lock';
import { packTofuRelease } from '../../packages/terraform/src/install/tofu-release.fixture.ts';
import { startGitHubDouble, type GitHubDouble } from '../doubles/github/index.ts';
import type { RepoBuilder } from '../doubles/github/repo-builder.ts';
import { addReview, setCollaborator } from '../doubles/github/routes/collaborators.ts';
import { issueComments } from '../doubles/github/routes/issue-comments.ts';
import { REFUSAL_MARKER } from '@slipway/terraform/control';
import { startReleaseServer, type ReleaseServer } from '../doubles/release-assets/release-server.ts';
import { startSigstoreServices, type SigstoreServices } from '../doubles/sigstore/sigstore-services.ts';
import { realTool } from '../real-tools.ts';
import { startStsDouble } from '../doubles/aws-sts/server.ts';
import { startForwardProxy } from '../doubles/forward-proxy/forward-proxy.ts';
import { GITHUB_ISSUER } from '../doubles/sigstore/sigstore-services.ts';
import { proxyEnvWithCaBundle } from './cloud-endpoints.ts';
import { findJobLeaks } from './job-leaks.ts';
import { slipwayAtHead } from './local-repos.ts';
import { runWorkflowJob, type JobRunResult } from './run-workflow-job.ts';
import { checkoutStandIn } from './stand-ins/checkout.ts';
import { downloadArtifactStandIn } from './stand-ins/download-artifact.ts';
import { uploadArtifactStandIn, type ArtifactRecord } from './stand-ins/upload-artifact.ts';

const slipway = slipwayAtHead();
const workflow = slipway.workflow('terraform.yml');
const TOKEN = 'ghs_terraformWorkflowRunToken000000000001';
const PLAN_KEY = Buffer.alloc(32, 7).toString('base64');
// passed through the tf-vars secret; the variable is not marked sensitive, so tofu shows it
const DB_PASSWORD = 'hunter2-Zq8vK3mW9xTfRb';
const module = (input: string) => `terraform {
  backend "local" {}
}
variable "db_password" { type = string }
resource "terraform_data" "app" { input = "${input}:\${var.db_password}" }
output "app" { value = terraform_data.app.input }
`;

let gh: GitHubDouble;
let releases: ReleaseServer;
let sigstore: SigstoreServices;
let builder: RepoBuilder;
let root: string;
let lockFile: string;
let base: string;
let head: string;
const runArtifacts: Record<string, ArtifactRecord[]> = {};

beforeAll(async () => {
  const tofu = realTool('tofu');
  const release = packTofuRelease(tofu.path, tofu.version.replace(/^v/, ''));
  [gh, releases, sigstore] = await Promise.all([
    startGitHubDouble(),
    startReleaseServer(),
    startSigstoreServices(),
  ]);
  releases.add(release.files);
  root = mkdtempSync(join(tmpdir(), 'tf-workflow-'));
  lockFile = join(root, 'tf-tools.lock.json');
  writeFileSync(lockFile, JSON.stringify(release.lock));
  builder = await gh.repos.create('acme/infra');
  base = await builder.commit({ files: { 'infra/app/main.tf': module('v1'), 'README.md': '# infra\n' } });
  head = await builder.commit({ branch: 'feature', files: { 'infra/app/main.tf': module('v2') } });
  const octokit = getOctokit(TOKEN, { baseUrl: gh.url });
  await octokit.rest.pulls.create({
    owner: 'acme',
    repo: 'infra',
    head: 'feature',
    base: 'main',
    title: 'v2',
  });
  setCollaborator(builder.repo, 'alice', 'maintain');
  setCollaborator(builder.repo, 'mallory', 'read');
}, 180_000);

afterAll(async () => {
  await Promise.all([gh?.close(), releases?.close(), sigstore?.stop()]);
  if (root) rmSync(root, { recursive: true, force: true });
});

const pullEvent = (action: string) => ({
  action,
  number: 1,
  pull_request: { number: 1, head: { sha: head }, merged: false, merge_commit_sha: null },
  repository: { default_branch: 'main' },
});
const commentEvent = (body: string, user: string) => ({
  action: 'created',
  issue: { number: 1, pull_request: { url: `${gh.url}/repos/acme/infra/pulls/1` } },
  comment: { body, user: { login: user } },
  repository: { default_branch: 'main' },
});

interface JobCall {
  job: string;
  eventName: string;
  event: Record<string, unknown>;
  runId: string;
  sha?: string;
  needs?: Record<string, { result: string; outputs: Record<string, string> }>;
  matrix?: Record<string, unknown>;
  actor?: string;
  /** More runner environment (a proxy, for the AWS login). */
  runnerEnv?: Record<string, string>;
}

async function job(call: JobCall): Promise<JobRunResult & { uploaded: ArtifactRecord[] }> {
  const upload = uploadArtifactStandIn();
  const checkout = checkoutStandIn({
    'slipway-org/slipway': slipway.dir,
    'acme/infra': builder.repo.git.gitDir,
  });
  const result = await runWorkflowJob({
    workflow,
    job: call.job,
    inputs: {
      'fulcio-url': sigstore.fulcioUrl,
      'rekor-url': sigstore.rekorUrl,
      'certificate-identity': sigstore.identity,
      'trusted-root': JSON.stringify(sigstore.trustedRoot()),
      environment: 'production',
    },
    secrets: { 'plan-key': PLAN_KEY, 'tf-vars': `# for every directory\ndb_password=${DB_PASSWORD}\n` },
    github: {
      repository: 'acme/infra',
      sha: call.sha ?? head,
      ref: call.eventName === 'push' ? 'refs/heads/main' : 'refs/pull/1/merge',
      token: TOKEN,
      apiUrl: gh.url,
      graphqlUrl: gh.graphqlUrl,
      serverUrl: gh.serverUrl,
      eventName: call.eventName,
      event: call.event as never,
      actor: call.actor ?? 'alice',
      runId: call.runId,
      workflowRepository: 'slipway-org/slipway',
      workflowSha: slipway.sha,
    },
    standIns: {
      'actions/checkout': checkout.standIn,
      'actions/upload-artifact': upload.standIn,
      'actions/download-artifact': downloadArtifactStandIn([], runArtifacts),
    },
    runnerEnv: {
      SLIPWAY_RELEASES_URL: releases.url,
      SLIPWAY_TF_TOOLS_LOCK: lockFile,
      SLIPWAY_CACHE_DIR: join(root, 'actions-cache'),
      ...call.runnerEnv,
    },
    oidc: {
      requestUrl: sigstore.oidcEnv.ACTIONS_ID_TOKEN_REQUEST_URL,
      requestToken: sigstore.oidcEnv.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
    },
    // the bundles also run on Node 24 on GitHub (tf-plan/tf-apply integration tests); here the
    // current node keeps the file fast
    node: process.execPath,
    ...(call.needs ? { needs: call.needs } : {}),
    ...(call.matrix ? { matrix: call.matrix as never } : {}),
  });
  runArtifacts[call.runId] = upload.artifacts;
  return { ...result, uploaded: upload.artifacts };
}

const routed = (route: JobRunResult) => ({ route: { result: route.conclusion, outputs: route.outputs } });
/** Opens a pull request of `branch` (head `sha`) and runs the route job on its `opened` event. */
async function routePullRequest(branch: string, sha: string, runId: string) {
  const octokit = getOctokit(TOKEN, { baseUrl: gh.url });
  const pr = (
    await octokit.rest.pulls.create({
      owner: 'acme',
      repo: 'infra',
      head: branch,
      base: 'main',
      title: branch,
    })
  ).data.number;
  const event = {
    action: 'opened',
    number: pr,
    pull_request: { number: pr, head: { sha }, merged: false, merge_commit_sha: null },
    repository: { default_branch: 'main' },
  };
  const route = await job({ job: 'route', eventName: 'pull_request', event, runId, sha });
  expect(errors(route)).toEqual([]);
  const include = (JSON.parse(route.outputs.matrix!) as { include: Record<string, string>[] }).include;
  return { event, route, include };
}
const refusals = () =>
  issueComments(builder.repo).filter((c) => c.issueNumber === 1 && c.body.startsWith(REFUSAL_MARKER));
/** Every byte the job left behind: comments on the repository, summary, log, artifact files. */
function leaksOf(result: JobRunResult & { uploaded: ArtifactRecord[] }, secret: string): string[] {
  const found = findJobLeaks(result, [secret]);
  for (const c of issueComments(builder.repo)) if (c.body.includes(secret)) found.push(`comment ${c.id}`);
  for (const a of result.uploaded)
    for (const [name, bytes] of Object.entries(a.files))
      if (bytes.includes(secret)) found.push(`artifact ${a.name}/${name}`);
  for (const s of result.steps)
    for (const [name, value] of Object.entries(s.outputs))
      if (value.includes(secret)) found.push(`output ${s.name}.${name}`);
  return found;
}
const errors = (r: JobRunResult) => r.annotations.filter((a) => a.level === 'error').map((a) => a.message);
const locks = () =>
  createGitLocks({
    client: clientOnDouble(gh),
    owner: 'acme',
    repo: 'infra',
  });

async function statuses(sha: string) {
  const octokit = getOctokit(TOKEN, { baseUrl: gh.url });
  return (await octokit.rest.repos.listCommitStatusesForRef({ owner: 'acme', repo: 'infra', ref: sha })).data;
}

describe('terraform.yml (local runner, real tofu, GitHub and Sigstore doubles)', () => {
  let planRoute: JobRunResult;
  let planDigest = '';
  let otherPr = 0;
  let otherSha = '';

  it('pull_request: routes the changed root, takes its lock, plans, comments, seals and posts the commit status', async () => {
    planRoute = await job({
      job: 'route',
      eventName: 'pull_request',
      event: pullEvent('opened'),
      runId: '101',
    });
    expect(errors(planRoute)).toEqual([]);
    expect(planRoute.conclusion).toBe('success');
    expect(planRoute.outputs).toMatchObject({ action: 'plan', count: '1', pr: '1', sha: head });
    const matrix = JSON.parse(planRoute.outputs.matrix!) as { include: Record<string, unknown>[] };
    expect(matrix.include).toEqual([
      expect.objectContaining({
        dir: 'infra/app',
        workspace: 'default',
        artifact: 'tfplan-infra%2Fapp@default',
      }),
    ]);

    const plan = await job({
      job: 'plan',
      eventName: 'pull_request',
      event: pullEvent('opened'),
      runId: '101',
      needs: routed(planRoute),
      matrix: matrix.include[0],
    });
    expect(errors(plan)).toEqual([]);
    expect(plan.conclusion).toBe('success');
    expect(plan.warnings).toEqual([]);
    expect(plan.steps.map((s) => `${s.name}:${s.outcome}`)).toEqual([
      'Check out the commit to plan:success',
      "Check that this workflow's own commit is known:success",
      "Check out Slipway's actions at this workflow's commit:success",
      'Take the lock of infra/app:success',
      'Log in to the cloud of infra/app:skipped',
      'Terraform variables from the tf-vars secret:success',
      'Plan infra/app:success',
      'Upload the sealed plan:success',
      'Commit status of infra/app:success',
    ]);
    const planStep = plan.steps.find((s) => s.id === 'plan')!;
    expect(planStep.outputs).toMatchObject({ exitcode: '2', add: '1', change: '0', destroy: '0' });
    expect(planStep.with.sha).toBe(head);
    planDigest = planStep.outputs['plan-digest']!;
    expect(planDigest).toMatch(/^[0-9a-f]{64}$/);
    // one comment on the pull request, rendered from the plan
    const comments = issueComments(builder.repo).filter((c) => c.issueNumber === 1);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('infra/app');
    // the variable reached tofu through TF_VAR_db_password, and is redacted where the plan shows it
    expect(comments[0]!.body).toContain('v2:***');
    expect(leaksOf(plan, DB_PASSWORD)).toEqual([]);
    // the commit status on the planned head, per directory
    const status = (await statuses(head)).filter((s) => s.context === 'slipway/terraform plan: infra/app');
    expect(status.map((s) => [s.state, s.description])).toEqual([
      ['success', 'Plan: 1 to add, 0 to change, 0 to destroy.'],
      ['pending', 'Planning…'],
    ]);
    // the lock is held by the pull request and this run; the sealed plan is the run's artifact
    expect((await locks().read('infra/app', 'default')).record).toMatchObject({
      state: 'held',
      pr: 1,
      run: '101',
      sha: head,
    });
    expect(plan.uploaded.map((a) => [a.name, Object.keys(a.files).sort()])).toEqual([
      ['tfplan-infra%2Fapp@default', ['tfplan.sealed', 'tfplan.sealed.sigstore.json']],
    ]);
    expect(findJobLeaks(plan, [TOKEN, PLAN_KEY])).toEqual([]);
  }, 300_000);

  it('/apply from a user without write permission is refused before anything runs', async () => {
    const route = await job({
      job: 'route',
      eventName: 'issue_comment',
      event: commentEvent(`/apply ${head}`, 'mallory'),
      runId: '102',
      actor: 'mallory',
    });
    expect(route.conclusion).toBe('failure');
    expect(errors(route).join('\n')).toContain(
      '/apply by @mallory refused: their permission on this repository is "read"; commands need write, maintain or admin.',
    );
    expect(route.outputs.action ?? '').toBe('');
    // the pull request says why (the route job's reply), and nothing else
    expect(refusals().map((c) => c.body)).toEqual([
      expect.stringContaining(
        '**/apply was refused.** /apply by @mallory refused: their permission on this repository is "read"; commands need write, maintain or admin.',
      ),
    ]);
  }, 120_000);

  it('/apply naming a SHA that is no longer the head is refused, naming the head', async () => {
    const route = await job({
      job: 'route',
      eventName: 'issue_comment',
      event: commentEvent(`/apply ${base.slice(0, 12)}`, 'alice'),
      runId: '103',
    });
    expect(route.conclusion).toBe('failure');
    expect(errors(route).join('\n')).toContain(
      `/apply ${base.slice(0, 12)} refused: the head of pull request #1 is ${head}, not ${base.slice(0, 12)}.`,
    );
    expect(refusals()).toHaveLength(2);
    expect(refusals()[1]!.body).toContain(
      `**/apply was refused.** /apply ${base.slice(0, 12)} refused: the head of pull request #1 is ${head}, not ${base.slice(0, 12)}.`,
    );
  }, 120_000);

  it('/apply of the head by a writer, once a writer approved that head, routes the plan of the run that holds the lock', async () => {
    const comment = commentEvent(`/apply ${head.slice(0, 10)} infra/app`, 'alice');
    const unapproved = await job({ job: 'route', eventName: 'issue_comment', event: comment, runId: '107' });
    expect(unapproved.conclusion).toBe('failure');
    expect(errors(unapproved).join('\n')).toContain(
      `/apply refused: pull request #1 has no approval of its head ${head.slice(0, 12)} from a user with write access.`,
    );
    expect(refusals()).toHaveLength(3);
    expect(refusals()[2]!.body).toContain(
      `/apply refused: pull request #1 has no approval of its head ${head.slice(0, 12)} from a user with write access.`,
    );
    expect(refusals()[2]!.body).toContain('/actions/runs/107');
    for (const secret of [TOKEN, PLAN_KEY, DB_PASSWORD])
      expect(refusals().filter((c) => c.body.includes(secret))).toEqual([]);
    setCollaborator(builder.repo, 'bob', 'write');
    addReview(builder.repo, { pr: 1, user: 'bob', state: 'APPROVED', commitId: head });
    const route = await job({ job: 'route', eventName: 'issue_comment', event: comment, runId: '108' });
    expect(errors(route)).toEqual([]);
    expect(route.outputs).toMatchObject({ action: 'apply', count: '1', pr: '1', sha: head });
    expect(refusals()).toHaveLength(3); // an authorised command gets no reply
    expect(JSON.parse(route.outputs.matrix!)).toEqual({
      include: [expect.objectContaining({ dir: 'infra/app', pr: 1, 'plan-run': '101' })],
    });
  }, 120_000);

  it('push of the merge commit applies exactly the reviewed plan, then releases the lock', async () => {
    // a merge commit whose tree is the pull request head's (the branch was up to date)
    const tree = (await builder.repo.git.run(['rev-parse', `${head}^{tree}`])).trim();
    const merge = (
      await builder.repo.git.run(['commit-tree', tree, '-p', base, '-p', head, '-m', 'Merge pull request #1'])
    ).trim();
    await builder.setRef('refs/heads/main', merge);
    const pushEvent = { ref: 'refs/heads/main', after: merge, repository: { default_branch: 'main' } };
    const route = await job({ job: 'route', eventName: 'push', event: pushEvent, runId: '104', sha: merge });
    expect(errors(route)).toEqual([]);
    expect(route.outputs).toMatchObject({ action: 'apply', count: '1', sha: merge });
    const entry = (JSON.parse(route.outputs.matrix!) as { include: Record<string, unknown>[] }).include[0]!;
    expect(entry).toMatchObject({ dir: 'infra/app', pr: 1, 'plan-run': '101' });

    const apply = await job({
      job: 'apply',
      eventName: 'push',
      event: pushEvent,
      runId: '104',
      sha: merge,
      needs: routed(route),
      matrix: entry,
    });
    expect(errors(apply)).toEqual([]);
    expect(apply.conclusion).toBe('success');
    expect(apply.environment).toBe('production');
    expect(apply.concurrencyGroup).toBe('slipway-terraform-apply-acme/infra-tfplan-infra%2Fapp@default-');
    const applyStep = apply.steps.find((s) => s.id === 'apply')!;
    // the very plan the pull request showed, not a new one
    expect(applyStep.outputs).toMatchObject({
      applied: 'true',
      mode: 'sealed-plan',
      'plan-digest': planDigest,
    });
    expect(applyStep.log).toContain('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.');
    expect((await locks().read('infra/app', 'default')).record).toMatchObject({
      state: 'released',
      by: 'pr-merged',
      previous: { pr: 1, run: '101' },
    });
    expect(findJobLeaks(apply, [TOKEN, PLAN_KEY])).toEqual([]);
    expect(leaksOf(apply, DB_PASSWORD)).toEqual([]);
  }, 300_000);

  it('/unlock releases a lock held by another pull request, recording who and why', async () => {
    const other = await builder.commit({ branch: 'other', files: { 'infra/app/main.tf': module('v3') } });
    const octokit = getOctokit(TOKEN, { baseUrl: gh.url });
    const pr = (
      await octokit.rest.pulls.create({
        owner: 'acme',
        repo: 'infra',
        head: 'other',
        base: 'main',
        title: 'v3',
      })
    ).data.number;
    await locks().acquire('infra/app', 'default', { pr, run: '200', sha: other });
    const route = await job({
      job: 'route',
      eventName: 'issue_comment',
      event: commentEvent('/unlock infra/app the plan of #2 was abandoned', 'alice'),
      runId: '105',
    });
    expect(errors(route)).toEqual([]);
    expect(route.outputs).toMatchObject({
      action: 'unlock',
      'unlock-directory': 'infra/app',
      'unlock-workspace': '',
      'unlock-reason': 'the plan of #2 was abandoned',
      actor: 'alice',
    });
    const unlock = await job({
      job: 'unlock',
      eventName: 'issue_comment',
      event: {},
      runId: '105',
      needs: routed(route),
    });
    expect(errors(unlock)).toEqual([]);
    expect(unlock.conclusion).toBe('success');
    expect((await locks().read('infra/app', 'default')).record).toMatchObject({
      state: 'released',
      by: 'unlock',
      actor: 'alice',
      reason: 'the plan of #2 was abandoned',
      previous: { pr, run: '200' },
    });
    expect(unlock.summary).toContain(`infra/app (workspace default), held by PR #${pr}`);
    otherPr = pr;
    otherSha = other;
  }, 120_000);

  it('pull_request closed without merging releases the locks the pull request holds', async () => {
    await locks().acquire('infra/app', 'default', { pr: otherPr, run: '201', sha: otherSha });
    const closed = {
      action: 'closed',
      number: otherPr,
      pull_request: { number: otherPr, head: { sha: otherSha }, merged: false, merge_commit_sha: null },
      repository: { default_branch: 'main' },
    };
    const route = await job({
      job: 'route',
      eventName: 'pull_request',
      event: closed,
      runId: '106',
      sha: otherSha,
    });
    expect(errors(route)).toEqual([]);
    expect(route.outputs).toMatchObject({ action: 'release', pr: String(otherPr), 'merge-commit': '' });
    const release = await job({
      job: 'unlock',
      eventName: 'pull_request',
      event: closed,
      runId: '106',
      needs: routed(route),
    });
    expect(errors(release)).toEqual([]);
    expect(release.steps.map((s) => `${s.name}:${s.outcome}`).slice(-2)).toEqual([
      '/unlock :skipped',
      'Release the locks of the closed pull request:success',
    ]);
    expect((await locks().read('infra/app', 'default')).record).toMatchObject({
      state: 'released',
      by: 'pr-closed',
      previous: { pr: otherPr, run: '201' },
    });
  }, 120_000);
  it("a directory's Google Cloud or Azure settings in .github/slipway-tf.yml reach oidc-login in its plan job", async () => {
    const WIP = 'projects/123456789/locations/global/workloadIdentityPools/github/providers/slipway';
    const SA = 'tf-plan@acme-prod.iam.gserviceaccount.com';
    const CLIENT = '00112233-4455-6677-8899-aabbccddeeff';
    const TENANT = '0f0e0d0c-0b0a-0908-0706-050403020100';
    const SUBSCRIPTION = '8899aabb-ccdd-eeff-0011-223344556677';
    await builder.commit({
      files: {
        '.github/slipway-tf.yml': [
          'defaults:',
          `  tenant-id: ${TENANT}`,
          'projects:',
          '  - dir: infra/app',
          '    role: arn:aws:iam::111122223333:role/tf-plan',
          '  - dir: gcp/app',
          `    workload-identity-provider: ${WIP}`,
          `    service-account: ${SA}`,
          '    project-id: acme-prod',
          '  - dir: azure/app',
          `    client-id: ${CLIENT}`,
          `    subscription-id: ${SUBSCRIPTION}`,
          '',
        ].join('\n'),
      },
    });
    const sha = await builder.commit({
      branch: 'clouds',
      files: { 'gcp/app/main.tf': module('gcp'), 'azure/app/main.tf': module('azure') },
    });
    const { event, route, include } = await routePullRequest('clouds', sha, '301');
    expect(include.map((e) => [e.dir, e.cloud])).toEqual([
      ['azure/app', 'azure'],
      ['gcp/app', 'gcp'],
    ]);

    const planned: Record<string, JobRunResult> = {};
    for (const entry of include) {
      const result = await job({
        job: 'plan',
        eventName: 'pull_request',
        event,
        runId: '301',
        sha,
        needs: routed(route),
        matrix: entry,
      });
      expect(errors(result), entry.dir).toEqual([]);
      expect(result.conclusion).toBe('success');
      planned[entry.dir!] = result;
    }
    const login = (dir: string) =>
      planned[dir]!.steps.find((s) => s.name === `Log in to the cloud of ${dir}`)!;

    const gcp = login('gcp/app');
    expect(gcp.outcome).toBe('success');
    expect(gcp.with).toMatchObject({
      provider: 'gcp',
      'workload-identity-provider': WIP,
      'service-account': SA,
      'project-id': 'acme-prod',
      'client-id': '',
      'role-to-assume': '',
    });
    expect(gcp.exported).toMatchObject({
      GOOGLE_APPLICATION_CREDENTIALS: gcp.outputs['credentials-file'],
      GOOGLE_CLOUD_PROJECT: 'acme-prod',
    });

    // azure: client-id of the directory, tenant-id of the defaults
    const azure = login('azure/app');
    expect(azure.outcome).toBe('success');
    expect(azure.with).toMatchObject({
      provider: 'azure',
      'client-id': CLIENT,
      'tenant-id': TENANT,
      'subscription-id': SUBSCRIPTION,
      'workload-identity-provider': '',
    });
    expect(azure.exported).toMatchObject({
      ARM_USE_OIDC: 'true',
      ARM_CLIENT_ID: CLIENT,
      ARM_TENANT_ID: TENANT,
      ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
    });
    for (const result of Object.values(planned)) expect(findJobLeaks(result, [TOKEN, PLAN_KEY])).toEqual([]);
  }, 300_000);
  it("a directory's AWS role in .github/slipway-tf.yml: its plan job assumes it through STS behind the proxy", async () => {
    const ROLE = 'arn:aws:iam::111122223333:role/tf-plan-aws';
    const REGION = 'eu-west-1';
    const sts = await startStsDouble({
      issuer: GITHUB_ISSUER,
      jwksUrl: sigstore.jwksUrl,
      region: REGION,
      // the Sigstore double mints the job's token: its default claims name octo-org/octo-repo
      roles: [{ arn: ROLE, webIdentity: { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/octo-repo:*' } }],
    });
    const proxy = await startForwardProxy();
    try {
      proxy.route(`sts.${REGION}.amazonaws.com`, Number(new URL(sts.url).port));
      await builder.commit({
        files: {
          '.github/slipway-tf.yml': [
            'projects:',
            '  - dir: aws/app',
            `    role: ${ROLE}`,
            `    aws-region: ${REGION}`,
            '',
          ].join('\n'),
        },
      });
      const sha = await builder.commit({ branch: 'aws', files: { 'aws/app/main.tf': module('aws') } });
      const { event, route, include } = await routePullRequest('aws', sha, '401');
      expect(include.map((e) => [e.dir, e.cloud, e.role])).toEqual([['aws/app', 'aws', ROLE]]);

      const from = proxy.log.length;
      const plan = await job({
        job: 'plan',
        eventName: 'pull_request',
        event,
        runId: '401',
        sha,
        needs: routed(route),
        matrix: include[0],
        // the doubles on 127.0.0.1 (GitHub, Sigstore, releases) stand for hosts inside the network
        runnerEnv: { ...proxyEnvWithCaBundle(proxy)(), NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' },
      });
      expect(errors(plan)).toEqual([]);
      expect(plan.conclusion).toBe('success');
      const login = plan.steps.find((s) => s.name === 'Log in to the cloud of aws/app')!;
      expect(login.outcome).toBe('success');
      expect(login.with).toMatchObject({ provider: 'aws', 'role-to-assume': ROLE, 'aws-region': REGION });
      // STS was asked once, under its real name through the proxy, for this role with the job's token
      expect(sts.count('AssumeRoleWithWebIdentity')).toBe(1);
      expect(sts.calls[0]?.params.RoleArn).toBe(ROLE);
      expect(
        proxy.log.slice(from).some((e) => e.host === `sts.${REGION}.amazonaws.com` && e.method === 'POST'),
      ).toBe(true);
      // the session reached the steps after the login (tofu's), and no part of it was printed
      const [accessKey] = sts.issuedSecrets;
      expect(login.exported).toMatchObject({ AWS_ACCESS_KEY_ID: accessKey, AWS_REGION: REGION });
      expect(Object.keys(login.exported)).toEqual(
        expect.arrayContaining(['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']),
      );
      expect(findJobLeaks(plan, [TOKEN, PLAN_KEY, ...sts.issuedSecrets])).toEqual([]);
    } finally {
      await Promise.all([sts.close(), proxy.close()]);
    }
  }, 300_000);
});
