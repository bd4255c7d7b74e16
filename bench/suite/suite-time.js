// npm run bench:suite [-- --copies N] [-- --skip-alone] [-- --keep]: how long the whole suite
// (`npm test`) takes on this machine, alone and with more copies of it running at the same time.
//   - Each copy runs in its own git worktree of HEAD (made here, `npm ci` in each), so no two share
//     dist/, node_modules or a temporary folder; uncommitted changes are not measured.
//   - First one copy runs alone, then N copies (default 2) start together: the second row set is the
//     suite "under load", the load being another whole suite.
//   - Wall time from start to exit; CPU is the user+sys seconds of the whole process tree (bash's
//     `times` for its child); the counts come from the suite's own `N passed, N failed` line; each
//     suite's output stays in a suite-bench-logs-* temporary folder.
// Nothing is asserted: the goal column says whether each run meets issue 14's 10 minutes.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const GOAL_SECONDS = 600;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const copies = Number(option('--copies', '2'));
if (!Number.isInteger(copies) || copies < 1) throw new Error(`--copies must be a whole number ≥ 1`);

function run(command, argv, cwd) {
  const result = spawnSync(command, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0)
    throw new Error(`${command} ${argv.join(' ')} failed in ${cwd}:\n${result.stderr}`);
  return result.stdout.trim();
}

/** Runs `npm test` in `dir`; resolves wall seconds, CPU seconds of the tree, and the suite's counts. */
function suite(dir, log) {
  const started = process.hrtime.bigint();
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', ['-c', 'npm test >"$OUT" 2>&1; code=$?; times; exit $code'], {
      cwd: dir,
      env: { ...process.env, OUT: log, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const times = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(stdout);
      const [, um, us, sm, ss] = (times ?? [0, 0, 0, 0, 0]).map(Number);
      const counts = /^(\d+) passed, (\d+) failed/m.exec(readFileSync(log, 'utf8'));
      resolvePromise({
        wall,
        cpu: times ? um * 60 + us + sm * 60 + ss : NaN,
        passed: counts ? Number(counts[1]) : NaN,
        failed: counts ? Number(counts[2]) : NaN,
        code,
      });
    });
  });
}

const fmt = (seconds) => `${seconds.toFixed(0)} s (${(seconds / 60).toFixed(1)} min)`;
function row(label, copy, r, log) {
  const goal = r.wall <= GOAL_SECONDS ? 'yes' : 'no';
  const result = r.code === 0 ? `${r.passed} passed` : `exit ${r.code}, ${r.failed} failed (log: ${log})`;
  console.log(`| ${label} | ${copy} | ${fmt(r.wall)} | ${r.cpu.toFixed(0)} | ${goal} | ${result} |`);
}

const head = run('git', ['rev-parse', '--short', 'HEAD'], root);
const base = mkdtempSync(join(tmpdir(), 'suite-bench-'));
const logs = mkdtempSync(join(tmpdir(), 'suite-bench-logs-')); // kept: the suites' output
const trees = [];
try {
  for (let i = 1; i <= copies; i++) {
    const dir = join(base, `copy-${i}`);
    run('git', ['worktree', 'add', '--detach', dir, 'HEAD'], root);
    trees.push(dir);
    console.error(`copy ${i}: npm ci in ${dir}`);
    run('npm', ['ci', '--no-audit', '--no-fund'], dir);
  }
  console.log(`\nThe suite (\`npm test\`) at ${head}, ${cpus().length} CPUs, node ${process.version}\n`);
  console.log('| run | copy | wall | CPU s (user+sys) | ≤ 10 min | result |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  if (!args.includes('--skip-alone')) {
    const log = join(logs, 'alone.log');
    row('alone', 1, await suite(trees[0], log), log);
  }
  if (copies > 1) {
    const files = trees.map((_, i) => join(logs, `together-${i + 1}.log`));
    const results = await Promise.all(trees.map((dir, i) => suite(dir, files[i])));
    results.forEach((r, i) => row(`${copies} together`, i + 1, r, files[i]));
  }
} finally {
  if (!args.includes('--keep')) {
    for (const dir of trees) spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: root });
    rmSync(base, { recursive: true, force: true });
  } else console.error(`kept ${base}`);
  console.error(`the suites' output: ${logs}`);
}
