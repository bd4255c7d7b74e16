// npm run build [-- name ...] [-- --out-root DIR]: bundles every discovered entry with ncc (ESM
// output, minified, third-party notices alongside) into DIR/<name>/ (default: dist/). ncc empties
// each output folder's .js files first, so every bundle has its own folder and none is nested in another.
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from './build-bundle.js';
import { discoverBundles } from './bundles.js';

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
const bundles = wanted.length > 0 ? all.filter((b) => wanted.includes(b.name)) : all;

const started = Date.now();
const queue = [...bundles];
const results = [];
const workers = Array.from({ length: Math.max(1, Math.min(availableParallelism(), 4)) }, async () => {
  for (let next = queue.shift(); next; next = queue.shift()) {
    const outDir = join(outRoot, next.name);
    results.push({ bundle: next, outDir, ...(await buildBundle({ root, entry: next.entry, outDir })) });
  }
});
await Promise.all(workers);
let failed = 0;
for (const { bundle, outDir, code, output } of results.sort((a, b) =>
  a.bundle.name.localeCompare(b.bundle.name),
)) {
  if (code === 0) {
    console.log(`built ${join(outDir, 'index.js')}`);
  } else {
    failed++;
    console.error(`build of ${bundle.name} failed:\n${output}`);
  }
}
console.log(
  `${results.length - failed}/${results.length} bundles in ${((Date.now() - started) / 1000).toFixed(1)}s`,
);
process.exit(failed === 0 ? 0 : 1);
