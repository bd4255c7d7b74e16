/**
 * The record an install leaves beside the tool in the runner's tool cache
 * (RUNNER_TOOL_CACHE/<tool>/<version>/<platform-arch>/): which asset it came
 * from, that asset's verified sha256, and the sha256 of the executable taken
 * from it. A later install in the same job, or any job on a self-hosted runner
 * whose tool cache persists, runs the cached executable only when the record's
 * asset digest is still the one the lock file names and the executable still
 * hashes to the recorded value (for a bare binary such as cosign, the lock's
 * digest itself); otherwise it installs again. Whoever can write the tool cache
 * can rewrite an archived tool and its record together: the record catches a
 * changed binary and a stale install, the lock anchors only bare binaries.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256File } from './checksums.ts';

export const VERIFIED_RECORD = '.slipway-verified.json';

export interface VerifiedRecord {
  asset: string;
  assetSha256: string;
  executable: string;
  executableSha256: string;
}

/** Writes the record into `dir` (the extracted folder, before it is copied into the tool cache). */
export async function writeVerifiedRecord(
  dir: string,
  record: Omit<VerifiedRecord, 'executableSha256'>,
): Promise<VerifiedRecord> {
  const full = { ...record, executableSha256: await sha256File(join(dir, record.executable)) };
  await writeFile(join(dir, VERIFIED_RECORD), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

export type CachedToolCheck = { ok: true; record: VerifiedRecord } | { ok: false; problem: string };

function parseRecord(text: string): VerifiedRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<VerifiedRecord>;
    const hex = /^[0-9a-f]{64}$/;
    if (
      typeof value.asset === 'string' &&
      typeof value.executable === 'string' &&
      hex.test(String(value.assetSha256)) &&
      hex.test(String(value.executableSha256))
    )
      return value as VerifiedRecord;
  } catch {
    // not JSON: treated as no record
  }
  return undefined;
}

/**
 * Checks a tool-cache folder before its executable is run. `expected` is what the lock file
 * says of the asset (undefined for a version outside it: only the executable's digest is checked).
 */
export async function checkCachedTool(
  dir: string,
  executable: string,
  /** `bare`: the asset is the executable itself (no archive). */
  expected: { asset: string; sha256: string; bare?: boolean } | undefined,
): Promise<CachedToolCheck> {
  let text: string;
  try {
    text = await readFile(join(dir, VERIFIED_RECORD), 'utf8');
  } catch {
    return {
      ok: false,
      problem: `has no ${VERIFIED_RECORD} (it was not installed by this version of Slipway)`,
    };
  }
  const record = parseRecord(text);
  if (!record || record.executable !== executable)
    return { ok: false, problem: `has an unreadable ${VERIFIED_RECORD}` };
  if (expected && (record.asset !== expected.asset || record.assetSha256 !== expected.sha256)) {
    return {
      ok: false,
      problem: `was installed from ${record.asset} with sha256 ${record.assetSha256}, but tools.lock.json names ${expected.asset} with sha256 ${expected.sha256}`,
    };
  }
  // a bare binary (cosign) is its own asset: the lock file itself says what the executable must hash to
  if (expected && expected.bare && record.executableSha256 !== expected.sha256) {
    return {
      ok: false,
      problem: `records ${executable} with sha256 ${record.executableSha256}, but tools.lock.json names ${expected.sha256} for ${expected.asset}`,
    };
  }
  let actual: string;
  try {
    actual = await sha256File(join(dir, executable));
  } catch {
    return { ok: false, problem: `has no readable ${executable}` };
  }
  if (actual !== record.executableSha256) {
    return {
      ok: false,
      problem: `holds a ${executable} with sha256 ${actual}, not the ${record.executableSha256} verified at install (it was changed after install)`,
    };
  }
  return { ok: true, record };
}
