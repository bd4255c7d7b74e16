// One ncc bundle: entry -> outDir/index.js (ESM) and its lazily loaded chunks, every file minified
// (scripts/minify.js), plus outDir/licenses.txt made from the bundle's webpack stats, so lazily loaded
// chunks carry their notices too (see bundle-notices.js).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { noticesText, packageDirsFromStats } from './bundle-notices.js';
import { minifyFolder } from './minify.js';

/**
 * Builds `entry` into `outDir` (emptied first); resolves { code, output, stats } (stats: the webpack
 * stats object, when the build succeeded) and never rejects. ncc runs in `context` (default: root),
 * whose tsconfig.json also steers module resolution (its `paths`); module names in the stats are
 * relative to it.
 */
export async function buildBundle({ root, entry, outDir, context = root }) {
  rmSync(outDir, { recursive: true, force: true });
  const scratch = mkdtempSync(join(tmpdir(), 'slipway-build-'));
  const statsFile = join(scratch, 'stats.json');
  const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  const args = [
    ncc,
    'build',
    relative(context, entry),
    '-o',
    resolve(outDir),
    '--transpile-only',
    '--quiet',
    '--no-source-map-register',
    '--stats-out',
    statsFile,
  ];
  try {
    const { code, output } = await new Promise((resolve) => {
      const child = spawn(process.execPath, args, { cwd: context, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      child.on('close', (status) => resolve({ code: status ?? 1, output: text }));
    });
    if (code !== 0) return { code, output };
    await minifyFolder(outDir);
    const stats = JSON.parse(readFileSync(statsFile, 'utf8'));
    const dirs = packageDirsFromStats(stats, relative(root, context));
    writeFileSync(join(outDir, 'licenses.txt'), noticesText(root, dirs));
    return { code, output, stats };
  } catch (error) {
    return { code: 1, output: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
