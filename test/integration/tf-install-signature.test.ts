/**
 * OpenTofu versions outside tf-tools.lock.json: tofu_<v>_SHA256SUMS carries a keyless
 * signature (.sig + .pem), made here for real with @sigstore/sign against the sigstore
 * double as OpenTofu's release workflow (release.yml on refs/heads/v<major>.<minor>);
 * its Rekor entry is served by the rekor-index double. The archive is the real tofu in
 * OpenTofu's layout, served by the release double.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  actionsToolDirectoryCache,
  createReleaseHttp,
  createSigstoreVerifier,
  DirectoryCache,
  SignatureRefusedError,
} from '@slipway/supply-chain/tools';
import { downloadRootFor, installTfTool, type TfInstallOptions } from '@slipway/terraform/install';
import {
  packTofuRelease,
  type TofuRelease,
} from '../../packages/terraform/src/install/tofu-release.fixture.ts';
import { signDetached } from '../doubles/release-assets/detached-signature.ts';
import { startReleaseServer, type ReleaseServer } from '../doubles/release-assets/release-server.ts';
import { startRekorIndex, type RekorIndex } from '../doubles/rekor-index/rekor-index.ts';
import { startSigstoreServices, type SigstoreServices } from '../doubles/sigstore/sigstore-services.ts';
import { realTool } from '../real-tools.ts';

const VERSION = '1.13.0';
const SUMS = `tofu_${VERSION}_SHA256SUMS`;
let sigstore: SigstoreServices;
let rekor: RekorIndex;
let server: ReleaseServer;
let release: TofuRelease;
let scratch: string;

beforeAll(async () => {
  sigstore = await startSigstoreServices();
  rekor = await startRekorIndex();
  release = packTofuRelease(realTool('tofu').path, VERSION);
  server = await startReleaseServer();
  server.add(release.files);
}, 120_000);
afterAll(async () => {
  await server.close();
  await rekor.close();
  await sigstore.stop();
  rmSync(scratch, { recursive: true, force: true });
});
beforeEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = mkdtempSync(join(tmpdir(), 'tofu-sig-'));
  process.env.RUNNER_TOOL_CACHE = join(scratch, 'tool-cache');
  rekor.clear();
  server.resetCounters();
});

async function publishSignature(ref: string, repository = 'opentofu/opentofu') {
  sigstore.setClaims({ repository, workflowPath: '.github/workflows/release.yml', ref });
  const sums = release.files.find((f) => f.name === SUMS)!;
  const signature = await signDetached(sigstore, sums.body);
  server.add([
    { path: `${sums.path}.sig`, name: `${SUMS}.sig`, body: signature.sig },
    { path: `${sums.path}.pem`, name: `${SUMS}.pem`, body: signature.pem },
  ]);
  rekor.register(signature.rekorEntry);
}

const options = (): TfInstallOptions => ({
  tool: 'tofu',
  version: VERSION,
  platform: 'linux',
  arch: 'x64',
  downloadRoot: downloadRootFor('tofu', server.url),
  http: createReleaseHttp(),
  cache: new DirectoryCache(join(scratch, 'cache')),
  toolCache: actionsToolDirectoryCache,
  log: { info: () => {}, warning: () => {} },
  // the committed lock: 1.13.0 is not in it
  workDir: join(scratch, 'work'),
  verifySignature: createSigstoreVerifier(async () => TrustedRoot.fromJSON(sigstore.trustedRoot())),
  rekor: { url: rekor.url, retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 } },
});

describe('installTfTool: a tofu version outside the lock, by its release signature', () => {
  it('signed by OpenTofu’s release workflow on refs/heads/v1.13: installed, and it runs', async () => {
    await publishSignature('refs/heads/v1.13');
    const installed = await installTfTool(options());
    expect(installed).toMatchObject({
      version: VERSION,
      sha256: release.sha256,
      verifiedBy: 'signature',
      source: 'download',
    });
    expect(execFileSync(installed.path, ['version'], { encoding: 'utf8' })).toContain('OpenTofu v');
  });

  it.each([
    ['another release branch', 'refs/heads/v1.12', 'opentofu/opentofu'],
    ['another repository', 'refs/heads/v1.13', 'evil/opentofu'],
  ])('signed from %s: refused before the archive is fetched', async (_what, ref, repository) => {
    await publishSignature(ref, repository);
    const error = await installTfTool(options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignatureRefusedError);
    expect(server.requests.some((p) => p.endsWith(release.asset))).toBe(false);
  });
});
