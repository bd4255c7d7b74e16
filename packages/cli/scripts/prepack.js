// npm pack / npm publish of @slipway/cli: the committed dist/cli is only a launcher into the shared
// bundle of the actions (dist/shared), so the package gets a bundle of its own, built now from
// src/bin.ts by `scripts/build.js --standalone cli` at the repository root, with the full notices in
// its licenses.txt. The tarball needs nothing from the registry and runs with node alone.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = join(pkg, '..', '..', 'scripts', 'build.js');
if (!existsSync(build)) {
  console.error('prepack: scripts/build.js is missing; pack @slipway/cli from a Slipway clone');
  process.exit(1);
}
const scratch = mkdtempSync(join(tmpdir(), 'slipway-cli-pack-'));
try {
  const built = spawnSync(process.execPath, [build, '--standalone', 'cli', '--out-root', scratch], {
    stdio: ['ignore', 2, 2], // stderr only: `npm pack --json` prints its JSON on stdout
  });
  if (built.status !== 0) {
    console.error('prepack: the standalone build of the CLI failed (npm ci at the repository root first?)');
    process.exit(built.status ?? 1);
  }
  rmSync(join(pkg, 'dist'), { recursive: true, force: true });
  cpSync(join(scratch, 'cli'), join(pkg, 'dist'), { recursive: true });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
