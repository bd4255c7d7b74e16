// npm run check-dist: builds every bundle into a temporary folder and fails when the result differs
// from the committed dist/ (changed, missing or extra files). dist/ itself is never touched, so other
// work (and tests reading the bundles) can go on while it runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fresh = mkdtempSync(join(tmpdir(), 'slipway-check-dist-'));
try {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.js'), '--out-root', fresh], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const differences = compareTrees(fresh, join(root, 'dist'));
  if (differences.length > 0) {
    console.error(
      `check-dist: dist/ differs from a fresh build. Run \`npm run build\` and commit dist/.\n${differences.join('\n')}`,
    );
    process.exit(1);
  }
  const uncommitted = spawnSync('git', ['status', '--porcelain', '--untracked-files=all', '--', 'dist'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (uncommitted.status === 0 && uncommitted.stdout.trim() !== '') {
    console.error(`check-dist: dist/ matches a fresh build but is not committed:\n${uncommitted.stdout}`);
    process.exit(1);
  }
  console.log('check-dist: dist/ matches a fresh build');
} finally {
  rmSync(fresh, { recursive: true, force: true });
}

/** Lines naming each file that is new, missing or different in `committed` compared with `built`. */
function compareTrees(built, committed) {
  const a = new Set(existsSync(built) ? files(built) : []);
  const b = new Set(existsSync(committed) ? files(committed) : []);
  const out = [];
  for (const file of [...new Set([...a, ...b])].sort()) {
    if (!b.has(file)) out.push(`  missing from dist/: ${file}`);
    else if (!a.has(file)) out.push(`  not made by the build: dist/${file}`);
    else if (!readFileSync(join(built, file)).equals(readFileSync(join(committed, file))))
      out.push(`  differs: dist/${file}`);
  }
  return out;
}

function files(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}
