// npm run tools:refresh [-- --trivy <v> --syft <v> --cosign <v> --accept-unsigned syft]
// Regenerates packages/supply-chain/tools.lock.json from each release's checksums file after
// verifying that file's Sigstore bundle. Meant to run on GitHub (network, Node 24). The logic is
// TypeScript in packages/supply-chain/src/tools/lock-refresh.ts; this starts it under a Node that
// runs TypeScript directly (22.7+ with --experimental-transform-types).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 7)) {
  console.error(
    `tools:refresh needs Node 22.7 or newer to run TypeScript (this is ${process.version}); try: npx node@24 scripts/tools-refresh.js`,
  );
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'packages', 'supply-chain', 'src', 'tools', 'lock-refresh-main.ts');
const result = spawnSync(
  process.execPath,
  ['--experimental-transform-types', '--no-warnings', entry, ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
