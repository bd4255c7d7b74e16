/**
 * OpenTofu versions outside tf-tools.lock.json: tofu_<v>_SHA256SUMS carries a keyless
 * signature (.sig + .pem), made here for real with @sigstore/sign against the sigstore
 * double as OpenTofu's release workflow (release.yml on refs/heads/v<major>.<minor>);
 * its Rekor entry is served by the rekor-index double. The archive is the real tofu in
 * OpenTofu's layout, served by the release double.
 *
 * Terraform versions outside the lock, through the committed tf-plan bundle: the OpenPGP verifier
 * is a lazily loaded chunk of the bundle; it accepts a real HashiCorp signature with the embedded
 * key and refuses one made by any other key.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as openpgp from 'openpgp';
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
import { runAction } from '../harness/run-action.ts';
import {
  AWS_PROVIDER_SUMS,
  AWS_PROVIDER_SUMS_SIG_BASE64,
} from '../../packages/terraform/src/install/hashicorp-signed.fixture.ts';

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

describe("tf-plan bundle: a terraform version outside the lock, by HashiCorp's OpenPGP signature", () => {
  const TF = '1.15.0';
  const dir = `/terraform/${TF}`;
  const sums = `terraform_${TF}_SHA256SUMS`;
  const zip = `terraform_${TF}_linux_amd64.zip`;
  const run = () => {
    const workspace = join(scratch, 'ws');
    execFileSync('mkdir', ['-p', workspace]);
    return runAction({
      actionDir: resolve(import.meta.dirname, '../../actions/tf-plan'),
      workspace,
      inputs: { tool: 'terraform', version: TF, 'working-directory': '.', comment: 'false' },
      env: {
        SLIPWAY_RELEASES_URL: server.url,
        SLIPWAY_CACHE_DIR: join(scratch, 'cache'),
        RUNNER_TOOL_CACHE: join(scratch, 'tool-cache'),
      },
    });
  };
  const publish = (sumsBody: Buffer, sig: Buffer) =>
    server.add([
      { path: `${dir}/${sums}`, name: sums, body: sumsBody },
      { path: `${dir}/${sums}.sig`, name: `${sums}.sig`, body: sig },
    ]);

  it('a real HashiCorp signature verifies with the embedded key; a SHA256SUMS without the archive is still refused', async () => {
    // HashiCorp's signed SHA256SUMS of another release: genuine, but it lists no terraform archive
    publish(Buffer.from(AWS_PROVIDER_SUMS), Buffer.from(AWS_PROVIDER_SUMS_SIG_BASE64, 'base64'));
    const result = await run();
    expect(result.exitCode).not.toBe(0);
    expect(result.log).toContain(
      `${sums} signed by HashiCorp's key C874011F0AB405110D02105534365D9472D7468F (signing key C820C6D5CD27AB87) on 2023-06-09T20:01:55.000Z.`,
    );
    expect(result.log).toContain(`${sums} has no entry for ${zip}`);
    expect(server.requests.some((p) => p.endsWith(zip))).toBe(false);
  });

  it('a signature by another key is refused before the archive is fetched', async () => {
    const { privateKey } = await openpgp.generateKey({
      userIDs: [{ name: 'Not HashiCorp', email: 'x@example.test' }],
      format: 'object',
    });
    const body = Buffer.from(`${'a'.repeat(64)}  ${zip}\n`);
    const sig = await openpgp.sign({
      message: await openpgp.createMessage({ binary: new Uint8Array(body) }),
      signingKeys: privateKey,
      detached: true,
      format: 'binary',
    });
    publish(body, Buffer.from(sig));
    const result = await run();
    expect(result.exitCode).not.toBe(0);
    expect(result.log).toContain(
      `made with key ${privateKey.getKeyID().toHex().toUpperCase()}, which is not HashiCorp's key C874011F0AB405110D02105534365D9472D7468F`,
    );
    expect(server.requests.some((p) => p.endsWith(zip))).toBe(false);
  });
});
