/**
 * GitHub runs our bundles with node24 while these machines have node 20. The npm
 * package `node@24` provides a real Node 24 binary through the npm registry;
 * `node24Path()` fetches it once (npx cache) and returns its path.
 */
import { execFileSync } from 'node:child_process';

let cached: string | undefined;

export function node24Path(): string {
  if (cached) return cached;
  const path = execFileSync('npx', ['-y', 'node@24', '-p', 'process.execPath'], {
    encoding: 'utf8',
    timeout: 180_000,
  }).trim();
  const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith('v24.')) throw new Error(`npx node@24 gave ${version} at ${path}`);
  cached = path;
  return path;
}
