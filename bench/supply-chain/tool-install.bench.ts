/**
 * Tool installation benchmark: bytes downloaded and wall time of installTool for
 * trivy, syft and cosign against the release-asset double on loopback, in three
 * states: cold (empty caches), warm cross-run cache (a new job: empty runner
 * tool cache, the @actions/cache stand-in DirectoryCache filled), and warm tool
 * cache (the same job again). Run: `npx vitest bench --run bench/supply-chain`.
 *
 * Assets are the double's stand-in archives padded with 32 MiB of random bytes,
 * so hashing, copying and extraction move a realistic amount of data. Loopback
 * has no real bandwidth limit: on a runner the cold download itself adds
 * size / bandwidth, which the warm cross-run cache replaces with a cache
 * download from GitHub's cache service (not measurable here).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import {
  actionsToolDirectoryCache,
  createReleaseHttp,
  DirectoryCache,
  type InstallToolOptions,
  installToolWithReport,
  parseToolsLock,
  type ToolName,
} from '@slipway/supply-chain/tools';
import { buildRelease, lockFor } from '../../test/doubles/release-assets/release-assets.ts';
import { startReleaseServer, type ReleaseServer } from '../../test/doubles/release-assets/release-server.ts';

const PADDING = 32 * 1024 * 1024;
const ROUNDS = 5;
const REPOS: Record<ToolName, [string, string]> = {
  trivy: ['aquasecurity', 'trivy'],
  syft: ['anchore', 'syft'],
  cosign: ['sigstore', 'cosign'],
};

let server: ReleaseServer;
let lock: ReturnType<typeof parseToolsLock>;
const quiet = { info: () => {}, warning: () => {} };

function options(tool: ToolName, root: string, job: string): InstallToolOptions {
  process.env.RUNNER_TOOL_CACHE = join(root, `tool-cache-${job}`);
  const [owner, repo] = REPOS[tool];
  return {
    tool,
    platform: 'linux',
    arch: 'x64',
    baseUrl: server.baseUrl(owner, repo),
    http: createReleaseHttp(),
    cache: new DirectoryCache(join(root, 'actions-cache')),
    toolCache: actionsToolDirectoryCache,
    log: quiet,
    lock,
    workDir: join(root, 'work'),
  };
}

async function measure(tool: ToolName, root: string, job: string) {
  server.resetCounters();
  const started = performance.now();
  const result = await installToolWithReport(options(tool, root, job));
  return {
    ms: performance.now() - started,
    bytes: server.totalBytes(),
    requests: server.requests.length,
    source: result.source,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

beforeAll(async () => {
  const releases = [
    buildRelease('trivy', '0.74.0', { padding: PADDING }),
    buildRelease('syft', '1.51.0', { padding: PADDING }),
    buildRelease('cosign', '3.1.3', { padding: PADDING }),
  ];
  lock = parseToolsLock(lockFor(releases), 'bench lock');
  server = await startReleaseServer(releases);

  const rows: string[] = [];
  for (const tool of ['trivy', 'syft', 'cosign'] as const) {
    const samples = { cold: [] as number[], warmCache: [] as number[], warmToolCache: [] as number[] };
    const bytes = { cold: 0, warmCache: 0, warmToolCache: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const root = mkdtempSync(join(tmpdir(), `bench-${tool}-`));
      const cold = await measure(tool, root, 'a');
      const warmCache = await measure(tool, root, 'b');
      const warmToolCache = await measure(tool, root, 'b');
      if (
        cold.source !== 'download' ||
        warmCache.source !== 'actions-cache' ||
        warmToolCache.source !== 'tool-cache'
      ) {
        throw new Error(`unexpected sources ${cold.source}/${warmCache.source}/${warmToolCache.source}`);
      }
      samples.cold.push(cold.ms);
      samples.warmCache.push(warmCache.ms);
      samples.warmToolCache.push(warmToolCache.ms);
      bytes.cold = cold.bytes;
      bytes.warmCache = warmCache.bytes;
      bytes.warmToolCache = warmToolCache.bytes;
      rmSync(root, { recursive: true, force: true });
    }
    for (const [state, label] of [
      ['cold', 'cold (empty caches)'],
      ['warmCache', 'warm cross-run cache, new job'],
      ['warmToolCache', 'warm tool cache, same job'],
    ] as const) {
      rows.push(
        `| ${tool} | ${label} | ${bytes[state].toLocaleString('en')} | ${median(samples[state]).toFixed(1)} ms |`,
      );
    }
  }
  console.log(
    [
      '',
      `installTool against the release double (assets padded to ~${PADDING / 1024 / 1024} MiB, median of ${ROUNDS} rounds):`,
      '',
      '| tool | state | bytes downloaded | wall time |',
      '| --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n'),
  );
}, 600_000);

afterAll(() => server.close());

describe('installTool trivy', () => {
  bench(
    'cold install (download, verify, extract, cache)',
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'bench-cold-'));
      await installToolWithReport(options('trivy', root, 'a'));
      rmSync(root, { recursive: true, force: true });
    },
    { iterations: 3, warmupIterations: 0 },
  );
});
