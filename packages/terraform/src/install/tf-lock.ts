/**
 * The committed lock of OpenTofu and Terraform release archives
 * (tf-tools.lock.json): per tool a default version and, per locked version and
 * platform, the archive name and its sha256. It is the authority for which bytes
 * run; a checksum read from the same release proves nothing (CVE-2026-33634).
 *
 * Every value is a published sha256 of the official release (the projects'
 * `<tool>_<v>_SHA256SUMS`), each confirmed in at least two independent public
 * sources that pin it (installers, Nix/Homebrew formulas, build scripts). Only
 * platforms with two agreeing sources are locked; the rest take the signature
 * path (OpenTofu's keyless signature, Terraform's HashiCorp OpenPGP signature).
 *
 * Not verified against the official SHA256SUMS files or their signatures: nothing this project's
 * machines reach carries them (checked 2026-12-07). npm's @jahed/terraform 1.16.2 fetches
 * terraform_1.16.2_SHA256SUMS from releases.hashicorp.com at install time and ships only
 * HashiCorp's key; no PyPI package embeds either SHA256SUMS; Debian packages neither tool; the Go
 * module proxy serves OpenTofu's sources, not its release archives (a rebuild is not the archive:
 * see install-tf.test.ts). A public code search finds no copy of either SHA256SUMS (+ .sig), only
 * more third-party pins that agree with every value here (tofu: all four platforms in one Nix
 * flake; terraform linux amd64 and arm64 in a script that records a good HashiCorp signature).
 * On a machine with internet, check them with installTfTool on a lock without the version: it
 * verifies each SHA256SUMS's signature and takes the digest from it.
 */
import { UserError } from '@slipway/core';
import type { ToolArch, ToolPlatform } from '@slipway/supply-chain/tools';
import committed from './tf-tools.lock.json' with { type: 'json' };
import { TF_TOOLS, normaliseTfVersion, tfAssetName, type TfTool } from './tf-releases.ts';

export interface TfLockedAsset {
  asset: string;
  sha256: string;
}

export interface TfToolsLock {
  schemaVersion: 1;
  tools: Record<
    TfTool,
    { version: string; versions: Record<string, Partial<Record<string, TfLockedAsset>>> }
  >;
}

const SHA256 = /^[0-9a-f]{64}$/;
const PLATFORM_KEY = /^(linux|macos|windows)-(x64|arm64)$/;

/** Checks a parsed lock's shape; `source` names the file in messages. */
export function parseTfToolsLock(value: unknown, source: string): TfToolsLock {
  const fail = (problem: string) => new UserError(`${source}: ${problem}.`);
  const root = value as { schemaVersion?: unknown; tools?: Record<string, unknown> } | null;
  if (typeof root !== 'object' || root === null || root.schemaVersion !== 1)
    throw fail('schemaVersion must be 1');
  if (typeof root.tools !== 'object' || root.tools === null) throw fail('"tools" is missing');
  for (const tool of TF_TOOLS) {
    const entry = root.tools[tool] as { version?: unknown; versions?: Record<string, unknown> } | undefined;
    if (!entry || typeof entry.version !== 'string' || typeof entry.versions !== 'object' || !entry.versions)
      throw fail(`tools.${tool} needs "version" and "versions"`);
    if (!(entry.version in entry.versions))
      throw fail(`tools.${tool}.version ${entry.version} is not in its "versions"`);
    for (const [version, platforms] of Object.entries(entry.versions)) {
      if (normaliseTfVersion(tool, version) !== version)
        throw fail(`tools.${tool}: version key '${version}' must have no leading v`);
      for (const [key, locked] of Object.entries(platforms as Record<string, TfLockedAsset>)) {
        const match = PLATFORM_KEY.exec(key);
        if (!match) throw fail(`tools.${tool}.versions.${version}: unknown platform '${key}'`);
        if (!SHA256.test(String(locked?.sha256)))
          throw fail(`tools.${tool}.versions.${version}.${key} needs a lower-case hex "sha256"`);
        const expected = tfAssetName(tool, version, match[1] as ToolPlatform, match[2] as ToolArch);
        if (locked.asset !== expected)
          throw fail(
            `tools.${tool}.versions.${version}.${key} names ${String(locked.asset)}, expected ${expected}`,
          );
      }
    }
  }
  return root as TfToolsLock;
}

export function committedTfToolsLock(): TfToolsLock {
  return parseTfToolsLock(committed, 'packages/terraform/src/install/tf-tools.lock.json');
}

export function tfLockedAsset(
  lock: TfToolsLock,
  tool: TfTool,
  version: string,
  platform: ToolPlatform,
  arch: ToolArch,
): TfLockedAsset | undefined {
  return lock.tools[tool].versions[version]?.[`${platform}-${arch}`];
}

/** "1.12.6 (linux-x64, linux-arm64)" lines, for messages that list what the lock covers. */
export function describeLocked(lock: TfToolsLock, tool: TfTool): string {
  return Object.entries(lock.tools[tool].versions)
    .map(([version, platforms]) => `${version} (${Object.keys(platforms).join(', ')})`)
    .join('; ');
}
