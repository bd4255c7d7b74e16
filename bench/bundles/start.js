// npm run bench:bundles [-- --root DIR] [-- --runs N]: what the JavaScript actions ship and how fast
// they start. Prints two tables for the checkout at DIR (default: this one), from its actions/*/action.yml
// and committed dist/ (the programs too: each other dist/<name>/index.js but dist/shared's, e.g. the CLI,
// run with --help):
//   - size: the files of each action's dist folder, and the JavaScript the action reads before its first
//     error (recorded once per action with record-loads.js); then dist/ in total against the goal;
//   - start: each action started as the runner starts it (`node <runs.main>`, INPUT_* set to the
//     action.yml defaults, required inputs left unset, file commands to empty files, an empty
//     workspace, proxies pointing at a closed port), until its first input error or its end, against
//     bare `node -e 0`. The median of N cold runs (default 9) of the whole process's user+sys CPU
//     seconds, from bash's `times` for its child; bare node and the actions alternate within each
//     round, so the load of the shared machine falls on all alike. CPU time, not wall time.
// Nothing is asserted: the goal columns say whether each number meets the goal of issue 14.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const GOAL_DIST_BYTES = 4 * 1024 * 1024;
const GOAL_START_RATIO = 1.6;
const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const root = resolve(option('--root', join(here, '..', '..')));
const runs = Number(option('--runs', process.env.BUNDLE_BENCH_RUNS ?? '9'));
const OFFLINE = { HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '' };

const actions = readdirSync(join(root, 'actions'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'actions', d.name, 'action.yml')))
  .map((d) => ({
    name: d.name,
    meta: parse(readFileSync(join(root, 'actions', d.name, 'action.yml'), 'utf8')),
  }))
  .filter(({ meta }) => /^node\d+$/.test(meta.runs.using))
  .map(({ name, meta }) => ({
    name,
    main: resolve(root, 'actions', name, meta.runs.main),
    defaults: Object.fromEntries(
      Object.entries(meta.inputs ?? {})
        .filter(([, spec]) => spec.default !== undefined && !String(spec.default).includes('${{'))
        .map(([input, spec]) => [`INPUT_${input.replace(/ /g, '_').toUpperCase()}`, String(spec.default)]),
    ),
  }));
/** The programs: dist/<name>/index.js that no action runs (dist/shared is the bundle they all start). */
const programs = readdirSync(join(root, 'dist'))
  .filter((name) => name !== 'shared' && existsSync(join(root, 'dist', name, 'index.js')))
  .map((name) => join(root, 'dist', name, 'index.js'))
  .filter((main) => !actions.some((a) => a.main === main))
  .map((main) => ({ name: `${basename(dirname(main))} --help`, main, args: ['--help'], defaults: {} }));
const started = [...actions, ...programs];

/** A fresh runner-like environment and workspace for one action run. */
function runnerEnv(action) {
  const dir = mkdtempSync(join(work, `${action.name.replace(/\W+/g, '-')}-`));
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace);
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...OFFLINE, ...action.defaults };
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY']) {
    env[name] = join(dir, name.toLowerCase());
    writeFileSync(env[name], '');
  }
  return { env: { ...env, RUNNER_TEMP: dir, GITHUB_WORKSPACE: workspace }, cwd: workspace };
}

/** The files (absolute paths) the action's process loads before it exits. */
function loadedFiles(action) {
  const { env, cwd } = runnerEnv(action);
  const log = join(env.RUNNER_TEMP, 'loads.txt');
  writeFileSync(log, '');
  spawnSync(
    process.execPath,
    ['--import', join(here, 'record-loads.js'), action.main, ...(action.args ?? [])],
    {
      cwd,
      env: { ...env, SLIPWAY_BENCH_LOADS: log },
    },
  );
  return [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
}

/** Runs argv through bash; resolves the child's user+sys CPU seconds and what it printed. */
function cpuRun(argv, env, cwd) {
  const out = join(env.RUNNER_TEMP ?? work, 'out.txt');
  const result = spawnSync('bash', ['-c', '"$@" >"$OUT" 2>&1; code=$?; times; exit $code', 'bash', ...argv], {
    cwd,
    encoding: 'utf8',
    env: { ...env, OUT: out },
  });
  const children = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(result.stdout);
  if (!children) throw new Error(`no CPU times from bash for ${argv.join(' ')}: ${result.stderr}`);
  const [, um, us, sm, ss] = children.map(Number);
  return { cpu: um * 60 + us + sm * 60 + ss, code: result.status, output: readFileSync(out, 'utf8') };
}

function measureStarts() {
  const cpu = new Map([['bare', []], ...started.map((a) => [a.name, []])]);
  const last = new Map();
  for (let round = 0; round < runs; round++) {
    const bareEnv = { PATH: process.env.PATH, HOME: process.env.HOME, RUNNER_TEMP: work };
    cpu.get('bare').push(cpuRun([process.execPath, '-e', '0'], bareEnv, work).cpu);
    for (const action of started) {
      const { env, cwd } = runnerEnv(action);
      const result = cpuRun([process.execPath, action.main, ...(action.args ?? [])], env, cwd);
      cpu.get(action.name).push(result.cpu);
      last.set(action.name, result);
    }
  }
  return { cpu, last };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const kb = (bytes) => (bytes < 10240 ? `${bytes} B` : `${(bytes / 1024).toFixed(0)} KB`);
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const bytesOf = (files) => files.reduce((sum, file) => sum + statSync(file).size, 0);

function table(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

function printSizes(loaded) {
  const dist = join(root, 'dist');
  const rows = started.map((action) => {
    const own = filesUnder(dirname(action.main));
    const js = loaded.get(action.name).filter((f) => f.startsWith(`${dist}/`) && f.endsWith('.js'));
    return [
      action.name,
      kb(bytesOf(own.filter((f) => f.endsWith('.js')))),
      kb(bytesOf(own)),
      `${kb(bytesOf(js))} in ${js.length} file(s)`,
    ];
  });
  const all = filesUnder(dist);
  const js = all.filter((f) => f.endsWith('.js'));
  for (const folder of readdirSync(dist).filter(
    (f) => !started.some((a) => dirname(a.main) === join(dist, f)),
  )) {
    const files = filesUnder(join(dist, folder));
    rows.push([
      `(dist/${folder})`,
      kb(bytesOf(files.filter((f) => f.endsWith('.js')))),
      kb(bytesOf(files)),
      '-',
    ]);
  }
  console.log(`\n### Bundle sizes: ${dist}\n`);
  console.log(
    table(
      ['action', 'JS in its dist folder', 'all files in its dist folder', 'JS read before its first error'],
      rows,
    ),
  );
  console.log(
    `\n${table(
      ['dist/ in total', 'bytes', `goal (≤ ${mb(GOAL_DIST_BYTES)})`],
      [
        ['JavaScript (*.js)', mb(bytesOf(js)), bytesOf(js) <= GOAL_DIST_BYTES ? 'met' : 'missed'],
        [
          'all files (notices included)',
          mb(bytesOf(all)),
          bytesOf(all) <= GOAL_DIST_BYTES ? 'met' : 'missed',
        ],
      ],
    )}`,
  );
}

function printStarts({ cpu, last }) {
  const bare = median(cpu.get('bare'));
  const rows = started.map((action) => {
    const seconds = median(cpu.get(action.name));
    const result = last.get(action.name);
    const error = /^::error::(.*)$/m.exec(result.output)?.[1] ?? '';
    const ratio = seconds / bare;
    return [
      action.name,
      seconds.toFixed(3),
      `${ratio.toFixed(2)}x`,
      ratio <= GOAL_START_RATIO ? 'met' : 'missed',
      result.code === 0 ? 'ran to its end (exit 0)' : error ? `${error.slice(0, 60)}` : `exit ${result.code}`,
    ];
  });
  console.log(`\n### Cold start to the first input error (CPU s, median of ${runs}, whole process)\n`);
  console.log(
    table(
      ['action', 'CPU s', 'to bare node', `goal (≤ ${GOAL_START_RATIO}x)`, 'how it ended'],
      [['bare `node -e 0`', bare.toFixed(3), '1.00x', '-', '-'], ...rows],
    ),
  );
}

const work = mkdtempSync(join(tmpdir(), 'slipway-bundle-bench-'));
try {
  const loaded = new Map(started.map((a) => [a.name, loadedFiles(a)]));
  printSizes(loaded);
  printStarts(measureStarts());
} finally {
  rmSync(work, { recursive: true, force: true });
}
