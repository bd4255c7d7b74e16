/**
 * GitHub runs our bundles with node24 while these machines have node 20. The npm
 * package `node@24` provides a real Node 24 binary through the npm registry;
 * `node24Path()` fetches it once (npx cache) and returns its path. The path is
 * kept in the run's temporary folder (test/global-tmp.ts), so the other test
 * processes of the run skip npx (about 1 s of CPU each time).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let cached: string | undefined;

export function node24Path(): string {
  if (cached) return cached;
  const record = join(tmpdir(), 'node24-path');
  const recorded = existsSync(record) ? readFileSync(record, 'utf8') : '';
  if (recorded && existsSync(recorded)) return (cached = recorded);
  const path = execFileSync('npx', ['-y', 'node@24', '-p', 'process.execPath'], {
    encoding: 'utf8',
    timeout: 180_000,
  }).trim();
  const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith('v24.')) throw new Error(`npx node@24 gave ${version} at ${path}`);
  writeFileSync(`${record}.${process.pid}`, path);
  renameSync(`${record}.${process.pid}`, record);
  cached = path;
  return path;
}
