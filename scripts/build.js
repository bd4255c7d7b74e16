// npm run build [-- name ...] [-- --out-root DIR]: bundles every discovered entry with ncc (ESM
// output, every file minified, third-party notices alongside) into DIR/ (default: dist/). The actions
// share one bundle, DIR/shared/, each started by DIR/<name>/index.js; naming any action rebuilds them
// all. A program (packages/<pkg>/src/bin.ts) is a bundle of its own in DIR/<pkg>/. ncc empties each
// output folder's .js files first, so every bundle has its own folder and none is nested in another.
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
const wanted = args.filter((_arg, i) => outFlag < 0 || (i !== outFlag && i !== outFlag + 1));
const all = discoverBundles(root);
const unknown = wanted.filter((name) => !all.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(
    `build: no action or CLI named ${unknown.join(', ')} (known: ${all.map((b) => b.name).join(', ')})`,
  );
  process.exit(2);
}
const chosen = wanted.length > 0 ? all.filter((b) => wanted.includes(b.name)) : all;
const actions = all.filter((b) => b.kind === 'action');
const jobs = chosen
  .filter((b) => b.kind !== 'action')
  .map((b) => ({
    name: b.name,
    run: () => buildBundle({ root, entry: b.entry, outDir: join(outRoot, b.name) }),
  }));
if (chosen.some((b) => b.kind === 'action'))
  jobs.unshift({
    name: `${SHARED} (${actions.map((b) => b.name).join(', ')})`,
    run: () => buildActions({ root, dispatcher: join(root, ACTIONS_DISPATCHER), actions, outRoot }),
  });

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
