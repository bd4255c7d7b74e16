// Discovers what `npm run build` bundles. Nothing here is a hand-written list:
//   actions/<name>/src/index.ts  -> a chunk group of the shared bundle dist/shared/, started by the
//                                   generated dist/<name>/index.js (post steps reuse it)
//   packages/<pkg>/src/bin.ts    -> dist/<pkg>/index.js, a bundle of its own (command-line tools, e.g.
//                                   packages/cli, which npm packs alone)
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED } from './build-actions.js';

/** The shared bundle's entry: its context import finds every actions/<name>/src/index.ts. */
export const ACTIONS_DISPATCHER = join('scripts', 'actions-bundle', 'entry.js');

export function discoverBundles(root) {
  const bundles = [];
  for (const [folder, entryFile, kind] of [
    ['actions', join('src', 'index.ts'), 'action'],
    ['packages', join('src', 'bin.ts'), 'program'],
  ]) {
    const base = join(root, folder);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const entry = join(base, name, entryFile);
      if (existsSync(entry)) bundles.push({ name, kind, entry, outDir: join(root, 'dist', name) });
    }
  }
  const seen = new Map([[SHARED, 'the shared bundle of the actions']]);
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
