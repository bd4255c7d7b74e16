// Installs the Debian packages listed in system-deps.js when their commands are missing.
// Never skips silently: when something is missing and cannot be installed, it exits non-zero
// with the command to run.
import { spawnSync } from 'node:child_process';
import { SYSTEM_DEPS } from './system-deps.js';

const has = (command) => spawnSync('sh', ['-c', `command -v "$0" >/dev/null 2>&1`, command]).status === 0;
// an unquoted $0 expands the glob; an unmatched glob stays literal and fails the -x test
const inPaths = (glob) =>
  spawnSync('sh', ['-c', 'for f in $0; do [ -x "$f" ] && exit 0; done; exit 1', glob]).status === 0;
const present = (d) => has(d.command) || (d.paths ?? []).some(inPaths);
const missing = SYSTEM_DEPS.filter((d) => !present(d));
if (missing.length === 0) process.exit(0);

const pkgs = [...new Set(missing.map((d) => d.pkg))];
const isRoot = process.getuid?.() === 0;
// GitHub's Ubuntu runners are not root but have passwordless sudo; `sudo -n` never prompts.
const sudo = !isRoot && has('sudo') && spawnSync('sudo', ['-n', 'true']).status === 0;
const canApt = process.platform === 'linux' && has('apt-get') && (isRoot || sudo);
if (!canApt) {
  console.error(
    `The test suite needs: ${missing.map((d) => d.command).join(', ')}.\nInstall them first, e.g. sudo apt-get install -y ${pkgs.join(' ')}`,
  );
  process.exit(1);
}
console.log(`installing Debian packages: ${pkgs.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [
  ['update', '-qq'],
  ['install', '-y', '-qq', '--no-install-recommends', ...pkgs],
]) {
  const [command, argv] = sudo
    ? ['sudo', ['-n', '--preserve-env=DEBIAN_FRONTEND', 'apt-get', ...args]]
    : ['apt-get', args];
  const r = spawnSync(command, argv, { stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`apt-get ${args.join(' ')} failed (exit ${r.status})`);
    process.exit(1);
  }
}
const still = missing.filter((d) => !present(d));
if (still.length > 0) {
  console.error(`still missing after install: ${still.map((d) => d.command).join(', ')}`);
  process.exit(1);
}
