/**
 * .github/workflows/promote.yml run locally job by job (source, then the promote leg staging ->
 * production) against the GitHub double (the ops repositories: real git behind REST and GraphQL) and
 * the Argo CD double. The test plays the two parties outside the workflow: GitHub merging the
 * promotion pull request once auto-merge is on (a merge commit on main), and Argo CD syncing that
 * merge commit (the production app's script is held until the merge, then walks to Healthy or
 * Degraded at the merge commit).
 *
 * verify is the real thing: the committed dist/verify bundle checks a real keyless signature that
 * the committed dist/sign bundle made over the staging digest against the Sigstore double
 * (Fulcio/Rekor/CT from @sigstore/mock), trusting the double's root through the `trusted-root`
 * input. With the default engine it installs the REAL cosign (scripts/real-tools.js builds it) from
 * the release double through its lock-checked path and runs `cosign verify`; the two-repository test
 * uses `verify-engine: native` (sigstore-js). An unsigned digest is refused. Polls and soaks are
 * fractions of a second; nothing asserts on time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Stage } from '../doubles/argocd/app-script.ts';
import { startArgoCdDouble, type ArgoCdDouble } from '../doubles/argocd/server.ts';
import { startGitHubDouble, type GitHubDouble, type RepoBuilder } from '../doubles/github/index.ts';
import { startRegistry, type RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import { startToolReleases, type ToolReleases } from '../doubles/release-assets/action-env.ts';
import { startSigstoreServices, type SigstoreServices } from '../doubles/sigstore/sigstore-services.ts';
import { runAction } from '../harness/run-action.ts';
import { realCosignJobEnv, serveRealCosign, type RealCosign } from '../integration/support/real-cosign.ts';
import { findJobLeaks } from './job-leaks.ts';
import { slipwayAtHead } from './local-repos.ts';
import { runWorkflowJob, type JobRunResult, type RunWorkflowJobOptions } from './run-workflow-job.ts';
import { checkoutStandIn } from './stand-ins/checkout.ts';

const slipway = slipwayAtHead();
const workflow = slipway.workflow('promote.yml');
const OPS_TOKEN = 'ghp_promoteopstoken000000000000000000001';
const RUN_TOKEN = 'ghs_promotecallerrun00000000000000000001';
const STAGING = 'apps/web/overlays/staging/kustomization.yaml';
const PROD = 'apps/web/overlays/production/kustomization.yaml';
const d = (c: string) => `sha256:${c.repeat(64)}`;
const overlay = (tag: string, digest: string) =>
  `resources:\n  - ../../base\nimages:\n  - name: web\n    newName: ghcr.io/acme/web\n    newTag: "${tag}"\n    digest: ${digest}\n`;

let gh: GitHubDouble;
let argo: ArgoCdDouble;
let tools: ToolReleases;
let cosign: RealCosign;
/** Tool caches, HOMEs and RUNNER_TEMP of the jobs, and the signing workspace. */
let runnerRoot: string;
let sigstore: SigstoreServices;
let argoToken: string;
let registry: RegistryServer;
/** The digest staging runs: a real image in the registry double, signed by dist/sign. */
let B: string;
/** A real image nobody signed. */
let U: string;

beforeAll(async () => {
  [gh, argo, tools, registry, sigstore] = await Promise.all([
    startGitHubDouble(),
    startArgoCdDouble(),
    startToolReleases(),
    startRegistry(),
    startSigstoreServices(),
  ]);
  B = await registry.pushImage('acme/web', 'v2');
  U = await registry.pushImage('acme/web', 'unsigned');
  gh.tokens.set(OPS_TOKEN, { permissions: { contents: 'write', pull_requests: 'write', metadata: 'read' } });
  argoToken = [...argo.tokens][0]!;
  cosign = serveRealCosign(tools);
  runnerRoot = mkdtempSync(join(tmpdir(), 'promote-runner-'));
  // a real keyless signature over B: the committed sign bundle against the Sigstore double
  const workspace = mkdtempSync(join(runnerRoot, 'sign-'));
  const signed = await runAction({
    actionDir: resolve(import.meta.dirname, '../../actions/sign'),
    workspace,
    inputs: {
      image: `${registry.host}/acme/web@${B}`,
      engine: 'native',
      'fulcio-url': sigstore.fulcioUrl,
      'rekor-url': sigstore.rekorUrl,
    },
    env: sigstore.oidcEnv,
  });
  if (signed.exitCode !== 0) throw new Error(`signing the staging digest failed:\n${signed.log}`);
}, 120_000);
afterAll(async () => {
  await Promise.all([gh.close(), argo.close(), tools.server.close(), registry.stop(), sigstore.stop()]);
  rmSync(runnerRoot, { recursive: true, force: true });
  rmSync(dirname(cosign.lockPath), { recursive: true, force: true });
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
/** Healthy at `before` until the promotion merges (`merged`, filled by mergeWhenAutoMergeIsOn, gets its commit). */
const healthyUntilMerged = (before: string[], merged: string[]): Stage => ({
  ...healthy(before),
  holdUntil: { when: () => merged.length > 0 },
});
/** The merged commit synced, its rollout still going. */
const progressing = (merged: string[]): Stage => ({
  compared: merged,
  sync: 'Synced',
  health: 'Progressing',
  operation: { revisions: merged, phase: 'Succeeded' },
});
/** The merged commit synced, and its workload Degraded with `message`. */
const degraded = (merged: string[], message: string): Stage => ({
  ...healthy(merged),
  health: 'Degraded',
  healthMessage: message,
});

/**
 * GitHub's auto-merge: once the promotion pull request is open with auto-merge on, merge it with a
 * merge commit on main. Argo CD's production app stays at the old head until then, and then
 * compares `merged` (the same array object, filled in here).
 */
function mergeWhenAutoMergeIsOn(
  merged: string[],
  repo: RepoBuilder = ops,
  file = PROD,
): { stop: () => void; error: () => unknown } {
  let failure: unknown;
  let busy = false;
  const timer = setInterval(() => {
    const pr = repo.repo.pulls.find((p) => p.state === 'open' && p.autoMerge?.mergeMethod === 'MERGE');
    if (!pr || busy || merged.length > 0) return;
    busy = true;
    void (async () => {
      const bumpHead = (await repo.resolve(`refs/heads/${pr.head.ref}`))!;
      const main = (await repo.resolve('refs/heads/main'))!;
      const sha = await repo.commit({
        parents: [main, bumpHead],
        files: { [file]: (await repo.readFile(bumpHead, file))! },
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
  const run = runWorkflowJob({
    workflow,
    job: name,
    inputs: {
      'ops-repository': ops.fullName,
      environments: 'staging,production',
      overlay: 'apps/web/overlays/{env}/kustomization.yaml',
      image: 'web',
      'registry-image': `${registry.host}/acme/web`,
      'certificate-identity': sigstore.identity,
      'trusted-root': JSON.stringify(sigstore.trustedRoot()),
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
    runnerEnv: realCosignJobEnv(cosign, tools, runnerRoot),
    ...extra,
  });
  return { run };
}

const outcomes = (result: JobRunResult) => result.steps.map((s) => `${s.outcome} ${s.name}`);
/** The matrix leg GitHub would start for the source job's first hop. */
const firstHop = (source: JobRunResult) =>
  ({
    hop: (JSON.parse(source.outputs.hops!) as Record<string, string>[])[0]!,
  }) as RunWorkflowJobOptions['matrix'];
const SECRETS = () => [OPS_TOKEN, RUN_TOKEN, argoToken];

async function sourceJob(): Promise<JobRunResult> {
  // staging: Argo CD synced the ops head, a descendant of the commit that bumped staging
  argo.addApp({ name: `web-${suffix}-staging`, stages: [healthy([head])] });
  const { run } = job('source', {});
  const result = await run;
  expect(result.annotations).toEqual([]);
  expect(result.warnings).toEqual([]);
  expect(result.conclusion).toBe('success');
  return result;
}

describe('promote.yml (local runner: GitHub double + Argo CD double)', () => {
  it('source: reads the digest live in staging, waits until staging is synced and healthy, verifies it, plans the hops', async () => {
    const result = await sourceJob();
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
    expect(result.steps[6]!.outputs).toMatchObject({
      digest: B,
      image: `${registry.host}/acme/web@${B}`,
      verified: '1',
    });
    // the real cosign: installed against the lock file, run with the identity, found the signature
    expect(result.log).toContain(`as tools.lock.json says.`);
    expect(result.log).toContain(`cosign ${cosign.version} installed at`);
    expect(result.log).toMatch(
      new RegExp(`cosign verify --certificate-identity ${sigstore.identity.replace(/[.]/g, '\\.')} `),
    );
    expect(result.log).toContain(`1 signature(s) of ${registry.host}/acme/web@${B} verified.`);
    expect(result.steps[3]!.outputs).toMatchObject({ commit: stagingCommit, digest: B, tag: 'v2' });
    expect(result.steps[5]!.with).toMatchObject({ revision: stagingCommit, 'accept-descendants': 'true' });
    expect(result.outputs).toEqual({
      digest: B,
      tag: 'v2',
      hops: JSON.stringify([{ from: 'staging', to: 'production', repository: ops.fullName }]),
      repository: ops.fullName,
    });
    expect(result.workflowOutputs).toEqual({ digest: B });
    expect(findJobLeaks(result, SECRETS())).toEqual([]);
  }, 120_000);

  it('hop: promotion PR with auto-merge -> merged -> Argo CD syncs the merge commit -> healthy; no rollback', async () => {
    // each test has its own ops repository, which the source job names in the hops
    const source = await sourceJob();
    const merged: string[] = [];
    argo.addApp({
      name: `web-${suffix}-production`,
      stages: [
        healthyUntilMerged([head], merged),
        {
          compared: merged,
          sync: 'OutOfSync',
          health: 'Healthy',
          operation: { revisions: [head], phase: 'Succeeded' },
        },
        progressing(merged),
        healthy(merged),
      ],
    });
    const merger = mergeWhenAutoMergeIsOn(merged);
    const { run } = job(
      'promote',
      {},
      {
        needs: { source: { result: 'success', outputs: source.outputs } },
        matrix: firstHop(source),
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
      branch: 'slipway/promote/web-production',
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
    // each test has its own ops repository, which the source job names in the hops
    const source = await sourceJob();
    const merged: string[] = [];
    argo.addApp({
      name: `web-${suffix}-production`,
      stages: [
        healthyUntilMerged([head], merged),
        progressing(merged),
        degraded(merged, 'Deployment "web" exceeded its progress deadline'),
      ],
    });
    const merger = mergeWhenAutoMergeIsOn(merged);
    const { run } = job(
      'promote',
      {},
      {
        needs: { source: { result: 'success', outputs: source.outputs } },
        matrix: firstHop(source),
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
    expect(result.steps[7]!.with.changes).toBe(
      `- file: ${PROD}\n  image: web=ghcr.io/acme/web:v1@${d('a')}\n`,
    );
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

describe('promote.yml: the real verify refuses a digest nobody signed', () => {
  it('source: staging runs an unsigned digest -> verify fails, no digest is handed on', async () => {
    await ops.commit({
      files: { [STAGING]: overlay('v3', U) },
      message: 'bump staging to an unsigned build',
    });
    const synced = (await ops.resolve('refs/heads/main'))!;
    argo.addApp({ name: `web-${suffix}-staging`, stages: [healthy([synced])] });
    const { run } = job('source', {});
    const result = await run;
    expect(result.conclusion).toBe('failure');
    expect(outcomes(result).slice(5)).toEqual([
      'success Wait until the first environment is synced and healthy',
      "failure Verify the digest's signature",
      'skipped Hand the verified digest on',
    ]);
    expect(result.outputs.digest ?? '').toBe('');
    const errors = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(result.steps[6]!.with.image).toBe(`${registry.host}/acme/web@${U}`);
    expect(errors.join('\n')).toContain('Error: no signatures found');
    expect(findJobLeaks(result, SECRETS())).toEqual([]);
  }, 120_000);
});

/**
 * Two ops repositories (ops-repositories): staging's Helm values in a non-production repository,
 * production's in another. The source job reads and waits in the first; the hop's promotion pull
 * request, its wait (the compare API of that repository) and the rollback pull request are all in
 * the second. The values files are Helm's (values-key: image), so the rollback restores
 * repository/tag/digest as image-bump writes them.
 */
describe('promote.yml across two ops repositories, Helm values', () => {
  const VALUES = 'charts/web/values-{env}.yaml';
  const STAGING_VALUES = 'charts/web/values-staging.yaml';
  const PROD_VALUES = 'charts/web/values-production.yaml';
  const values = (tag: string, digest: string) =>
    `replicaCount: 2\nimage:\n  repository: ${registry.host}/acme/web\n  tag: "${tag}"\n  digest: ${digest}\n`;

  it('source reads staging in the first repository; the hop bumps production in the second; Degraded -> rollback PR there', async () => {
    const nonprod = await gh.repos.create(`acme/ops-nonprod-${suffix}`);
    const prod = await gh.repos.create(`acme/ops-prod-${suffix}`);
    await nonprod.commit({ files: { [STAGING_VALUES]: values('v1', d('a')) } });
    const stagingBump = await nonprod.commit({ files: { [STAGING_VALUES]: values('v2', B) } });
    const prodBefore = await prod.commit({ files: { [PROD_VALUES]: values('v1', d('a')) } });
    const inputs = {
      'ops-repository': '',
      'ops-repositories': `staging=${nonprod.fullName}\nproduction=${prod.fullName}`,
      overlay: VALUES,
      'values-key': 'image',
      applications: `helm-${suffix}-{env}`,
      'verify-engine': 'native',
    };

    argo.addApp({ name: `helm-${suffix}-staging`, stages: [healthy([stagingBump])] });
    const sourceRun = job('source', inputs);
    const source = await sourceRun.run;
    expect(source.annotations).toEqual([]);
    expect(source.conclusion).toBe('success');
    expect(source.steps[3]!.with).toMatchObject({ repository: nonprod.fullName, key: 'image' });
    expect(source.steps[3]!.outputs).toMatchObject({
      commit: stagingBump,
      digest: B,
      tag: 'v2',
      kind: 'helm',
    });
    expect(source.steps[5]!.with).toMatchObject({ repository: nonprod.fullName, revision: stagingBump });
    // the native engine: sigstore-js, no cosign
    expect(source.steps[6]!.outputs).toMatchObject({ verified: '1', identities: sigstore.identity });
    expect(source.log).not.toContain('cosign verify');
    expect(source.outputs).toMatchObject({
      digest: B,
      repository: nonprod.fullName,
      hops: JSON.stringify([{ from: 'staging', to: 'production', repository: prod.fullName }]),
    });

    const merged: string[] = [];
    argo.addApp({
      name: `helm-${suffix}-production`,
      stages: [
        healthyUntilMerged([prodBefore], merged),
        progressing(merged),
        degraded(merged, 'Back-off restarting failed container'),
      ],
    });
    const merger = mergeWhenAutoMergeIsOn(merged, prod, PROD_VALUES);
    const hop = job('promote', inputs, {
      needs: { source: { result: 'success', outputs: source.outputs } },
      matrix: firstHop(source),
    });
    const result = await hop.run.finally(merger.stop);
    expect(merger.error()).toBeUndefined();
    expect(result.conclusion).toBe('failure');
    expect(outcomes(result).slice(3)).toEqual([
      'success Open the promotion pull request',
      'skipped Read the overlay when it already had the digest',
      'failure Wait until Argo CD has synced the promotion and it stays healthy',
      "success Find the version before the failed one in the overlay's history",
      'success Open the rollback pull request',
      'failure Fail the hop when the environment did not become healthy',
    ]);
    // the promotion: the verified image by digest, with staging's tag, in production's repository
    expect(result.steps[3]!.with).toMatchObject({
      repository: prod.fullName,
      file: PROD_VALUES,
      image: `${registry.host}/acme/web:v2@${B}`,
      key: 'image',
    });
    expect(await prod.readFile(result.steps[3]!.outputs['commit-sha']!, PROD_VALUES)).toBe(values('v2', B));
    expect(result.steps[5]!.with).toMatchObject({ repository: prod.fullName });
    expect(JSON.parse(result.steps[5]!.outputs.applications!)).toMatchObject([
      { name: `helm-${suffix}-production`, outcome: 'failed', revision: merged[0] },
    ]);
    // the rollback: read from production's history in its own repository
    expect(result.steps[6]!.outputs).toMatchObject({
      'rollback-commit': prodBefore,
      'rollback-digest': d('a'),
      'rollback-tag': 'v1',
      kind: 'helm',
    });
    expect(parse(result.steps[6]!.outputs['rollback-changes']!, { schema: 'failsafe' })).toEqual([
      { file: PROD_VALUES, image: `${registry.host}/acme/web:v1@${d('a')}`, key: 'image' },
    ]);
    const rollback = prod.repo.pulls.find((p) => p.state === 'open')!;
    expect(rollback.title).toBe(`Roll back web in production to ${d('a')}`);
    expect(rollback.head.ref).toBe('slipway/rollback/web-production');
    expect(await prod.readFile(result.steps[7]!.outputs['commit-sha']!, PROD_VALUES)).toBe(
      values('v1', d('a')),
    );
    // nothing was written to the first repository
    expect(nonprod.repo.pulls).toEqual([]);
    expect(await nonprod.resolve('refs/heads/main')).toBe(stagingBump);
    expect(findJobLeaks(result, SECRETS())).toEqual([]);
  }, 240_000);

  it('plan: refuses an ops-repositories entry for an unknown environment, and an environment with no repository', async () => {
    const bad = await job('source', {
      'ops-repository': '',
      'ops-repositories': `staging=acme/ops-a,prod=acme/ops-b`,
    }).run;
    expect(bad.conclusion).toBe('failure');
    expect(bad.annotations.map((a) => a.message)).toContain(
      "input 'ops-repositories': 'prod=acme/ops-b' is not env=owner/name for one of the environments",
    );
    const missing = await job('source', { 'ops-repository': '', 'ops-repositories': 'staging=acme/ops-a' })
      .run;
    expect(missing.annotations.map((a) => a.message)).toContain(
      "no ops repository for production: give input 'ops-repository', or production=owner/name in 'ops-repositories'",
    );
    expect(outcomes(missing).slice(2)).toEqual([
      'failure Plan the hops',
      'skipped Read the digest in the first environment',
      'skipped Check that the digest is pinned',
      'skipped Wait until the first environment is synced and healthy',
      "skipped Verify the digest's signature",
      'skipped Hand the verified digest on',
    ]);
  }, 120_000);
});
