// `node --import ./record-loads.js ...`: appends the path of every file: module the process loads to
// the file named by SLIPWAY_BENCH_LOADS (one a line). Used by start.js to add up the JavaScript an
// action reads before its first error; never loaded in a timed run.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.SLIPWAY_BENCH_LOADS, fileURLToPath(url) + '\\n');
  return next(url, context);
}`)}`,
);
