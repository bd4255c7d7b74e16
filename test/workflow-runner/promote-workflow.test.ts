/**
 * .github/workflows/promote.yml run locally job by job (source, then the promote leg staging ->
 * production) against the GitHub double (the ops repository: real git behind REST and GraphQL) and
 * the Argo CD double. The test plays the two parties outside the workflow: GitHub merging the
 * promotion pull request once auto-merge is on (a merge commit on main), and Argo CD syncing that
 * merge commit (the production app's script is held until the merge, then walks to Healthy or
 * Degraded at the merge commit). verify runs the vouching cosign stand-in (it verifies nothing; the
 * argv is asserted): verification itself is covered by test/integration/verify.test.ts and
 * deploy-gate's workflow tests. Polls and soaks are fractions of a second; nothing asserts on time.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stage } from '../doubles/argocd/app-script.ts';
import { startArgoCdDouble, type ArgoCdDouble } from '../doubles/argocd/server.ts';
import { startGitHubDouble, type GitHubDouble, type RepoBuilder } from '../doubles/github/index.ts';
import { startRegistry, type RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import { simulatedRunner, type ToolReleases } from '../doubles/release-assets/action-env.ts';
import { findJobLeaks } from './job-leaks.ts';
import { slipwayAtHead } from './local-repos.ts';
import { runWorkflowJob, type JobRunResult, type RunWorkflowJobOptions } from './run-workflow-job.ts';
import { checkoutStandIn } from './stand-ins/checkout.ts';
import { startVouchingCosignReleases } from './vouching-cosign.ts';

const slipway = slipwayAtHead();
const workflow = slipway.workflow('promote.yml');
const OPS_TOKEN = 'ghp_promoteopstoken000000000000000000001';
const RUN_TOKEN = 'ghs_promotecallerrun00000000000000000001';
const STAGING = 'apps/web/overlays/staging/kustomization.yaml';
const PROD = 'apps/web/overlays/production/kustomization.yaml';
const IDENTITY =
  'https://github.com/slipway-org/slipway/.github/workflows/build-sign-push.yml@refs/heads/main';
const d = (c: string) => `sha256:${c.repeat(64)}`;
const overlay = (tag: string, digest: string) =>
  `resources:\n  - ../../base\nimages:\n  - name: web\n    newName: ghcr.io/acme/web\n    newTag: "${tag}"\n    digest: ${digest}\n`;

let gh: GitHubDouble;
let argo: ArgoCdDouble;
let cosign: ToolReleases;
let argoToken: string;
let registry: RegistryServer;
/** The digest staging runs: a real image in the registry double, which verify resolves. */
let B: string;
const runnerRoots: string[] = [];

beforeAll(async () => {
  [gh, argo, cosign, registry] = await Promise.all([
    startGitHubDouble(),
    startArgoCdDouble(),
    startVouchingCosignReleases(),
    startRegistry(),
  ]);
  B = await registry.pushImage('acme/web', 'v2');
  gh.tokens.set(OPS_TOKEN, { permissions: { contents: 'write', pull_requests: 'write', metadata: 'read' } });
  argoToken = [...argo.tokens][0]!;
});
afterAll(async () => {
  await Promise.all([gh.close(), argo.close(), cosign.server.close(), registry.stop()]);
  for (const root of runnerRoots) rmSync(root, { recursive: true, force: true });
});

/** The ops repository: production at v1 (digest a), staging promoted to v2 (digest b) and synced. */
let ops: RepoBuilder;
let prodCommit: string;
let stagingCommit: string;
let head: string;
let suffix: string;
beforeEach(async () => {
  suffix = Math.random().toString(36).slice(2, 8);
  ops = await gh.repos.create(`acme/ops-${suffix}`);
  prodCommit = await ops.commit({
    files: { [STAGING]: overlay('v1', d('a')), [PROD]: overlay('v1', d('a')) },
  });
  stagingCommit = await ops.commit({ files: { [STAGING]: overlay('v2', B) }, message: 'bump staging' });
  head = await ops.commit({ files: { 'README.md': 'ops\n' }, message: 'docs' });
});

const healthy = (revs: string[]): Stage => ({
  compared: revs,
  sync: 'Synced',
  health: 'Healthy',
  operation: { revisions: revs, phase: 'Succeeded' },
});

/**
 * GitHub's auto-merge: once the promotion pull request is open with auto-merge on, merge it with a
 * merge commit on main. Argo CD's production app stays at the old head until then, and then
 * compares `merged` (the same array object, filled in here).
 */
function mergeWhenAutoMergeIsOn(merged: string[]): { stop: () => void; error: () => unknown } {
  let failure: unknown;
  let busy = false;
  const timer = setInterval(() => {
    const pr = ops.repo.pulls.find((p) => p.state === 'open' && p.autoMerge?.mergeMethod === 'MERGE');
    if (!pr || busy || merged.length > 0) return;
    busy = true;
    void (async () => {
      const bumpHead = (await ops.resolve(`refs/heads/${pr.head.ref}`))!;
      const main = (await ops.resolve('refs/heads/main'))!;
      const sha = await ops.commit({
        parents: [main, bumpHead],
        files: { [PROD]: (await ops.readFile(bumpHead, PROD))! },
        message: `Merge pull request #${pr.number} from ${pr.head.ref}`,
      });
      pr.state = 'closed';
      merged.push(sha);
    })().catch((e: unknown) => {
      failure = e;
    });
  }, 25);
  return { stop: () => clearInterval(timer), error: () => failure };
}

function job(
  name: 'source' | 'promote',
  inputs: RunWorkflowJobOptions['inputs'],
  extra: Pick<RunWorkflowJobOptions, 'needs' | 'matrix'> = {},
) {
  const runner = simulatedRunner(cosign);
  runnerRoots.push(runner.root);
  const run = runWorkflowJob({
    workflow,
    job: name,
    inputs: {
      'ops-repository': ops.fullName,
      environments: 'staging,production',
      overlay: 'apps/web/overlays/{env}/kustomization.yaml',
      image: 'web',
      'registry-image': `${registry.host}/acme/web`,
      'certificate-identity': IDENTITY,
      server: argo.url,
      applications: `web-${suffix}-{env}`,
      timeout: '20s',
      soak: '200ms',
      'poll-interval': '20ms',
      'max-poll-interval': '80ms',
      ...inputs,
    },
    secrets: { 'ops-token': OPS_TOKEN, 'argocd-token': argoToken },
    github: {
      repository: 'acme/web',
      sha: 'c0ffee0000000000000000000000000000000003',
      ref: 'refs/heads/main',
      token: RUN_TOKEN,
      serverUrl: gh.serverUrl,
      apiUrl: gh.url,
      graphqlUrl: gh.graphqlUrl,
      workflowRepository: 'slipway-org/slipway',
      workflowSha: slipway.sha,
    },
    standIns: { 'actions/checkout': checkoutStandIn({ 'slipway-org/slipway': slipway.dir }).standIn },
    runnerEnv: runner.env(),
    ...extra,
  });
  return { run, runner };
}

const outcomes = (result: JobRunResult) => result.steps.map((s) => `${s.outcome} ${s.name}`);
const SECRETS = () => [OPS_TOKEN, RUN_TOKEN, argoToken];

async function sourceJob(): Promise<JobRunResult> {
  // staging: Argo CD synced the ops head, a descendant of the commit that bumped staging
  argo.addApp({ name: `web-${suffix}-staging`, stages: [healthy([head])] });
  const { run, runner } = job('source', {});
  const result = await run;
  expect(result.annotations).toEqual([]);
  expect(result.warnings).toEqual([]);
  expect(result.conclusion).toBe('success');
  const cosignVerify = runner.calls().filter((c) => c.tool === 'cosign' && c.argv[0] === 'verify');
  expect(cosignVerify).toHaveLength(1);
  expect(cosignVerify[0]!.argv).toContain(IDENTITY);
  expect(cosignVerify[0]!.argv.at(-1)).toBe(`${registry.host}/acme/web@${B}`);
  return result;
}

/** The source job's result, run once for the file: its outputs depend only on the staging digest and the hops. */
let sourceRun: Promise<JobRunResult> | undefined;
const sourceOnce = () => (sourceRun ??= sourceJob());

describe('promote.yml (local runner: GitHub double + Argo CD double)', () => {
  it('source: reads the digest live in staging, waits until staging is synced and healthy, verifies it, plans the hops', async () => {
    const result = await sourceOnce();
    expect(outcomes(result)).toEqual([
      "success Check that this workflow's own commit is known",
      "success Check out Slipway's actions at this workflow's commit",
      'success Plan the hops',
      'success Read the digest in the first environment',
      'success Check that the digest is pinned',
      'success Wait until the first environment is synced and healthy',
      "success Verify the digest's signature",
      'success Hand the verified digest on',
    ]);
    expect(result.steps[3]!.outputs).toMatchObject({ commit: stagingCommit, digest: B, tag: 'v2' });
    expect(result.steps[5]!.with).toMatchObject({ revision: stagingCommit, 'accept-descendants': 'true' });
    expect(result.outputs).toEqual({
      digest: B,
      tag: 'v2',
      hops: JSON.stringify([{ from: 'staging', to: 'production' }]),
    });
    expect(result.workflowOutputs).toEqual({ digest: B });
    expect(findJobLeaks(result, SECRETS())).toEqual([]);
  }, 120_000);

  it('hop: promotion PR with auto-merge -> merged -> Argo CD syncs the merge commit -> healthy; no rollback', async () => {
    const source = await sourceOnce();
    const merged: string[] = [];
    argo.addApp({
      name: `web-${suffix}-production`,
      stages: [
        { ...healthy([head]), holdUntil: { when: () => merged.length > 0 } },
        {
          compared: merged,
          sync: 'OutOfSync',
          health: 'Healthy',
          operation: { revisions: [head], phase: 'Succeeded' },
        },
        {
          compared: merged,
          sync: 'Synced',
          health: 'Progressing',
          operation: { revisions: merged, phase: 'Succeeded' },
        },
        healthy(merged),
      ],
    });
    const merger = mergeWhenAutoMergeIsOn(merged);
    const { run } = job(
      'promote',
      {},
      {
        needs: { source: { result: 'success', outputs: source.outputs } },
        matrix: { hop: { from: 'staging', to: 'production' } },
      },
    );
    const result = await run.finally(merger.stop);
    expect(merger.error()).toBeUndefined();
    expect(result.annotations).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.conclusion).toBe('success');
    expect(result.environment).toBe('production');
    expect(outcomes(result)).toEqual([
      "success Check that this workflow's own commit is known",
      "success Check out Slipway's actions at this workflow's commit",
      "success Work out this hop's overlay, applications and image",
      'success Open the promotion pull request',
      'skipped Read the overlay when it already had the digest',
      'success Wait until Argo CD has synced the promotion and it stays healthy',
      "skipped Find the version before the failed one in the overlay's history",
      'skipped Open the rollback pull request',
      'skipped Fail the hop when the environment did not become healthy',
    ]);
    expect(result.steps[3]!.with).toMatchObject({
      file: PROD,
      image: `web=*:v2@${B}`,
      branch: 'slipway/promote/{{ image }}-production',
      'auto-merge': 'merge',
    });
    const bumpCommit = result.steps[3]!.outputs['commit-sha']!;
    // the exact digest and tag of staging, newName kept
    expect(await ops.readFile(bumpCommit, PROD)).toBe(overlay('v2', B));
    expect(await ops.readFile('refs/heads/main', PROD)).toBe(overlay('v2', B));
    expect(merged).toHaveLength(1);
    expect(result.steps[5]!.with).toMatchObject({ revision: bumpCommit, 'accept-descendants': 'true' });
    expect(JSON.parse(result.steps[5]!.outputs.applications!)).toMatchObject([
      { name: `web-${suffix}-production`, outcome: 'healthy', revision: merged[0] },
    ]);
    expect(ops.repo.pulls).toHaveLength(1);
    expect(findJobLeaks(result, SECRETS())).toEqual([]);
  }, 120_000);

  it('hop: production turns Degraded after the merge -> rollback PR to the digest production had before (from history); the job fails', async () => {
    const source = await sourceOnce();
    const merged: string[] = [];
    argo.addApp({
      name: `web-${suffix}-production`,
      stages: [
        { ...healthy([head]), holdUntil: { when: () => merged.length > 0 } },
        {
          compared: merged,
          sync: 'Synced',
          health: 'Progressing',
          operation: { revisions: merged, phase: 'Succeeded' },
        },
        {
          ...healthy(merged),
          health: 'Degraded',
          healthMessage: 'Deployment "web" exceeded its progress deadline',
        },
      ],
    });
    const merger = mergeWhenAutoMergeIsOn(merged);
    const { run } = job(
      'promote',
      {},
      {
        needs: { source: { result: 'success', outputs: source.outputs } },
        matrix: { hop: { from: 'staging', to: 'production' } },
      },
    );
    const result = await run.finally(merger.stop);
    expect(merger.error()).toBeUndefined();
    expect(result.conclusion).toBe('failure');
    expect(outcomes(result)).toEqual([
      "success Check that this workflow's own commit is known",
      "success Check out Slipway's actions at this workflow's commit",
      "success Work out this hop's overlay, applications and image",
      'success Open the promotion pull request',
      'skipped Read the overlay when it already had the digest',
      'failure Wait until Argo CD has synced the promotion and it stays healthy',
      "success Find the version before the failed one in the overlay's history",
      'success Open the rollback pull request',
      'failure Fail the hop when the environment did not become healthy',
    ]);
    // the version before the failed digest, read from the overlay's commits on main
    expect(result.steps[6]!.outputs).toMatchObject({
      'rollback-commit': prodCommit,
      'rollback-digest': d('a'),
      'rollback-image': `web=ghcr.io/acme/web:v1@${d('a')}`,
    });
    const rollback = ops.repo.pulls.find((p) => p.state === 'open')!;
    expect(rollback.title).toBe(`Roll back web in production to ${d('a')}`);
    expect(rollback.head.ref).toBe('slipway/rollback/web-production');
    // no auto-merge on the rollback: a person looks at it
    expect(rollback.autoMerge).toBeNull();
    expect(result.steps[7]!.outputs['pull-request-url']).toBe(
      `${gh.serverUrl}/${ops.fullName}/pull/${rollback.number}`,
    );
    const rollbackHead = result.steps[7]!.outputs['commit-sha']!;
    expect(await ops.readFile(rollbackHead, PROD)).toBe(overlay('v1', d('a')));
    const errors = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors[0]).toContain(`web-${suffix}-production: health is Degraded`);
    expect(errors).toContain(
      `production did not become healthy (deploy-wait: failed); rollback pull request: ${gh.serverUrl}/${ops.fullName}/pull/${rollback.number}`,
    );
    expect(findJobLeaks(result, SECRETS())).toEqual([]);
  }, 120_000);
});
