// Issue 14 (cold start): sbom, sign, trivy-scan, tf-plan, tf-apply and verify read and validate their inputs before they
// load @actions/cache, the Azure SDK, sigstore and the tool installers, so a bad input fails without
// reading those chunks. Runs each committed bundle as the runner starts it, with its required inputs
// unset, and records every file the process loads (bench/bundles/record-loads.js).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** Strings that only the heavy modules carry, found in the bundles those modules ship in. */
const HEAVY = {
  '@actions/cache': 'ACTIONS_CACHE_URL',
  'Azure SDK': '@azure/storage-blob',
  sigstore: 'sigstore-js',
  'installer signing key': '-----BEGIN PGP',
};

const cases = [
  { action: 'sbom', env: {}, error: "Input 'image' and path are both empty" },
  { action: 'sign', env: {}, error: "Input 'image' is required" },
  { action: 'verify', env: {}, error: "Input 'image' is required" },
  { action: 'trivy-scan', env: {}, error: "Input 'target' is required" },
  { action: 'tf-plan', env: { INPUT_COMMENT: 'true' }, error: "Input 'github-token' is empty" },
  { action: 'tf-apply', env: {}, error: "Input 'sealed-plan' is required" },
];

describe('an input error comes before the heavy modules load', () => {
  it.each(cases)('$action', ({ action, env, error }) => {
    const dir = mkdtempSync(join(tmpdir(), `slipway-lazy-${action}-`));
    try {
      const workspace = join(dir, 'workspace');
      mkdirSync(workspace);
      const loads = join(dir, 'loads.txt');
      writeFileSync(loads, '');
      const child = spawnSync(
        process.execPath,
        ['--import', join(root, 'bench/bundles/record-loads.js'), join(root, 'dist', action, 'index.js')],
        {
          cwd: workspace,
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            RUNNER_TEMP: dir,
            GITHUB_WORKSPACE: workspace,
            SLIPWAY_BENCH_LOADS: loads,
            ...env,
          },
        },
      );
      expect(child.stdout).toContain(`::error::${error}`);
      expect(child.status).toBe(1);
      const files = [...new Set(readFileSync(loads, 'utf8').split('\n').filter(Boolean))];
      expect(files).toContain(join(root, 'dist', action, 'index.js'));
      const text = files.map((file) => readFileSync(file, 'utf8')).join('\n');
      const loaded = Object.entries(HEAVY)
        .filter(([, marker]) => text.includes(marker))
        .map(([name]) => name);
      expect(loaded).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
