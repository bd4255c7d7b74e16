// npm run build [-- name ...] [-- --out-root DIR]: bundles every discovered action and program with ncc
// (ESM output, every file minified, third-party notices alongside) into DIR/ (default: dist/): one
// shared bundle, DIR/shared/, from which DIR/<name>/index.js starts each action and program (see
// build-actions.js); naming any of them rebuilds them all.
// npm run build -- --standalone name ... --out-root DIR: each named program (packages/<pkg>/src/bin.ts)
// as a bundle of its own in DIR/<pkg>/, with the full notices, which runs with node alone: what npm
// packs (packages/cli/scripts/prepack.js). Never committed, so DIR must be named (dist/<pkg> is the
// launcher of the shared bundle).
// ncc empties each output folder's .js files first, so every bundle has its own folder and none is
// nested in another.
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildActions, SHARED } from './build-actions.js';
import { buildBundle } from './build-bundle.js';
import { ACTIONS_DISPATCHER, discoverBundles } from './bundles.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outFlag = args.indexOf('--out-root');
const outRoot = outFlag >= 0 ? resolve(args[outFlag + 1] ?? '') : join(root, 'dist');
if (outFlag >= 0 && !args[outFlag + 1]) {
  console.error('build: --out-root needs a folder');
  process.exit(2);
}
const standalone = args.includes('--standalone');
const wanted = args.filter(
  (arg, i) => arg !== '--standalone' && (outFlag < 0 || (i !== outFlag && i !== outFlag + 1)),
);
const all = discoverBundles(root);
const unknown = wanted.filter((name) => !all.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(
    `build: no action or CLI named ${unknown.join(', ')} (known: ${all.map((b) => b.name).join(', ')})`,
  );
  process.exit(2);
}
const programs = all.filter((b) => b.kind === 'program');
const notPrograms = wanted.filter((name) => !programs.some((b) => b.name === name));
if (standalone && (wanted.length === 0 || notPrograms.length > 0 || outFlag < 0)) {
  console.error(
    `build: --standalone builds programs by name (${programs.map((b) => b.name).join(', ')}) into --out-root DIR${notPrograms.length > 0 ? `; not a program: ${notPrograms.join(', ')}` : ''}`,
  );
  process.exit(2);
}
const context = dirname(join(root, ACTIONS_DISPATCHER));
const jobs = standalone
  ? programs
      .filter((b) => wanted.includes(b.name))
      .map((b) => ({
        name: `${b.name} (standalone)`,
        run: () => buildBundle({ root, entry: b.entry, outDir: join(outRoot, b.name), context }),
      }))
  : [
      {
        name: `${SHARED} (${all.map((b) => b.name).join(', ')})`,
        run: () =>
          buildActions({
            root,
            dispatcher: join(root, ACTIONS_DISPATCHER),
            actions: all.filter((b) => b.kind === 'action'),
            programs,
            outRoot,
          }),
      },
    ];

const started = Date.now();
const queue = [...jobs];
const results = [];
const workers = Array.from({ length: Math.max(1, Math.min(availableParallelism(), 2)) }, async () => {
  for (let next = queue.shift(); next; next = queue.shift())
    results.push({ name: next.name, ...pick(await next.run()) });
});
await Promise.all(workers);
let failed = 0;
for (const { name, code, output } of results.sort((a, b) => a.name.localeCompare(b.name))) {
  if (code === 0) {
    console.log(`built ${name}`);
  } else {
    failed++;
    console.error(`build of ${name} failed:\n${output}`);
  }
}
console.log(
  `${results.length - failed}/${results.length} bundles in ${((Date.now() - started) / 1000).toFixed(1)}s`,
);
process.exit(failed === 0 ? 0 : 1);

function pick({ code, output }) {
  return { code, output };
}
