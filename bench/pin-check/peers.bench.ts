/**
 * pin-check beside its peers, on real and generated workflows. Run with
 * `npm run bench:pin-check` (PIN_BENCH_RUNS=n to change the 7 runs).
 *
 * Corpora: ../shared/corpus (sigstore/cosign's 17 workflows x 106 = 1,802
 * files, written by its make-pin-corpus.sh into a temporary folder) and the
 * generated 2,000-file corpus of generated-corpus.ts. Every checker runs as a
 * whole fresh process from the corpus root, cold (no cache of its own), one
 * after the other within each of the runs; the table shows the median of its
 * user+sys CPU seconds (the children's times as bash's `times` reports them),
 * the ratio to zgosalvez/github-actions-ensure-sha-pinned-actions and what
 * it reported. A peer whose check needs the network (none here) says so.
 *
 * Then each checker runs on the unpinned-reference fixture cases
 * (test/fixtures/pin-check/unpinned, one repository per case) and the second
 * table shows which cases it misses.
 *
 * Peers: the real pinact, ratchet, frizbee and zizmor from the real-tools
 * cache (scripts/real-tools.js builds them), `pin-github-action` from npm
 * (installed into the same cache on first use), and zgosalvez's action: its
 * dist/index.js from SLIPWAY_BENCH_ZGOSALVEZ, else the first
 * <cache>/zgosalvez/<version>/dist/index.js (see bench/README.md).
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { readRealTools, toolBinary, toolsCacheDir } from '../../scripts/real-tools-paths.js';
import { SHARED_CORPUS_DIR } from '../../test/shared-corpus.ts';
import { writeGeneratedCorpus } from './generated-corpus.ts';

const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'dist', 'cli', 'index.js');
const casesDir = join(root, 'test', 'fixtures', 'pin-check', 'unpinned');
const RUNS = Number(process.env.PIN_BENCH_RUNS ?? 7);
const PIN_GITHUB_ACTION = '3.4.0';

interface Output {
  stdout: string;
  stderr: string;
  code: number;
}

interface Checker {
  name: string;
  /** How it is run, and what its count means. */
  mode: string;
  /** Why it cannot run here; the row then shows this instead of numbers. */
  unavailable?: string;
  /** What of its check needs the network (GitHub API), shown beside its numbers. */
  needsNetwork?: string;
  /** False when it can do nothing offline, so a CPU time would mean nothing. */
  timed?: boolean;
  argv(root: string): string[];
  /** Findings reported, as a number or a short text. */
  findings(out: Output): string;
  /** Whether the output reports the (single) unpinned reference of a fixture case. */
  detects(out: Output, c: Case): boolean;
}

interface Case {
  case: string;
  what: string;
  file: string;
  line: number;
  reference: string;
}

const work = mkdtempSync(join(tmpdir(), 'pin-check-peers-'));
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/**
 * No network: a proxy that refuses at once, so that the lookups a peer tries fail immediately (a
 * failed DNS lookup made pinact wait seconds per reference) and no peer reaches a real service.
 */
const OFFLINE = {
  HTTPS_PROXY: 'http://127.0.0.1:9',
  https_proxy: 'http://127.0.0.1:9',
  HTTP_PROXY: 'http://127.0.0.1:9',
  http_proxy: 'http://127.0.0.1:9',
  NO_PROXY: '',
  no_proxy: '',
};

/** Runs argv from cwd through bash and returns its output and the child's user+sys CPU seconds. */
function run(argv: string[], cwd: string): Output & { cpu: number } {
  const out = join(work, 'out');
  const err = join(work, 'err');
  const result = spawnSync(
    'bash',
    ['-c', '"$@" >"$OUT" 2>"$ERR"; code=$?; times; exit $code', 'bash', ...argv],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, ...OFFLINE, OUT: out, ERR: err, NO_COLOR: '1' },
    },
  );
  const children = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(result.stdout);
  if (!children) throw new Error(`no CPU times from bash for ${argv.join(' ')}: ${result.stderr}`);
  const [, um, us, sm, ss] = children.map(Number) as number[];
  return {
    cpu: (um as number) * 60 + (us as number) + (sm as number) * 60 + (ss as number),
    stdout: readFileSync(out, 'utf8'),
    stderr: readFileSync(err, 'utf8'),
    code: result.status ?? -1,
  };
}

/** Workflow and action files under root, relative, for the checkers that take a file list. */
function checkedFiles(dir: string): string[] {
  return readdirSync(join(dir, '.github'), { recursive: true, encoding: 'utf8' })
    .filter((f) => /(^|\/)workflows\/[^/]+\.ya?ml$|(^|\/)action\.ya?ml$/.test(f))
    .map((f) => `.github/${f}`)
    .sort();
}

/** The built program and its pinned version (the version is known even when it is not built). */
function realTool(name: string): { path: string | undefined; label: string } {
  const spec = readRealTools().tools[name];
  const path = spec ? toolBinary(name, spec) : undefined;
  return { path: path && existsSync(path) ? path : undefined, label: `${name} ${spec?.version ?? '?'}` };
}

function zgosalvezDist(): string | undefined {
  const given = process.env.SLIPWAY_BENCH_ZGOSALVEZ;
  if (given) return existsSync(given) ? resolve(given) : undefined;
  const base = join(toolsCacheDir(), 'zgosalvez');
  if (!existsSync(base)) return undefined;
  return readdirSync(base)
    .sort()
    .map((v) => join(base, v, 'dist', 'index.js'))
    .find((p) => existsSync(p));
}

/** pin-github-action from npm, installed once into the real-tools cache. */
function pinGithubAction(): string | undefined {
  const dir = join(toolsCacheDir(), 'pin-github-action', PIN_GITHUB_ACTION);
  const bin = join(dir, 'node_modules', 'pin-github-action', 'bin.js');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
    const npm = spawnSync(
      'npm',
      ['install', '--no-audit', '--no-fund', `pin-github-action@${PIN_GITHUB_ACTION}`],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    if (npm.status !== 0) return undefined;
  }
  const manifest = JSON.parse(
    readFileSync(join(dir, 'node_modules', 'pin-github-action', 'package.json'), 'utf8'),
  );
  const entry = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin ?? {})[0];
  const path = join(dir, 'node_modules', 'pin-github-action', String(entry));
  return existsSync(path) ? path : undefined;
}

const lines = (text: string, pattern: RegExp) => text.split('\n').filter((l) => pattern.test(l));
const missing = (what: string, how: string) => `not available here: ${what} (${how})`;

function checkers(): Checker[] {
  const zg = zgosalvezDist();
  const pga = pinGithubAction();
  const zizmor = realTool('zizmor');
  const pinact = realTool('pinact');
  const ratchet = realTool('ratchet');
  const frizbee = realTool('frizbee');
  const zizmorConfig = join(work, 'zizmor.yml');
  writeFileSync(
    zizmorConfig,
    'rules:\n  unpinned-uses:\n    config:\n      policies:\n        "*": hash-pin\n',
  );
  const build = 'run `node scripts/real-tools.js`';
  return [
    {
      name: 'slipway pin-check',
      mode: '`pin-check --no-cache --format json`',
      argv: () => [process.execPath, cli, 'pin-check', '--no-cache', '--format', 'json'],
      findings: (o) => String((JSON.parse(o.stdout) as { findings: unknown[] }).findings.length),
      detects: (o) => (JSON.parse(o.stdout) as { findings: unknown[] }).findings.length > 0,
    },
    {
      name: 'zgosalvez/github-actions-ensure-sha-pinned-actions',
      mode: 'its dist/index.js as the runner starts it; `::error` lines',
      ...(zg ? {} : { unavailable: missing('its dist/index.js', 'see bench/README.md') }),
      argv: () => [process.execPath, zg as string],
      findings: (o) => String(lines(o.stdout, /^::error.*is not pinned to a full length commit SHA/).length),
      detects: (o, c) => lines(o.stdout, /^::error.*is not pinned/).some((l) => l.includes(c.reference)),
    },
    {
      name: `pin-github-action ${PIN_GITHUB_ACTION} (npm)`,
      mode: 'no check mode: it pins, resolving every ref through the GitHub API',
      needsNetwork: 'needs the GitHub API for every reference (offline: "Unable to find SHA")',
      timed: false,
      ...(pga ? {} : { unavailable: missing('pin-github-action', 'npm install failed') }),
      argv: (dir) => [process.execPath, pga as string, '--continue-on-error', ...checkedFiles(dir)],
      findings: (o) => String(lines(o.stdout + o.stderr, /Unable to find SHA/).length),
      // offline, trying to resolve the reference is how it shows it would pin it
      detects: (o) => /Unable to find SHA for/.test(o.stdout + o.stderr),
    },
    {
      name: zizmor.label,
      mode: '`--offline --persona pedantic`, `unpinned-uses: hash-pin` for all; all audits run, unpinned-uses + unpinned-images counted',
      ...(zizmor.path ? {} : { unavailable: missing('zizmor', build) }),
      argv: () => [
        zizmor.path as string,
        '--offline',
        '--persona',
        'pedantic',
        '--config',
        zizmorConfig,
        '--format',
        'json',
        '.',
      ],
      findings: (o) => String(zizmorPins(o).length),
      detects: (o) => zizmorPins(o).length > 0,
    },
    {
      name: pinact.label,
      mode: '`run --check --format sarif`',
      needsNetwork:
        'looks each tag up through the GitHub API, also for a SHA whose comment is not a full version; offline each lookup is a parse-error result',
      ...(pinact.path ? {} : { unavailable: missing('pinact', build) }),
      argv: (dir) => [pinact.path as string, 'run', '--check', '--format', 'sarif', ...checkedFiles(dir)],
      findings: (o) => {
        const results = pinactResults(o);
        const unpinned = results.filter((r) => r.ruleId === 'unpinned-action').length;
        return `${unpinned} unpinned-action + ${results.length - unpinned} failed lookups`;
      },
      // a result on the case's line: the unpinned reference, or its failed lookup
      detects: (o, c) => pinactResults(o).some((r) => r.line === c.line),
    },
    {
      name: ratchet.label,
      mode: '`lint FILE...` (offline by design)',
      ...(ratchet.path ? {} : { unavailable: missing('ratchet', build) }),
      argv: (dir) => [ratchet.path as string, 'lint', ...checkedFiles(dir)],
      findings: (o) => String(lines(o.stdout + o.stderr, /Unpinned reference/).length),
      detects: (o, c) =>
        lines(o.stdout + o.stderr, /Unpinned reference/).some((l) => l.includes(`:${c.line}:`)),
    },
    {
      name: frizbee.label,
      mode: '`actions list DIR` and `image list DIR` for each folder holding checked files: its check (`actions --dry-run --error`) needs the GitHub API and crashes offline; count = listed refs not on a full SHA',
      ...(frizbee.path ? {} : { unavailable: missing('frizbee', build) }),
      argv: (dir) => [
        'bash',
        '-c',
        'f=$1; shift; for d; do "$f" actions list "$d" && "$f" image list "$d" || exit; done',
        'frizbee',
        frizbee.path as string,
        ...new Set(checkedFiles(dir).map((file) => dirname(file))),
      ],
      findings: (o) => String(frizbeeUnpinned(o).length),
      detects: (o, c) =>
        frizbeeUnpinned(o).some(({ name, ref }) => c.reference.includes(name) && c.reference.endsWith(ref)),
    },
  ];
}

function zizmorPins(o: Output): unknown[] {
  const found = JSON.parse(o.stdout || '[]') as { ident: string }[];
  return found.filter((f) => f.ident === 'unpinned-uses' || f.ident === 'unpinned-images');
}

interface SarifResult {
  ruleId: string;
  locations?: { physicalLocation?: { region?: { startLine?: number } } }[];
}

function pinactResults(o: Output): { ruleId: string; line: number | undefined }[] {
  if (!o.stdout.trim()) return [];
  const sarif = JSON.parse(o.stdout) as { runs: { results?: SarifResult[] }[] };
  return sarif.runs
    .flatMap((r) => r.results ?? [])
    .map((r) => ({ ruleId: r.ruleId, line: r.locations?.[0]?.physicalLocation?.region?.startLine }));
}

/** Rows of frizbee's list tables whose ref is not a full commit SHA or digest. */
function frizbeeUnpinned(o: Output): { name: string; ref: string }[] {
  return lines(o.stdout, /^\|\s*\d+\s*\|/)
    .map((row) => row.split('|').map((cell) => cell.trim()))
    .filter((cells) => !/^(?:[0-9a-f]{40}|sha256:[0-9a-f]{64})$/.test(cells[4] ?? ''))
    .map((cells) => ({ name: cells[3] ?? '', ref: cells[4] ?? '' }));
}

function timeCorpus(corpus: string, list: Checker[]): string[] {
  const cpu = new Map<string, number[]>();
  const last = new Map<string, Output>();
  const runnable = list.filter((c) => !c.unavailable && c.timed !== false);
  for (let i = 0; i < RUNS; i++) {
    for (const checker of runnable) {
      const result = run(checker.argv(corpus), corpus);
      cpu.set(checker.name, [...(cpu.get(checker.name) ?? []), result.cpu]);
      last.set(checker.name, result);
    }
  }
  const base = cpu.get(list.find((c) => c.name.startsWith('zgosalvez'))?.name ?? '');
  const reference = base ? median(base) : undefined;
  return list.map((checker) => {
    const mode = checker.needsNetwork
      ? `${checker.mode}; **network:** ${checker.needsNetwork}`
      : checker.mode;
    const times = cpu.get(checker.name);
    if (!times)
      return `| ${checker.name} | ${mode} | ${checker.unavailable ?? 'not timed: needs the network'} | - | - |`;
    const m = median(times);
    const ratio = reference ? (m / reference).toFixed(2) : '-';
    return `| ${checker.name} | ${mode} | ${m.toFixed(2)} | ${ratio} | ${checker.findings(last.get(checker.name) as Output)} |`;
  });
}

function caseMatrix(list: Checker[]): string[] {
  const cases = JSON.parse(readFileSync(join(casesDir, 'cases.json'), 'utf8')) as Case[];
  const usable = list.filter((c) => !c.unavailable);
  const rows = cases.map((c) => {
    const copy = join(work, 'cases', c.case);
    const cells = usable.map((checker) => {
      // a fresh copy each time: pin-github-action would rewrite files it could resolve
      rmSync(copy, { recursive: true, force: true });
      cpSync(join(casesDir, c.case), copy, { recursive: true });
      return checker.detects(run(checker.argv(copy), copy), c) ? 'found' : '**missed**';
    });
    return `| ${c.case}: ${c.what} | ${cells.join(' | ')} |`;
  });
  const missed = usable.map(
    (_checker, i) => `${rows.filter((r) => r.split(' | ')[i + 1]?.includes('missed')).length}`,
  );
  return [
    `| case | ${usable.map((c) => c.name).join(' | ')} |`,
    `| --- | ${usable.map(() => '---').join(' | ')} |`,
    ...rows,
    `| cases missed | ${missed.join(' | ')} |`,
  ];
}

let report = '';

beforeAll(() => {
  const list = checkers();
  const shared = join(work, 'shared-corpus');
  const made = spawnSync('bash', [join(SHARED_CORPUS_DIR, 'make-pin-corpus.sh'), shared], {
    encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`make-pin-corpus.sh failed: ${made.stderr}`);
  const generated = join(work, 'generated-corpus');
  writeGeneratedCorpus(generated);
  const header = [
    '| checker | mode | CPU s (median of ' +
      RUNS +
      ', cold, whole process) | ratio to zgosalvez | findings |',
    '| --- | --- | --- | --- | --- |',
  ];
  const bare = median(Array.from({ length: RUNS }, () => run([process.execPath, '-e', '0'], work).cpu));
  report = [
    '',
    `### ../shared/corpus: ${checkedFiles(shared).length} real workflow files (sigstore/cosign's x 106)`,
    '',
    ...header,
    ...timeCorpus(shared, list),
    '',
    `### generated corpus: ${checkedFiles(generated).length} generated workflow files`,
    '',
    ...header,
    ...timeCorpus(generated, list),
    '',
    `bare \`node -e 0\`: ${bare.toFixed(2)} CPU s (median of ${RUNS})`,
    '',
    '### unpinned-reference fixture cases (test/fixtures/pin-check/unpinned)',
    '',
    ...caseMatrix(list),
    '',
  ].join('\n');
  console.log(report);
}, 1_800_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('pin-check peers', () => {
  bench('table printed above (see the log)', () => {}, {
    iterations: 1,
    time: 0,
    warmupIterations: 0,
    warmupTime: 0,
  });
});
