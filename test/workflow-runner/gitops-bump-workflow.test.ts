/**
 * .github/workflows/gitops-bump.yml, job bump, run locally step by step against the GitHub API
 * double (real git repositories behind REST and GraphQL): Slipway's committed image-bump bundle
 * gets its token from `secrets.ops-token`, or from the create-github-app-token stand-in, which
 * mints a token scoped to the ops repository in the double's token registry.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubDouble, type GitHubDouble, type RepoBuilder } from '../doubles/github/index.ts';
import { findJobLeaks } from './job-leaks.ts';
import { runWorkflowJob, type RunWorkflowJobOptions } from './run-workflow-job.ts';
import { checkoutStandIn } from './stand-ins/checkout.ts';
import { createGitHubAppTokenStandIn } from './stand-ins/create-github-app-token.ts';
import { slipwayAtHead } from './local-repos.ts';

const slipway = slipwayAtHead();
const workflow = slipway.workflow('gitops-bump.yml');
const fixture = resolve(import.meta.dirname, '../fixtures/gitops/ops-repo');
const DEV = 'apps/web/overlays/dev/kustomization.yaml';
const original = readFileSync(join(fixture, DEV), 'utf8');
const OPS_TOKEN = 'ghp_opstokenforthebumpjob00000000000001';
const RUN_TOKEN = 'ghs_callerrunjobtoken0000000000000000001';
const D1 = `sha256:${'1'.repeat(64)}`;
const APP_ID = '123456';
const APP_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  type: 'pkcs1',
  format: 'pem',
}) as string;

let gh: GitHubDouble;
let ops: RepoBuilder;
let baseOid: string;

beforeAll(async () => {
  gh = await startGitHubDouble();
  gh.tokens.set(OPS_TOKEN, { permissions: { contents: 'write', pull_requests: 'write', metadata: 'read' } });
});
afterAll(async () => {
  await gh.close();
});
beforeEach(async () => {
  ops = await gh.repos.create(`acme/ops-${Math.random().toString(36).slice(2, 8)}`);
  baseOid = await ops.commit({ files: { [DEV]: original }, message: 'init' });
  gh.requests.reset();
});

function bump(
  inputs: RunWorkflowJobOptions['inputs'],
  secrets: Record<string, string> = { 'ops-token': OPS_TOKEN },
) {
  const checkout = checkoutStandIn({ 'slipway-org/slipway': slipway.dir });
  const appToken = createGitHubAppTokenStandIn({ tokens: gh.tokens, appId: APP_ID, privateKey: APP_KEY });
  const run = runWorkflowJob({
    workflow,
    job: 'bump',
    inputs: { environment: 'production', 'ops-repository': ops.fullName, files: DEV, ...inputs },
    secrets,
    github: {
      repository: 'acme/web',
      sha: 'c0ffee0000000000000000000000000000000001',
      ref: 'refs/heads/main',
      token: RUN_TOKEN,
      serverUrl: gh.serverUrl,
      apiUrl: gh.url,
      graphqlUrl: gh.graphqlUrl,
      workflowRepository: 'slipway-org/slipway',
      workflowSha: slipway.sha,
    },
    standIns: {
      'actions/checkout': checkout.standIn,
      'actions/create-github-app-token': appToken.standIn,
    },
  });
  return { run, checkout, appToken };
}

const outcomes = (result: Awaited<ReturnType<typeof runWorkflowJob>>) => result.steps.map((s) => s.outcome);
const pulls = () => ops.repo.pulls.filter((p) => p.state === 'open');

describe('gitops-bump.yml (local runner)', () => {
  it('opens the pull request with the bumped tag and digest, using the ops-token secret', async () => {
    const { run } = bump({ image: 'web=ghcr.io/acme/web', tag: '9b8c7d6', digest: D1 });
    const result = await run;
    expect(result.annotations).toEqual([]);
    expect(result.conclusion).toBe('success');
    expect(outcomes(result)).toEqual(['success', 'success', 'success', 'success', 'skipped', 'success']);
    expect(result.environment).toBe('production');
    expect(result.concurrencyGroup).toBe(
      `slipway-gitops-bump-${ops.fullName}-production-web=ghcr.io/acme/web-`,
    );
    expect(result.steps[3]!.outputs).toEqual({
      owner: 'acme',
      name: ops.fullName.split('/')[1],
      image: `web=ghcr.io/acme/web:9b8c7d6@${D1}`,
    });
    const bumpStep = result.steps[5]!;
    expect(bumpStep.with).toMatchObject({
      token: OPS_TOKEN,
      repository: ops.fullName,
      base: '',
      file: DEV,
      image: `web=ghcr.io/acme/web:9b8c7d6@${D1}`,
      'auto-merge': '',
    });

    const head = await ops.resolve('refs/heads/slipway/bump/web');
    expect(await ops.resolve(`${head}^`)).toBe(baseOid);
    expect(await ops.readFile(head!, DEV)).toBe(
      original.replace(
        '    newTag: "3f2a9c1" # {"$imagepolicy": "flux-system:web:tag"}\n',
        `    newTag: "9b8c7d6" # {"$imagepolicy": "flux-system:web:tag"}\n    digest: ${D1}\n`,
      ),
    );
    expect(pulls()).toHaveLength(1);
    expect(pulls()[0]).toMatchObject({ number: 1, title: 'Bump web to 9b8c7d6', base: 'main' });
    expect(pulls()[0]!.body).toContain(`Source run: ${gh.serverUrl}/acme/web/actions/runs/1000001`);
    const outputs = {
      changed: 'true',
      'pull-request-url': `${gh.serverUrl}/${ops.fullName}/pull/1`,
      'pull-request-number': '1',
      'commit-sha': head,
    };
    expect(result.outputs).toEqual(outputs);
    expect(result.workflowOutputs).toEqual(outputs);
    expect(findJobLeaks(result, [OPS_TOKEN, RUN_TOKEN])).toEqual([]);
  }, 60_000);

  it('with app-id: a token scoped to the ops repository from the app-token stand-in (not ops-token), auto-merge on', async () => {
    const { run, appToken } = bump(
      { image: 'web', tag: 'v2', 'app-id': APP_ID, 'auto-merge': 'squash' },
      // the ops-token secret is passed too: with app-id set, the app's token must win
      { 'app-private-key': APP_KEY, 'ops-token': OPS_TOKEN },
    );
    const result = await run;
    expect(result.annotations).toEqual([]);
    expect(result.conclusion).toBe('success');
    expect(outcomes(result)).toEqual(Array(6).fill('success'));
    expect(appToken.minted).toEqual([
      {
        token: appToken.minted[0]!.token,
        owner: 'acme',
        repositories: [ops.fullName],
        permissions: { metadata: 'read', contents: 'write', pull_requests: 'write' },
      },
    ]);
    expect(result.steps[5]!.with.token).toBe(appToken.minted[0]!.token);
    expect(pulls()[0]).toMatchObject({ title: 'Bump web to v2', autoMerge: { mergeMethod: 'SQUASH' } });
    expect(findJobLeaks(result, [appToken.minted[0]!.token, APP_KEY, OPS_TOKEN])).toEqual([]);
  }, 60_000);

  it.each([
    [
      { image: 'ghcr.io/acme/web@sha256:abc', tag: 'v2' },
      "input 'image' must be a name without a digest, and 'tag' a Docker tag",
    ],
    [
      { image: 'web', tag: 'v2 && id' },
      "input 'image' must be a name without a digest, and 'tag' a Docker tag",
    ],
    [{ image: 'web', digest: 'sha256:1234' }, "input 'digest' must be sha256:<64 hex>"],
    [{ image: 'web' }, 'give the tag input, the digest input, or both'],
  ])(
    'a bad image input %j fails in its own step, before any API call',
    async (inputs, message) => {
      const result = await bump(inputs).run;
      expect(result.conclusion).toBe('failure');
      expect(outcomes(result)).toEqual(['success', 'success', 'success', 'failure', 'skipped', 'skipped']);
      expect(result.annotations.map((a) => a.message)).toEqual([
        message,
        'Process completed with exit code 1.',
      ]);
      expect(gh.requests.total).toBe(0);
      expect(ops.repo.pulls).toEqual([]);
      expect(result.workflowOutputs).toEqual({
        changed: '',
        'pull-request-url': '',
        'pull-request-number': '',
        'commit-sha': '',
      });
    },
    60_000,
  );

  it('refuses to run without a credential, or with app-id but no key', async () => {
    const none = await bump({ image: 'web', tag: 'v2' }, {}).run;
    expect(outcomes(none)).toEqual(['success', 'success', 'failure', 'skipped', 'skipped', 'skipped']);
    expect(none.annotations[0]!.message).toBe(
      'pass the ops-token secret, or the app-id input with the app-private-key secret',
    );
    const noKey = await bump({ image: 'web', tag: 'v2', 'app-id': APP_ID }, {}).run;
    expect(noKey.annotations[0]!.message).toBe('app-id is set but the app-private-key secret is empty');
    expect(gh.requests.total).toBe(0);
  }, 60_000);

  it('rejects the call like GitHub: a missing required input, an undeclared secret', async () => {
    await expect(
      bump({ image: 'web', tag: 'v2', files: undefined as unknown as string }).run,
    ).rejects.toThrow('Input required and not supplied: files');
    await expect(bump({ image: 'web', tag: 'v2' }, { 'gh-token': 'x' }).run).rejects.toThrow(
      'Invalid secret, gh-token is not defined in the referenced workflow.',
    );
  });
});
