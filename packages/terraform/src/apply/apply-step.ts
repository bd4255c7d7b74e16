/**
 * One tf-apply step: prove the sealed plan's provenance (Sigstore identity, statement about
 * this file, same directory/workspace/tool/version/lock file, merge commit's tree equal to the
 * planned tree, not applied before), claim it, decrypt it and apply exactly it. When any check
 * fails: refuse, or with `on-mismatch: replan` plan again from the merged tree and apply that.
 * A plan whose provenance is not proven is never decrypted for apply.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { UserError } from '@slipway/core';
import type { IdentityPolicy } from '@slipway/supply-chain/signing';
import type { ProgramRunner } from '@slipway/supply-chain/tools';
import type { RootModuleTarget } from '../inputs/root-module-inputs.ts';
import { runPlan } from '../plan/run-plan.ts';
import { claimPlan, commitTree, isApplied, type MarkerTarget } from './applied-marker.ts';
import { decryptPlan } from './plan-cipher.ts';
import { lockFileSha256, sha256Hex, type PlanManifest } from './plan-manifest.ts';
import { applyPlanFile } from './run-apply.ts';
import { ProvenanceError, verifySealedPlan } from './verify-sealed-plan.ts';

export interface ApplyStepRequest extends RootModuleTarget {
  sealedFile: string;
  bundleFile: string;
  key: Buffer;
  trustedRoot: TrustedRoot;
  policy: IdentityPolicy;
  /** The merge commit being applied (GITHUB_SHA). */
  commit: string;
  github: MarkerTarget;
  onMismatch: 'refuse' | 'replan';
  outputDir: string;
}

export interface ApplyStepResult {
  /** `sealed-plan`: the reviewed plan was applied; `replan`: a fresh plan was. */
  mode: 'sealed-plan' | 'replan';
  applied: boolean;
  /** sha256 of the plan file that was applied ('' when a re-plan had no changes). */
  planSha256: string;
  /** Why the sealed plan was not used ('' when it was). */
  reason: string;
  manifest: PlanManifest | undefined;
}

export interface ApplyStepIO {
  run: ProgramRunner;
  log: (line: string) => void;
  warn: (line: string) => void;
}

/** Every check but the claim; returns the verified manifest. */
async function proveProvenance(request: ApplyStepRequest, sealed: Buffer): Promise<PlanManifest> {
  const bundleJson = await readFile(request.bundleFile, 'utf8');
  const { manifest } = verifySealedPlan(sealed, bundleJson, request.trustedRoot, request.policy);
  const expect = (check: string, planned: string, now: string) => {
    if (planned !== now)
      throw new ProvenanceError(check, `planned with '${planned}', applying with '${now}'`);
  };
  expect('directory', manifest.directory, request.directoryLabel);
  expect('workspace', manifest.workspace, request.workspace);
  expect('tool', `${manifest.tool} ${manifest.toolVersion}`, `${request.tool} ${request.toolVersion}`);
  expect('.terraform.lock.hcl', manifest.lockFileSha256, await lockFileSha256(request.workingDirectory));
  const tree = await commitTree(request.github, request.commit);
  if (tree !== manifest.sourceTree)
    throw new ProvenanceError(
      'source tree',
      `commit ${request.commit} has tree ${tree}, the plan was made from tree ${manifest.sourceTree}`,
    );
  if (await isApplied(request.github, manifest.planSha256))
    throw new ProvenanceError('replay', `plan ${manifest.planSha256} was already applied`);
  return manifest;
}

export async function runApplyStep(request: ApplyStepRequest, io: ApplyStepIO): Promise<ApplyStepResult> {
  await mkdir(request.outputDir, { recursive: true });
  let manifest: PlanManifest | undefined;
  let plan: Buffer;
  try {
    const sealed = await readFile(request.sealedFile);
    manifest = await proveProvenance(request, sealed);
    plan = decryptPlan(sealed, request.key);
    if (sha256Hex(plan) !== manifest.planSha256)
      throw new ProvenanceError('plan digest', 'the decrypted plan is not the one in the manifest');
    if (!(await claimPlan(request.github, manifest.planSha256, request.commit)))
      throw new ProvenanceError(
        'replay',
        `plan ${manifest.planSha256} was applied (or claimed) by another job`,
      );
  } catch (error) {
    if (!(error instanceof UserError) || request.onMismatch === 'refuse') throw error;
    io.warn(`${error.message} Re-planning (on-mismatch: replan).`);
    return replanAndApply(request, io, error.message, manifest);
  }
  const planFile = join(request.outputDir, 'tfplan');
  await writeFile(planFile, plan, { mode: 0o600 });
  io.log(`Provenance proven; applying plan ${manifest.planSha256}.`);
  try {
    io.log(await applyPlanFile({ ...request, planFile, run: io.run }));
  } finally {
    // the plan holds sensitive values in clear: it lives only as long as apply runs
    await rm(planFile, { force: true });
  }
  return { mode: 'sealed-plan', applied: true, planSha256: manifest.planSha256, reason: '', manifest };
}

async function replanAndApply(
  request: ApplyStepRequest,
  io: ApplyStepIO,
  reason: string,
  manifest: PlanManifest | undefined,
): Promise<ApplyStepResult> {
  const planFile = join(request.outputDir, 'tfplan.replan');
  const plan = await runPlan({
    binary: request.binary,
    workingDirectory: request.workingDirectory,
    workspace: request.workspace,
    varFiles: request.varFiles,
    backendConfig: request.backendConfig,
    planFile,
    run: io.run,
  });
  if (plan.exitcode === 1)
    throw new UserError(`Re-planning ${request.directoryLabel} failed:\n${plan.errorTail}`);
  if (!plan.hasChanges) {
    io.log('The re-plan has no changes; nothing to apply.');
    return { mode: 'replan', applied: false, planSha256: '', reason, manifest };
  }
  io.log(await applyPlanFile({ ...request, planFile, run: io.run }));
  return { mode: 'replan', applied: true, planSha256: plan.planDigest ?? '', reason, manifest };
}
