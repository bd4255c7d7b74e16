/**
 * The real programs scripts/real-tools.js builds (trivy, syft, cosign, tofu, actionlint, pinact,
 * ratchet, frizbee, zizmor), as absolute paths for the tests. `npm test` builds the missing ones
 * first; a test that asks for a tool that is not built gets an error saying how to build it, never
 * a skip.
 */
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { recordRealToolUse } from './reporters/real-tool-use.ts';
import { readRealTools, toolBinary, toolMarker, type RealToolSpec } from '../scripts/real-tools-paths.js';

export type RealToolName =
  'trivy' | 'syft' | 'cosign' | 'tofu' | 'actionlint' | 'pinact' | 'ratchet' | 'frizbee' | 'zizmor';

export interface RealTool {
  name: RealToolName;
  /** As pinned in scripts/real-tools.json (Go tools with their leading v). */
  version: string;
  /** Absolute path of the built program. */
  path: string;
  /** The arguments that make it print its version. */
  versionArgs: string[];
}

export class RealToolMissingError extends Error {}

export function realToolSpecs(): Record<string, RealToolSpec> {
  return readRealTools().tools;
}

/** The built program `name` at its pinned version; throws when it has not been built. */
export function realTool(name: RealToolName, env: NodeJS.ProcessEnv = process.env): RealTool {
  const spec = realToolSpecs()[name];
  if (!spec) throw new RealToolMissingError(`scripts/real-tools.json has no tool '${name}'`);
  const path = toolBinary(name, spec, env);
  if (!existsSync(path) || !existsSync(toolMarker(name, spec, env))) {
    throw new RealToolMissingError(
      `${name} ${spec.version} is not built at ${path}: run \`node scripts/real-tools.js ${name}\` (npm test does it first)`,
    );
  }
  recordRealToolUse(expect.getState().testPath, name);
  return { name, version: spec.version, path, versionArgs: spec.versionArgs };
}
