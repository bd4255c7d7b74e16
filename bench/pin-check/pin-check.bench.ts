/**
 * pin-check benchmark. Run by hand: `npx vitest bench --run bench/pin-check`.
 *
 * Prints a table with
 *  - offline lint of a generated corpus of 2,000 workflow files (fixed seed):
 *    in-process library time, and the CLI bundle end to end (fresh node process,
 *    as `npx slipway pin-check` runs), beside a bare `node -e ''`;
 *  - fix mode on the GitHub API double: GraphQL requests for the distinct
 *    (repository, ref) pairs of the corpus, and the same run again with the cache.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { emptyPolicy, pinCheck, runPinCheck } from '@slipway/pinning';
import { startGitHubDouble } from '../../test/doubles/github/index.ts';
import { FILES, REPOS, TAGS, writeGeneratedCorpus } from './generated-corpus.ts';

const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'dist', 'cli', 'index.js');

let corpus: string;
/** Temporary folders, removed after the run. */
const made: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
const table: string[][] = [];
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const ms = (n: number) => `${n.toFixed(0)} ms`;

async function timeLibrary(): Promise<{ time: number; cpu: number; sites: number; findings: number }> {
  const times: number[] = [];
  const cpus: number[] = [];
  let sites = 0;
  let findings = 0;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    const result = await pinCheck({ root: corpus, paths: [], policy: emptyPolicy() });
    times.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
    sites = result.checkedSites.length;
    findings = result.findings.length;
  }
  return { time: median(times), cpu: median(cpus), sites, findings };
}

function timeProcess(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    spawnSync(process.execPath, args, { cwd: corpus, stdio: 'ignore' });
    times.push(performance.now() - start);
  }
  return median(times);
}

beforeAll(async () => {
  corpus = tempDir('pin-check-bench-');
  writeGeneratedCorpus(corpus);

  const lib = await timeLibrary();
  const cliOne = timeProcess([cli, 'pin-check', '--format', 'json', '--jobs', '1', '--no-cache']);
  const cliAuto = timeProcess([cli, 'pin-check', '--format', 'json', '--no-cache']);
  const cacheDir = tempDir('pin-check-bench-cache-');
  spawnSync(process.execPath, [cli, 'pin-check', '--cache-dir', cacheDir], { cwd: corpus, stdio: 'ignore' });
  const cliWarm = timeProcess([cli, 'pin-check', '--format', 'json', '--cache-dir', cacheDir]);
  const bare = timeProcess(['-e', '']);
  const rate = (t: number) => `${Math.round((FILES / t) * 1000)} files/s`;
  table.push(
    [
      'offline lint, library in-process (median of 5)',
      `${FILES} files, ${lib.sites} refs, ${lib.findings} findings`,
      `${ms(lib.time)} (CPU ${ms(lib.cpu)})`,
      `${rate(lib.time)} (CPU-bound: ${rate(lib.cpu)})`,
    ],
    [
      'offline lint, CLI bundle end to end, --jobs 1, no cache (median of 3)',
      `${FILES} files`,
      ms(cliOne),
      rate(cliOne),
    ],
    [
      `offline lint, CLI bundle end to end, --jobs ${Math.min(availableParallelism(), 8)}, no cache (median of 3)`,
      `${FILES} files`,
      ms(cliAuto),
      rate(cliAuto),
    ],
    [
      'offline lint, CLI, unchanged files from the scan cache (median of 3)',
      `${FILES} files`,
      ms(cliWarm),
      rate(cliWarm),
    ],
    ['bare `node -e ""` (median of 3)', '-', ms(bare), '-'],
    ['machine', `${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(1)}`, '-', '-'],
  );

  const gh = await startGitHubDouble();
  try {
    for (let r = 0; r < REPOS; r++) {
      for (let a = 0; a < 3; a++) {
        const repo = await gh.repos.create(`org${r}/action${a}`);
        const sha = await repo.commit({
          files: { 'action.yml': `name: ${r}-${a}\n` },
          date: '2024-01-01T00:00:00Z',
        });
        for (const tag of TAGS) await repo.tag(tag, sha);
      }
    }
    const work = tempDir('pin-check-bench-fix-');
    cpSync(corpus, work, { recursive: true });
    const options = {
      root: work,
      paths: [],
      online: false,
      fix: true,
      update: false,
      major: false,
      token: 'bench',
      apiUrl: gh.url,
      graphqlUrl: gh.graphqlUrl,
      cacheFile: join(work, 'cache.json'),
      cacheTtlMs: 3_600_000,
    };
    let start = performance.now();
    const fixed = await runPinCheck(options);
    const coldTime = performance.now() - start;
    const rewritten = fixed.plan?.fixes.reduce((n, f) => n + f.replacements.length, 0) ?? 0;
    const pairs = new Set(fixed.plan?.fixes.flatMap((f) => f.replacements.map((x) => x.site.value)) ?? [])
      .size;
    table.push([
      'fix mode, cold cache (GitHub API double)',
      `${rewritten} refs rewritten, ${pairs} distinct (repo, ref) pairs`,
      ms(coldTime),
      `${gh.requests.count('POST /graphql')} GraphQL requests`,
    ]);
    cpSync(corpus, work, { recursive: true });
    const before = gh.requests.count('POST /graphql');
    start = performance.now();
    await runPinCheck(options);
    table.push([
      'fix mode again, warm disk cache',
      `${rewritten} refs rewritten`,
      ms(performance.now() - start),
      `${gh.requests.count('POST /graphql') - before} GraphQL requests`,
    ]);
  } finally {
    await gh.close();
  }
  console.log(
    [
      '',
      '| measurement | corpus | time | rate |',
      '| --- | --- | --- | --- |',
      ...table.map((row) => `| ${row.join(' | ')} |`),
      '',
    ].join('\n'),
  );
}, 600_000);

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('pin-check', () => {
  bench(
    'offline lint of 2,000 generated workflow files (library)',
    async () => {
      await pinCheck({ root: corpus, paths: [], policy: emptyPolicy() });
    },
    { iterations: 5, warmupIterations: 1 },
  );
});
