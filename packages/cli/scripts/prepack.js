// npm pack / npm publish of @slipway/cli: the package ships the committed CLI bundle (dist/cli at the
// repository root, built by `npm run build -- cli` and checked by check-dist) as its own dist/, so
// the tarball needs nothing from the registry and runs with node alone.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(pkg, '..', '..', 'dist', 'cli');
if (!existsSync(join(bundle, 'index.js'))) {
  console.error(
    'prepack: dist/cli/index.js is missing; run `npm run build -- cli` at the repository root first',
  );
  process.exit(1);
}
rmSync(join(pkg, 'dist'), { recursive: true, force: true });
cpSync(bundle, join(pkg, 'dist'), { recursive: true });
