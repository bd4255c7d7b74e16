/**
 * tf-plan's `seal: true`: encrypt the plan file, attest {plan sha256, directory, workspace,
 * tool + version, lock-file hash, source tree, run id} over the encrypted file's digest with a
 * keyless Sigstore DSSE bundle (the native engine), and write both ready for upload.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SerializedBundle } from '@sigstore/bundle';
import type { InTotoStatement } from '@slipway/supply-chain/signing';
import { encryptPlan } from './plan-cipher.ts';
import { manifestStatement, SEALED_PLAN_NAME, sha256Hex, type PlanManifest } from './plan-manifest.ts';

export const BUNDLE_SUFFIX = '.sigstore.json';

export interface SealRequest {
  planFile: string;
  outputDir: string;
  key: Buffer;
  manifest: Omit<PlanManifest, 'planSha256'>;
  /** The signing engine: signStatementNative in the action, injected so tests choose the services. */
  sign: (statement: InTotoStatement) => Promise<SerializedBundle>;
}

export interface SealedPlan {
  sealedFile: string;
  bundleFile: string;
  sealedSha256: string;
  manifest: PlanManifest;
}

export async function sealPlan(request: SealRequest): Promise<SealedPlan> {
  const plan = await readFile(request.planFile);
  const manifest: PlanManifest = { planSha256: sha256Hex(plan), ...request.manifest };
  const sealed = encryptPlan(plan, request.key);
  const sealedSha256 = sha256Hex(sealed);
  const bundle = await request.sign(manifestStatement(sealedSha256, manifest));
  const sealedFile = join(request.outputDir, SEALED_PLAN_NAME);
  const bundleFile = `${sealedFile}${BUNDLE_SUFFIX}`;
  await writeFile(sealedFile, sealed);
  await writeFile(bundleFile, `${JSON.stringify(bundle)}\n`);
  return { sealedFile, bundleFile, sealedSha256, manifest };
}
