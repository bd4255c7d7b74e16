/**
 * What verifying syft's detached checksums signature costs: installTool for a
 * locked syft version (lock file only) against an unlocked one (checksums file,
 * .sig, .pem, Rekor index + entry, Sigstore verification of the assembled
 * bundle), cold and with a warm cross-run cache (the signature is checked again
 * on every run: the cache key holds the digest, not the verdict). All services
 * are loopback doubles (release assets, @sigstore/mock Fulcio/Rekor, the
 * rekor-index double), so the numbers are CPU and protocol overhead, not
 * network latency: on a runner each extra request adds a round trip to
 * github.com or rekor.sigstore.dev. Run: `npx vitest bench --run bench/supply-chain`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import {
  actionsToolDirectoryCache,
  createReleaseHttp,
  createSigstoreVerifier,
  DirectoryCache,
  type InstallToolOptions,
  installToolWithReport,
  parseToolsLock,
} from '@slipway/supply-chain/tools';
import { buildRelease, lockFor } from '../../test/doubles/release-assets/release-assets.ts';
import { signDetached, signatureFiles } from '../../test/doubles/release-assets/detached-signature.ts';
import { startReleaseServer, type ReleaseServer } from '../../test/doubles/release-assets/release-server.ts';
import { startRekorIndex, type RekorIndex } from '../../test/doubles/rekor-index/rekor-index.ts';
import {
  startSigstoreServices,
  type SigstoreServices,
} from '../../test/doubles/sigstore/sigstore-services.ts';

const ROUNDS = 7;
let server: ReleaseServer;
let rekor: RekorIndex;
let sigstore: SigstoreServices;
let lock: ReturnType<typeof parseToolsLock>;

function options(root: string, job: string, overrides: Partial<InstallToolOptions>): InstallToolOptions {
  process.env.RUNNER_TOOL_CACHE = join(root, `tool-cache-${job}`);
  return {
    tool: 'syft',
    platform: 'linux',
    arch: 'x64',
    baseUrl: server.baseUrl('anchore', 'syft'),
    http: createReleaseHttp(),
    cache: new DirectoryCache(join(root, 'actions-cache')),
    toolCache: actionsToolDirectoryCache,
    log: { info: () => {}, warning: () => {} },
    lock,
    workDir: join(root, 'work'),
    // A fresh verifier per install, as per action run (the trusted root is read each time).
    verifySignature: createSigstoreVerifier(async () => TrustedRoot.fromJSON(sigstore.trustedRoot())),
    rekor: { url: rekor.url },
    ...overrides,
  };
}

async function measure(root: string, job: string, overrides: Partial<InstallToolOptions>) {
  server.resetCounters();
  rekor.counts.index = 0;
  rekor.counts.entry = 0;
  const started = performance.now();
  const result = await installToolWithReport(options(root, job, overrides));
  return {
    ms: performance.now() - started,
    release: server.requests.filter((p) => !p.startsWith('/objects/')).length,
    rekor: rekor.counts.index + rekor.counts.entry,
    verifiedBy: `${result.source}, ${result.verifiedBy}`,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

beforeAll(async () => {
  sigstore = await startSigstoreServices();
  rekor = await startRekorIndex();
  const locked = buildRelease('syft', '1.51.0');
  const unlocked = buildRelease('syft', '1.52.0');
  lock = parseToolsLock(
    lockFor([buildRelease('trivy', '0.74.0'), locked, buildRelease('cosign', '3.1.3')]),
    'bench',
  );
  server = await startReleaseServer([locked, unlocked]);
  sigstore.setClaims({ repository: 'anchore/syft', workflowPath: '.github/workflows/release.yaml' });
  const sums = unlocked.files.find((f) => f.name === 'syft_1.52.0_checksums.txt')!.body;
  const signature = await signDetached(sigstore, sums);
  server.add(signatureFiles(unlocked, signature));
  rekor.register(signature.rekorEntry);

  const cases = [
    ['1.51.0 (locked)', { version: '1.51.0' }],
    ['1.52.0 (unlocked, signature verified)', { version: '1.52.0' }],
    ['1.52.0 (unlocked, allow-unverified-tool)', { version: '1.52.0', allowUnverified: true }],
  ] as const;
  const rows: string[] = [];
  for (const [label, overrides] of cases) {
    const cold: number[] = [];
    const warm: number[] = [];
    let shape = { cold: '', warm: '' };
    for (let round = 0; round < ROUNDS; round++) {
      const root = mkdtempSync(join(tmpdir(), 'bench-syft-sig-'));
      const a = await measure(root, 'a', overrides);
      const b = await measure(root, 'b', overrides);
      cold.push(a.ms);
      warm.push(b.ms);
      shape = {
        cold: `${a.verifiedBy} | ${a.release} | ${a.rekor}`,
        warm: `${b.verifiedBy} | ${b.release} | ${b.rekor}`,
      };
      rmSync(root, { recursive: true, force: true });
    }
    rows.push(`| ${label} | cold | ${shape.cold} | ${median(cold).toFixed(1)} ms |`);
    rows.push(`| ${label} | warm cross-run cache | ${shape.warm} | ${median(warm).toFixed(1)} ms |`);
  }
  console.log(
    [
      '',
      `installTool syft on loopback doubles (median of ${ROUNDS} rounds):`,
      '',
      '| version | state | source, verified by | release requests | Rekor requests | wall time |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n'),
  );
}, 300_000);

afterAll(async () => {
  await server.close();
  await rekor.close();
  await sigstore.stop();
});

describe('installTool syft outside the lock file', () => {
  bench(
    'cold install with the checksums signature verified',
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'bench-syft-sig-'));
      await installToolWithReport(options(root, 'a', { version: '1.52.0' }));
      rmSync(root, { recursive: true, force: true });
    },
    { iterations: 5, warmupIterations: 1 },
  );
});
