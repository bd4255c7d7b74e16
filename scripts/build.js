// npm run build [-- name ...]: bundles every discovered entry with ncc (ESM output, minified,
// licenses alongside). ncc empties each output folder's .js files first, so every bundle has
// its own folder under dist/ and none is nested in another.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverBundles } from './bundles.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wanted = process.argv.slice(2);
const all = discoverBundles(root);
const unknown = wanted.filter((name) => !all.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(
    `build: no action or CLI named ${unknown.join(', ')} (known: ${all.map((b) => b.name).join(', ')})`,
  );
  process.exit(2);
}
const bundles = wanted.length > 0 ? all.filter((b) => wanted.includes(b.name)) : all;
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

function build(bundle) {
  rmSync(bundle.outDir, { recursive: true, force: true });
  const args = [
    ncc,
    'build',
    relative(root, bundle.entry),
    '-o',
    relative(root, bundle.outDir),
    '--minify',
    '--license',
    'licenses.txt',
    '--transpile-only',
    '--quiet',
    '--no-source-map-register',
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ bundle, code, output }));
  });
}

const started = Date.now();
const queue = [...bundles];
const results = [];
const workers = Array.from({ length: Math.max(1, Math.min(availableParallelism(), 4)) }, async () => {
  for (let next = queue.shift(); next; next = queue.shift()) results.push(await build(next));
});
await Promise.all(workers);
let failed = 0;
for (const { bundle, code, output } of results.sort((a, b) => a.bundle.name.localeCompare(b.bundle.name))) {
  if (code === 0) {
    console.log(`built dist/${bundle.name}/index.js`);
  } else {
    failed++;
    console.error(`build of ${bundle.name} failed:\n${output}`);
  }
}
console.log(
  `${results.length - failed}/${results.length} bundles in ${((Date.now() - started) / 1000).toFixed(1)}s`,
);
process.exit(failed === 0 ? 0 : 1);
