/**
 * tf-plan (seal: true) → tf-apply through the committed bundles (dist/tf-plan, dist/tf-apply)
 * in the runner harness: real tofu installed from the release-asset double, keyless signing on
 * the Sigstore double, commit trees and the applied marker on the GitHub double. The sealed plan
 * is applied once (state changes), refused when replayed; bad inputs fail before any call.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction, type ActionRunResult } from '../harness/run-action.ts';
import { startGitHubDouble, type GitHubDouble } from '../doubles/github/index.ts';
import type { HostedRepo } from '../doubles/github/repo-store.ts';
import { startReleaseServer, type ReleaseServer } from '../doubles/release-assets/release-server.ts';
import { startSigstoreServices, type SigstoreServices } from '../doubles/sigstore/sigstore-services.ts';
import { realTool } from '../real-tools.ts';
import { packTofuRelease } from '../../packages/terraform/src/install/tofu-release.fixture.ts';

const planAction = resolve(import.meta.dirname, '../../actions/tf-plan');
const applyAction = resolve(import.meta.dirname, '../../actions/tf-apply');
const TOKEN = 'ghs_fakeApplyToken0123456789ABCDEFGH';
const KEY = randomBytes(32).toString('base64');
const MODULE = `
terraform {
  backend "local" {}
}
resource "terraform_data" "app" { input = "v1" }
output "app" { value = terraform_data.app.input }
`;

let releases: ReleaseServer;
let gh: GitHubDouble;
let sigstore: SigstoreServices;
let repo: HostedRepo;
let merged: string;
let root: string;
let workspace: string;
let trustedRoot: string;
let env: () => Record<string, string>;
const runs: ActionRunResult[] = [];

beforeAll(async () => {
  const tofu = realTool('tofu');
  const release = packTofuRelease(tofu.path, tofu.version.replace(/^v/, ''));
  [releases, gh, sigstore] = await Promise.all([
    startReleaseServer(),
    startGitHubDouble(),
    startSigstoreServices(),
  ]);
  releases.add(release.files);
  const builder = await gh.repos.create('octo/infra');
  merged = await builder.commit({ files: { 'infra/app/main.tf': MODULE } });
  repo = builder.repo;
  root = mkdtempSync(join(tmpdir(), 'tf-apply-e2e-'));
  workspace = join(root, 'ws');
  mkdirSync(join(workspace, 'infra', 'app'), { recursive: true });
  writeFileSync(join(workspace, 'infra', 'app', 'main.tf'), MODULE);
  const lockPath = join(root, 'tf-tools.lock.json');
  writeFileSync(lockPath, JSON.stringify(release.lock));
  trustedRoot = join(root, 'trusted-root.json');
  writeFileSync(trustedRoot, JSON.stringify(sigstore.trustedRoot()));
  let job = 0;
  env = () => ({
    ...gh.env,
    ...sigstore.oidcEnv,
    SLIPWAY_RELEASES_URL: releases.url,
    SLIPWAY_TF_TOOLS_LOCK: lockPath,
    SLIPWAY_CACHE_DIR: join(root, 'actions-cache'),
    RUNNER_TOOL_CACHE: join(root, `tool-cache-${++job}`),
    GITHUB_REPOSITORY: 'octo/infra',
    GITHUB_RUN_ID: '5151',
    GITHUB_SHA: merged,
  });
}, 120_000);
afterAll(async () => {
  await Promise.all([releases?.close(), gh?.close(), sigstore?.stop()]);
  for (const r of runs) rmSync(dirname(r.runnerTemp), { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
});

async function run(actionDir: string, inputs: Record<string, string>): Promise<ActionRunResult> {
  const result = await runAction({ actionDir, workspace, inputs, env: env() });
  runs.push(result);
  return result;
}

const applyInputs = (extra: Record<string, string> = {}) => ({
  'working-directory': 'infra/app',
  'sealed-plan': 'artifact/tfplan.sealed',
  'plan-key': KEY,
  'certificate-identity': sigstore.identity,
  'trusted-root': trustedRoot,
  sha: merged,
  'github-token': TOKEN,
  ...extra,
});
const statePath = () => join(workspace, 'infra', 'app', 'terraform.tfstate');

describe('tf-plan seal → tf-apply (committed bundles, real tofu)', () => {
  it('applies the sealed plan once, then refuses the replay; secrets stay masked', async () => {
    const plan = await run(planAction, {
      'working-directory': 'infra/app',
      'github-token': TOKEN,
      comment: 'false',
      seal: 'true',
      'plan-key': KEY,
      'fulcio-url': sigstore.fulcioUrl,
      'rekor-url': sigstore.rekorUrl,
    });
    expect(plan.exitCode, plan.log).toBe(0);
    expect(plan.outputs['has-changes']).toBe('true');
    expect(plan.outputs['sealed-plan']).toMatch(/tfplan\.sealed$/);
    expect(plan.outputs['plan-bundle']).toBe(`${plan.outputs['sealed-plan']}.sigstore.json`);
    expect(sigstore.counts.fulcio).toBe(1);
    // "download the artifact" into the apply job's workspace
    mkdirSync(join(workspace, 'artifact'), { recursive: true });
    copyFileSync(plan.outputs['sealed-plan']!, join(workspace, 'artifact', 'tfplan.sealed'));
    copyFileSync(plan.outputs['plan-bundle']!, join(workspace, 'artifact', 'tfplan.sealed.sigstore.json'));
    expect(existsSync(statePath())).toBe(false);

    const apply = await run(applyAction, applyInputs());
    expect(apply.exitCode, apply.log).toBe(0);
    expect(apply.outputs).toMatchObject({
      applied: 'true',
      mode: 'sealed-plan',
      'plan-digest': plan.outputs['plan-digest'],
      reason: '',
    });
    expect(apply.log).toContain('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.');
    const state = JSON.parse(readFileSync(statePath(), 'utf8')) as { outputs: { app: { value: string } } };
    expect(state.outputs.app.value).toBe('v1');
    expect(apply.summary).toContain('the sealed, reviewed plan');
    expect(
      await repo.git.run(['rev-parse', `refs/slipway-tf-applied/${plan.outputs['plan-digest']}`]),
    ).toMatch(new RegExp(merged));

    const replay = await run(applyAction, applyInputs());
    expect(replay.exitCode).toBe(1);
    expect(replay.log).toMatch(/provenance is not proven \(replay\).*already applied/);
    expect(replay.outputs.applied).toBe('false');
    expect(replay.summary).toMatch(/refused\n\nNothing was applied\. .*\(replay\)/);
    // refused before tofu ran (the install's own tar extraction is the only program)
    expect(replay.log).not.toMatch(/\[command\]\S*\/tofu /);

    for (const r of [plan, apply, replay]) {
      expect(r.masks).toContain(KEY);
      expect(r.masks).toContain(TOKEN);
      // everything printed but the masking commands themselves
      const printed = r.log
        .split('\n')
        .filter((line) => !line.includes('::add-mask::'))
        .join('\n');
      for (const secret of [KEY, TOKEN, ...sigstore.tokens])
        expect(printed + r.summary).not.toContain(secret);
    }
  });

  it.each([
    [{ 'plan-key': randomBytes(16).toString('base64') }, "Input 'plan-key' decodes to 16 bytes, not 32"],
    [{ 'sealed-plan': 'artifact/missing.sealed' }, "Input 'sealed-plan' names"],
    [{ 'certificate-identity': '' }, "Input 'certificate-identity' is not set"],
    [{ 'on-mismatch': 'apply-anyway' }, "Input 'on-mismatch' has the value 'apply-anyway'"],
    [{ sha: 'main' }, "Input 'sha' has the value 'main'"],
    [{ workspace: '../x' }, "Input 'workspace' has the value '../x'"],
  ])('bad input %j fails before any process or network call', async (bad, message) => {
    mkdirSync(join(workspace, 'artifact'), { recursive: true });
    for (const f of ['tfplan.sealed', 'tfplan.sealed.sigstore.json'])
      if (!existsSync(join(workspace, 'artifact', f))) writeFileSync(join(workspace, 'artifact', f), '{}');
    releases.resetCounters();
    gh.requests.reset();
    const result = await run(applyAction, applyInputs(bad));
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(message);
    expect(releases.requests).toEqual([]);
    expect(gh.requests.total).toBe(0);
    expect(result.log).not.toContain('[command]');
  });

  it.each([
    [{ 'plan-key': '' }, "Input 'plan-key' is empty while seal is true"],
    [{ 'plan-key': 'c2hvcnQ=' }, "Input 'plan-key' decodes to 5 bytes, not 32"],
    [{ 'fulcio-url': 'http://fulcio.example' }, "Input 'fulcio-url' is 'http://fulcio.example'"],
  ])('tf-plan with seal: bad input %j fails before any process or network call', async (bad, message) => {
    releases.resetCounters();
    gh.requests.reset();
    const fulcioCalls = sigstore.counts.fulcio;
    const result = await run(planAction, {
      'working-directory': 'infra/app',
      'github-token': TOKEN,
      comment: 'false',
      seal: 'true',
      'plan-key': KEY,
      'fulcio-url': sigstore.fulcioUrl,
      'rekor-url': sigstore.rekorUrl,
      ...bad,
    });
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(message);
    expect(releases.requests).toEqual([]);
    expect(gh.requests.total).toBe(0);
    expect(sigstore.counts.fulcio).toBe(fulcioCalls);
    expect(result.log).not.toContain('[command]');
  });
});
