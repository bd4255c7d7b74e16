#!/usr/bin/env node
// Launcher for `slipway`: in the published package it runs the standalone bundle packed beside it
// (dist/index.js, built by scripts/prepack.js); in a clone (`npx slipway`, `npm exec slipway`) it runs
// the committed dist/cli/index.js, which starts the CLI from the shared bundle dist/shared.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const candidates = [
  new URL('../dist/index.js', import.meta.url),
  new URL('../../../dist/cli/index.js', import.meta.url),
];
const bundle = candidates.find((url) => existsSync(fileURLToPath(url)));
if (!bundle) {
  console.error('slipway: dist/cli/index.js is missing; run `npm run build -- cli` first');
  process.exit(2);
}
await import(bundle.href);
