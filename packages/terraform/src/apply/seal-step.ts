/**
 * tf-plan's seal step with its inputs resolved: the lock-file hash and the planned commit's
 * tree (through the API), then sealPlan signed by the native Sigstore engine.
 */
import { type NativeSigningOptions, signStatementNative } from '@slipway/supply-chain/signing';
import { commitTree, type MarkerTarget } from './applied-marker.ts';
import { lockFileSha256 } from './plan-manifest.ts';
import { sealPlan, type SealedPlan } from './seal-plan.ts';

export interface SealStepRequest {
  planFile: string;
  outputDir: string;
  key: Buffer;
  tool: 'tofu' | 'terraform';
  toolVersion: string;
  workingDirectory: string;
  directoryLabel: string;
  workspace: string;
  /** The commit that was checked out and planned (GITHUB_SHA). */
  commit: string;
  runId: string;
  github: MarkerTarget;
  signing: NativeSigningOptions;
}

export async function runSealStep(request: SealStepRequest): Promise<SealedPlan> {
  return sealPlan({
    planFile: request.planFile,
    outputDir: request.outputDir,
    key: request.key,
    manifest: {
      directory: request.directoryLabel,
      workspace: request.workspace,
      tool: request.tool,
      toolVersion: request.toolVersion,
      lockFileSha256: await lockFileSha256(request.workingDirectory),
      sourceTree: await commitTree(request.github, request.commit),
      sourceCommit: request.commit,
      runId: request.runId,
    },
    sign: (statement) => signStatementNative(statement, request.signing),
  });
}
