// Discovers what `npm run build` bundles. Nothing here is a hand-written list:
//   actions/<name>/src/index.ts      -> dist/<name>/index.js   (one bundle per action; post steps reuse it)
//   packages/<pkg>/src/bin.ts        -> dist/<pkg>/index.js    (command-line tools, e.g. packages/cli)
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function discoverBundles(root) {
  const bundles = [];
  for (const [folder, entryFile] of [
    ['actions', join('src', 'index.ts')],
    ['packages', join('src', 'bin.ts')],
  ]) {
    const base = join(root, folder);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const entry = join(base, name, entryFile);
      if (existsSync(entry)) bundles.push({ name, entry, outDir: join(root, 'dist', name) });
    }
  }
  const seen = new Map();
  for (const bundle of bundles) {
    if (seen.has(bundle.name)) {
      throw new Error(
        `Two bundles would both write dist/${bundle.name}: ${seen.get(bundle.name)} and ${bundle.entry}. Rename one.`,
      );
    }
    seen.set(bundle.name, bundle.entry);
  }
  return bundles;
}
