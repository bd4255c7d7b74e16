// One ncc bundle: entry -> outDir/index.js (ESM, minified) plus outDir/licenses.txt made from the
// bundle's webpack stats, so lazily loaded chunks carry their notices too (see bundle-notices.js).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { noticesText, packageDirsFromStats } from './bundle-notices.js';

/** Builds `entry` into `outDir` (emptied first); resolves { code, output } and never rejects. */
export async function buildBundle({ root, entry, outDir }) {
  rmSync(outDir, { recursive: true, force: true });
  const scratch = mkdtempSync(join(tmpdir(), 'slipway-build-'));
  const stats = join(scratch, 'stats.json');
  const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  const args = [
    ncc,
    'build',
    relative(root, entry),
    '-o',
    outDir,
    '--minify',
    '--transpile-only',
    '--quiet',
    '--no-source-map-register',
    '--stats-out',
    stats,
  ];
  try {
    const { code, output } = await new Promise((resolve) => {
      const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      child.on('close', (status) => resolve({ code: status ?? 1, output: text }));
    });
    if (code !== 0) return { code, output };
    const dirs = packageDirsFromStats(JSON.parse(readFileSync(stats, 'utf8')));
    writeFileSync(join(outDir, 'licenses.txt'), noticesText(root, dirs));
    return { code, output };
  } catch (error) {
    return { code: 1, output: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
