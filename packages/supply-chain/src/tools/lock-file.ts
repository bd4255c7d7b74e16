/**
 * The committed tool lock file (packages/supply-chain/tools.lock.json): for each
 * tool a default version and, per locked version, the asset name and sha256 of
 * every platform. It is the authority for which bytes Slipway executes: a
 * checksum read from the same release proves nothing (CVE-2026-33634).
 */
import { UserError } from '@slipway/core';
import committedLock from '../../tools.lock.json' with { type: 'json' };
import {
  KNOWN_MALICIOUS,
  TOOL_ARCHES,
  TOOL_NAMES,
  TOOL_PLATFORMS,
  normaliseVersion,
  type ToolArch,
  type ToolName,
  type ToolPlatform,
} from './tool-assets.ts';

export interface LockedAsset {
  asset: string;
  sha256: string;
}

/** Keyed by `<platform>-<arch>`, e.g. `linux-x64`. */
export type LockedPlatforms = Partial<Record<`${ToolPlatform}-${ToolArch}`, LockedAsset>>;

export interface ToolsLock {
  schemaVersion: 1;
  tools: Record<ToolName, { version: string; versions: Record<string, LockedPlatforms> }>;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Checks a parsed lock file's shape and refuses known-malicious versions.
 * `source` names the file in error messages.
 */
export function parseToolsLock(value: unknown, source: string): ToolsLock {
  const fail = (problem: string) =>
    new UserError(`${source}: ${problem}. Regenerate it with \`npm run tools:refresh\`.`);
  const root = value as { schemaVersion?: unknown; tools?: Record<string, unknown> } | null;
  if (typeof root !== 'object' || root === null || root.schemaVersion !== 1)
    throw fail('schemaVersion must be 1');
  if (typeof root.tools !== 'object' || root.tools === null) throw fail('"tools" is missing');
  for (const tool of TOOL_NAMES) {
    const entry = root.tools[tool] as { version?: unknown; versions?: Record<string, unknown> } | undefined;
    if (
      !entry ||
      typeof entry.version !== 'string' ||
      typeof entry.versions !== 'object' ||
      !entry.versions
    ) {
      throw fail(`tools.${tool} needs "version" and "versions"`);
    }
    if (!(entry.version in entry.versions))
      throw fail(`tools.${tool}.version ${entry.version} is not in its "versions"`);
    for (const [version, platforms] of Object.entries(entry.versions)) {
      if (normaliseVersion(tool, version) !== version)
        throw fail(`tools.${tool}: version key '${version}' must have no leading v`);
      if (KNOWN_MALICIOUS[tool].includes(version))
        throw fail(`${tool} ${version} is a known-malicious release and must not be locked`);
      for (const [key, locked] of Object.entries(platforms as Record<string, LockedAsset>)) {
        const [platform, arch] = key.split('-');
        if (!TOOL_PLATFORMS.includes(platform as ToolPlatform) || !TOOL_ARCHES.includes(arch as ToolArch)) {
          throw fail(`tools.${tool}.versions.${version}: unknown platform '${key}'`);
        }
        if (typeof locked?.asset !== 'string' || !SHA256.test(String(locked?.sha256))) {
          throw fail(`tools.${tool}.versions.${version}.${key} needs "asset" and a lower-case hex "sha256"`);
        }
      }
    }
  }
  return root as ToolsLock;
}

/** The lock file committed with this build of Slipway. */
export function committedToolsLock(): ToolsLock {
  return parseToolsLock(committedLock, 'packages/supply-chain/tools.lock.json');
}

export function defaultVersion(lock: ToolsLock, tool: ToolName): string {
  return lock.tools[tool].version;
}

/** The locked asset for a version and platform, or undefined when the lock does not cover it. */
export function lockedAsset(
  lock: ToolsLock,
  tool: ToolName,
  version: string,
  platform: ToolPlatform,
  arch: ToolArch,
): LockedAsset | undefined {
  return lock.tools[tool].versions[normaliseVersion(tool, version)]?.[`${platform}-${arch}`];
}
