#!/usr/bin/env node
// Launcher for `npx slipway` / `npm exec slipway` in a clone: runs the bundle built by
// `npm run build -- cli` (dist/cli/index.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../../../dist/cli/index.js', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  console.error('slipway: dist/cli/index.js is missing; run `npm run build -- cli` first');
  process.exit(2);
}
await import(bundle.href);
