// Where scripts/real-tools.js puts each real program, shared by the builder and the tests
// (test/real-tools.ts): <cache>/<tool>/<version>/bin/<tool>, with <cache> from SLIPWAY_TOOLS_DIR or
// ~/.cache/slipway-tools. A version folder exists only once its build is complete (it is renamed
// into place), and holds version.txt: what the program printed when asked for its version.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const VERSIONS_FILE = resolve(import.meta.dirname, 'real-tools.json');

/** The committed versions file: { goToolchain, tools: { name: spec } } (SLIPWAY_REAL_TOOLS_FILE for tests). */
export function readRealTools(file = process.env.SLIPWAY_REAL_TOOLS_FILE || VERSIONS_FILE) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

export function toolsCacheDir(env = process.env) {
  return resolve(env.SLIPWAY_TOOLS_DIR || join(homedir(), '.cache', 'slipway-tools'));
}

export function toolVersionDir(name, spec, env = process.env) {
  return join(toolsCacheDir(env), name, spec.version);
}

export function toolBinary(name, spec, env = process.env) {
  return join(toolVersionDir(name, spec, env), 'bin', process.platform === 'win32' ? `${name}.exe` : name);
}

export function toolMarker(name, spec, env = process.env) {
  return join(toolVersionDir(name, spec, env), 'version.txt');
}

/** The version as the program prints it: without a leading v. */
export function bareVersion(version) {
  return version.replace(/^v/, '');
}
