/**
 * What a sealed plan was made from, signed as the predicate of an in-toto statement whose
 * subject is the sealed (encrypted) file's sha256. tf-apply compares every field with what it
 * sees after the merge before it decrypts anything.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IN_TOTO_STATEMENT_V1, type InTotoStatement } from '@slipway/supply-chain/signing';

export const PLAN_SEAL_PREDICATE_TYPE = 'https://slipway.dev/terraform/sealed-plan/v1';
export const SEALED_PLAN_NAME = 'tfplan.sealed';

export interface PlanManifest {
  /** sha256 (hex) of the plan file in clear. */
  planSha256: string;
  /** Root module directory relative to the repository root ('.' for the root). */
  directory: string;
  workspace: string;
  tool: 'tofu' | 'terraform';
  toolVersion: string;
  /** sha256 (hex) of `.terraform.lock.hcl` in the directory; '' when there is none. */
  lockFileSha256: string;
  /** The git tree SHA of the commit that was planned. */
  sourceTree: string;
  /** That commit, for people reading the manifest. */
  sourceCommit: string;
  runId: string;
}

const HEX = /^[0-9a-f]{40,64}$/;

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 of `<dir>/.terraform.lock.hcl`, or '' when the file does not exist. */
export async function lockFileSha256(workingDirectory: string): Promise<string> {
  try {
    return sha256Hex(await readFile(join(workingDirectory, '.terraform.lock.hcl')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

export function manifestStatement(sealedSha256: string, manifest: PlanManifest): InTotoStatement {
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: [{ name: SEALED_PLAN_NAME, digest: { sha256: sealedSha256 } }],
    predicateType: PLAN_SEAL_PREDICATE_TYPE,
    predicate: manifest,
  };
}

/** The manifest in a verified statement; undefined when a field is missing or malformed. */
export function parseManifest(predicate: unknown): PlanManifest | undefined {
  if (typeof predicate !== 'object' || predicate === null) return undefined;
  const m = predicate as Record<string, unknown>;
  const strings = ['directory', 'workspace', 'toolVersion', 'lockFileSha256', 'runId', 'sourceCommit'];
  if (strings.some((k) => typeof m[k] !== 'string')) return undefined;
  if (m.tool !== 'tofu' && m.tool !== 'terraform') return undefined;
  if (typeof m.planSha256 !== 'string' || !HEX.test(m.planSha256)) return undefined;
  if (typeof m.sourceTree !== 'string' || !HEX.test(m.sourceTree)) return undefined;
  return m as unknown as PlanManifest;
}
