// Discovers what `npm run build` bundles. Nothing here is a hand-written list:
//   actions/<name>/src/index.ts  -> a chunk group of the shared bundle dist/shared/, started by the
//                                   generated dist/<name>/index.js (post steps reuse it)
//   packages/<pkg>/src/bin.ts    -> a program (a command-line tool, e.g. packages/cli): its
//                                   src/program.ts is a chunk group of the shared bundle, started by
//                                   the generated dist/<pkg>/index.js; bin.ts itself is the entry of
//                                   the program's standalone bundle (`--standalone`), which npm packs
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED } from './build-actions.js';

/** The shared bundle's entry: its context import finds every actions/<name>/src/index.ts. */
export const ACTIONS_DISPATCHER = join('scripts', 'actions-bundle', 'entry.js');

/** The module of a program that the shared bundle starts, beside its bin.ts. */
export const PROGRAM_MODULE = 'program.ts';

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
      if (!existsSync(entry)) continue;
      const bundle = { name, kind, entry, outDir: join(root, 'dist', name) };
      if (kind === 'program') bundle.module = join(base, name, 'src', PROGRAM_MODULE);
      bundles.push(bundle);
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
