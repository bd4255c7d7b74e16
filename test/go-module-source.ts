/**
 * The source tree of a real tool's Go module at its pinned version (scripts/real-tools.json), as
 * `go mod download` leaves it in the Go module cache (scripts/real-tools.js downloads it when it
 * builds the tool). A missing tree is fetched once through the Go module proxy, as real-tools.js
 * does; when that fails the error says what to run, never a skip.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RealToolMissingError, realToolSpecs, type RealToolName } from './real-tools.ts';

const GO_ENV = { ...process.env, GOWORK: 'off', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' };

function go(args: string[]): { ok: boolean; out: string } {
  for (const candidate of ['go', '/usr/local/go/bin/go']) {
    const r = spawnSync(candidate, args, { env: GO_ENV, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.error) continue;
    return { ok: r.status === 0, out: `${r.stdout}${r.status === 0 ? '' : r.stderr}` };
  }
  return { ok: false, out: 'Go is not installed (go on PATH or /usr/local/go/bin/go)' };
}

/** The module path as the module cache spells it: each capital letter becomes "!" and its lower case. */
function escapedModulePath(module: string): string {
  return module.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/** Absolute path of `<GOMODCACHE>/<module>@<version>` for a Go tool of scripts/real-tools.json. */
export function goModuleSource(name: RealToolName): { dir: string; module: string; version: string } {
  const spec = realToolSpecs()[name];
  if (!spec?.module) throw new RealToolMissingError(`scripts/real-tools.json has no Go module for '${name}'`);
  const wanted = `${spec.module}@${spec.version}`;
  const cache = go(['env', 'GOMODCACHE']);
  const dir = cache.ok ? join(cache.out.trim(), `${escapedModulePath(spec.module)}@${spec.version}`) : '';
  if (dir && existsSync(join(dir, 'go.mod'))) return { dir, module: spec.module, version: spec.version };
  const download = go(['mod', 'download', '-json', wanted]);
  const found = download.ok ? (JSON.parse(download.out) as { Dir?: string }).Dir : undefined;
  if (found && existsSync(join(found, 'go.mod')))
    return { dir: found, module: spec.module, version: spec.version };
  throw new RealToolMissingError(
    `the source of ${wanted} is not in the Go module cache and could not be downloaded ` +
      `(run \`go mod download ${wanted}\` or \`node scripts/real-tools.js ${name}\`): ${download.out.trim()}`,
  );
}
