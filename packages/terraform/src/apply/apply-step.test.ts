/**
 * Sealed plans end to end at library level with REAL tofu (terraform_data, local backend):
 * plan → seal (AES-256-GCM + keyless DSSE attestation on the Sigstore double) → runApplyStep
 * against the GitHub double (real git repos: commit trees, refs). Apply changes the state;
 * every failed proof refuses before tofu runs, or re-plans with on-mismatch: replan.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { clientOnDouble } from '../../../../test/doubles/github/client.ts';
import { execProgram, type ProgramRunner } from '@slipway/supply-chain/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startGitHubDouble,
  type GitHubDouble,
  type HostedRepo,
} from '../../../../test/doubles/github/index.ts';
import {
  GITHUB_ISSUER,
  startSigstoreServices,
  type SigstoreServices,
} from '../../../../test/doubles/sigstore/sigstore-services.ts';
import { realTool } from '../../../../test/real-tools.ts';
import { planModule, writeModule } from '../plan/real-tofu.fixture.ts';
import { appliedRef, claimPlan, commitTree, type MarkerTarget } from './applied-marker.ts';
import { runApplyStep, type ApplyStepRequest } from './apply-step.ts';
import { SealBrokenError } from './plan-cipher.ts';
import type { SealedPlan } from './seal-plan.ts';
import { runSealStep } from './seal-step.ts';
import { ProvenanceError } from './verify-sealed-plan.ts';

const MODULE = `
resource "terraform_data" "a" { input = "one" }
output "a" { value = terraform_data.a.input }
`;
const KEY = randomBytes(32);

let tofu: { path: string; version: string };
let root: string;
let gh: GitHubDouble;
let sigstore: SigstoreServices;
let hosted: HostedRepo;
let github: MarkerTarget;
let merged: string;
let other: string;
let n = 0;
const calls: string[][] = [];
const run: ProgramRunner = (program, args, options) => {
  calls.push(args);
  return execProgram(program, args, options);
};

beforeAll(async () => {
  tofu = realTool('tofu');
  root = mkdtempSync(join(tmpdir(), 'tf-apply-'));
  [gh, sigstore] = await Promise.all([startGitHubDouble(), startSigstoreServices()]);
  const builder = await gh.repos.create('infra/live');
  merged = await builder.commit({ files: { 'app/main.tf': MODULE } });
  other = await builder.commit({ files: { 'app/main.tf': `${MODULE}# changed\n` } });
  hosted = builder.repo;
  const client = clientOnDouble(gh);
  github = { client, owner: 'infra', repo: 'live' };
}, 60_000);
afterAll(async () => {
  await Promise.all([gh?.close(), sigstore?.stop()]);
  rmSync(root, { recursive: true, force: true });
});

async function idToken(): Promise<string> {
  const { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: token } = sigstore.oidcEnv;
  const response = await fetch(`${url}&audience=sigstore`, { headers: { Authorization: `Bearer ${token}` } });
  return ((await response.json()) as { value: string }).value;
}

/** A fresh module, planned with real tofu and sealed for the tree of `commit`. */
async function plannedAndSealed(commit = merged): Promise<{ dir: string; sealed: SealedPlan }> {
  // Each plan its own bytes: a plan file embeds the configuration, and two plans of one module made
  // within the same second are byte-identical (same plan sha256, so the same applied marker).
  const dir = writeModule(join(root, `m${++n}`), { 'main.tf': MODULE, 'plan-id.tf': `# plan ${n}\n` });
  const plan = await planModule(tofu.path, dir);
  expect(plan.exitcode).toBe(2);
  const identityToken = await idToken();
  const outputDir = join(root, `sealed${n}`);
  mkdirSync(outputDir);
  const sealed = await runSealStep({
    planFile: plan.planFile!,
    outputDir,
    key: KEY,
    tool: 'tofu',
    toolVersion: tofu.version,
    workingDirectory: dir,
    directoryLabel: 'app',
    workspace: 'default',
    commit,
    runId: '4242',
    github,
    signing: {
      fulcioUrl: sigstore.fulcioUrl,
      rekorUrl: sigstore.rekorUrl,
      tlogUpload: true,
      timeoutMs: 5_000,
      identityToken,
    },
  });
  expect(sealed.manifest).toMatchObject({
    sourceCommit: commit,
    sourceTree: await commitTree(github, commit),
  });
  rmSync(plan.planFile!);
  return { dir, sealed };
}

function request(
  dir: string,
  sealed: SealedPlan,
  overrides: Partial<ApplyStepRequest> = {},
): ApplyStepRequest {
  return {
    tool: 'tofu',
    binary: tofu.path,
    toolVersion: tofu.version,
    workingDirectory: dir,
    directoryLabel: 'app',
    workspace: 'default',
    varFiles: [],
    backendConfig: [],
    sealedFile: sealed.sealedFile,
    bundleFile: sealed.bundleFile,
    key: KEY,
    trustedRoot: TrustedRoot.fromJSON(sigstore.trustedRoot()),
    policy: { identity: sigstore.identity, issuer: GITHUB_ISSUER },
    commit: merged,
    github,
    onMismatch: 'refuse',
    outputDir: join(dir, '.apply'),
    ...overrides,
  };
}

const io = { run, log: () => {}, warn: () => {} };
const stateOf = (dir: string) =>
  existsSync(join(dir, 'terraform.tfstate')) ? readFileSync(join(dir, 'terraform.tfstate'), 'utf8') : '';
const markerExists = (planSha: string) =>
  hosted.git.run(['rev-parse', '--verify', appliedRef(planSha)]).then(
    () => true,
    () => false,
  );

/** Runs the step expecting a refusal; returns it, and checks tofu never ran. */
async function refused(req: ApplyStepRequest): Promise<Error> {
  calls.length = 0;
  const error = await runApplyStep(req, io).then(
    () => new Error('applied'),
    (e: unknown) => e as Error,
  );
  expect(calls).toEqual([]);
  return error;
}

describe('runApplyStep with real tofu and a sealed plan', () => {
  it('applies exactly the sealed plan: state changes, the plan is marked applied, and a replay is refused', async () => {
    const { dir, sealed } = await plannedAndSealed();
    expect(readFileSync(sealed.sealedFile).includes(Buffer.from('terraform_data'))).toBe(false);
    expect(stateOf(dir)).toBe('');
    const result = await runApplyStep(request(dir, sealed), io);
    expect(result).toMatchObject({
      mode: 'sealed-plan',
      applied: true,
      planSha256: sealed.manifest.planSha256,
    });
    const state = JSON.parse(stateOf(dir)) as {
      outputs: { a: { value: string } };
      resources: { type: string }[];
    };
    expect(state.outputs.a.value).toBe('one');
    expect(state.resources.map((r) => r.type)).toEqual(['terraform_data']);
    expect(calls.find((a) => a[0] === 'apply')).toEqual([
      'apply',
      '-input=false',
      '-no-color',
      join(dir, '.apply', 'tfplan'),
    ]);
    expect(await markerExists(sealed.manifest.planSha256)).toBe(true);
    // the decrypted plan (sensitive values in clear) is gone once apply ran
    expect(existsSync(join(dir, '.apply', 'tfplan'))).toBe(false);

    const before = stateOf(dir);
    const replay = await refused(request(dir, sealed));
    expect(replay).toBeInstanceOf(ProvenanceError);
    expect(replay.message).toMatch(/\(replay\).*already applied/);
    expect(stateOf(dir)).toBe(before);
  });

  it('refuses a plan made from another tree than the merge commit, and does not mark it', async () => {
    const { dir, sealed } = await plannedAndSealed(other);
    const error = await refused(request(dir, sealed));
    expect(error.message).toMatch(
      /\(source tree\): commit [0-9a-f]{40} has tree [0-9a-f]{40}, the plan was made from tree/,
    );
    expect(stateOf(dir)).toBe('');
    expect(await markerExists(sealed.manifest.planSha256)).toBe(false);
  });

  it('refuses a tampered ciphertext and a wrong key (AES-GCM authentication)', async () => {
    const { dir, sealed } = await plannedAndSealed();
    const bytes = readFileSync(sealed.sealedFile);
    const tamperedFile = join(root, `tampered${n}`);
    bytes.writeUInt8(bytes.readUInt8(40) ^ 1, 40);
    writeFileSync(tamperedFile, bytes);
    const tampered = await refused(request(dir, sealed, { sealedFile: tamperedFile }));
    expect(tampered.message).toMatch(/\(digest\): the bundle is not about this sealed plan/);
    const wrongKey = await refused(request(dir, sealed, { key: randomBytes(32) }));
    expect(wrongKey).toBeInstanceOf(SealBrokenError);
    expect(wrongKey.message).toMatch(/AES-GCM authentication failed/);
    expect(stateOf(dir)).toBe('');
    expect(await markerExists(sealed.manifest.planSha256)).toBe(false);
  });

  it('refuses a signer other than the expected workflow identity', async () => {
    const { dir, sealed } = await plannedAndSealed();
    const error = await refused(
      request(dir, sealed, {
        policy: { identity: 'https://github.com/infra/live/.github/workflows/plan.yml@refs/heads/main' },
      }),
    );
    expect(error.message).toMatch(/\(identity\): signed by 'https:\/\/github.com\/octo-org\/octo-repo\//);
  });

  it('refuses another tool version and a changed .terraform.lock.hcl', async () => {
    const { dir, sealed } = await plannedAndSealed();
    expect((await refused(request(dir, sealed, { toolVersion: '1.0.0' }))).message).toMatch(
      new RegExp(
        `\\(tool\\): planned with 'tofu ${tofu.version.replace(/\./g, '\\.')}', applying with 'tofu 1\\.0\\.0'`,
      ),
    );
    writeFileSync(join(dir, '.terraform.lock.hcl'), '# provider locks changed after the plan\n');
    expect((await refused(request(dir, sealed))).message).toMatch(
      /\(\.terraform\.lock\.hcl\): planned with ''/,
    );
  });

  it('with on-mismatch: replan, plans the merged tree again and applies that, never the unproven plan', async () => {
    const { dir, sealed } = await plannedAndSealed(other);
    const warnings: string[] = [];
    calls.length = 0;
    const result = await runApplyStep(request(dir, sealed, { onMismatch: 'replan' }), {
      ...io,
      warn: (line) => warnings.push(line),
    });
    expect(result.mode).toBe('replan');
    expect(result.applied).toBe(true);
    expect(result.reason).toMatch(/source tree/);
    expect(warnings.join('\n')).toMatch(/Re-planning/);
    expect(calls.find((a) => a[0] === 'apply')?.at(-1)).toBe(join(dir, '.apply', 'tfplan.replan'));
    // one apply only, of the fresh plan: the sealed plan was never decrypted or applied
    expect(calls.filter((a) => a[0] === 'apply')).toHaveLength(1);
    expect((JSON.parse(stateOf(dir)) as { outputs: { a: { value: string } } }).outputs.a.value).toBe('one');
  });

  it('claims a plan atomically: of 10 concurrent claims exactly one wins', async () => {
    const plan = 'c'.repeat(64);
    const wins = await Promise.all(Array.from({ length: 10 }, () => claimPlan(github, plan, merged)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await markerExists(plan)).toBe(true);
  });
});
