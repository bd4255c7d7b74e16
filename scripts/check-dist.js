// npm run check-dist: rebuilds dist/ from scratch and fails when the result differs from what is
// committed (changed, deleted or new files). Run it before committing source changes.
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.js')], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', 'dist'], {
  cwd: root,
  encoding: 'utf8',
});
if (status.trim() !== '') {
  console.error(
    'check-dist: dist/ differs from a fresh build. Run `npm run build` and commit dist/.\n' + status,
  );
  const diff = spawnSync('git', ['diff', '--stat', '--', 'dist'], { cwd: root, encoding: 'utf8' });
  if (diff.stdout) console.error(diff.stdout);
  process.exit(1);
}
console.log('check-dist: dist/ matches a fresh build');
