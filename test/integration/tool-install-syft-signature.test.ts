/**
 * syft versions outside the lock file: the checksums file's detached keyless
 * signature (.sig + .pem) is signed for real with @sigstore/sign against the
 * sigstore double (mock Fulcio + Rekor), its Rekor entry is served by the
 * rekor-index double, and the release double serves the files. One SCT is
 * required, as in production.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installToolWithReport, type InstallToolOptions } from '@slipway/supply-chain/tools';
import { parseToolsLock } from '@slipway/supply-chain/tools';
import { createReleaseHttp } from '@slipway/supply-chain/tools';
import { SignatureRefusedError, createSigstoreVerifier } from '@slipway/supply-chain/tools';
import { RekorUnavailableError, createRekorHttp } from '@slipway/supply-chain/tools';
import { UnsignedReleaseError } from '@slipway/supply-chain/tools';
import { DirectoryCache, actionsToolDirectoryCache } from '@slipway/supply-chain/tools';
import { releaseSigner } from '@slipway/supply-chain/tools';
import { buildRelease, lockFor, type BuiltRelease } from '../doubles/release-assets/release-assets.ts';
import {
  signDetached,
  signatureFiles,
  type DetachedSignature,
} from '../doubles/release-assets/detached-signature.ts';
import { startReleaseServer, type ReleaseServer } from '../doubles/release-assets/release-server.ts';
import { leafHash, startRekorIndex, type RekorIndex } from '../doubles/rekor-index/rekor-index.ts';
import { startSigstoreServices, type SigstoreServices } from '../doubles/sigstore/sigstore-services.ts';

const SUMS = 'syft_1.52.0_checksums.txt';
const ASSET = 'syft_1.52.0_linux_amd64.tar.gz';
const SYFT_IDENTITY = 'https://github.com/anchore/syft/.github/workflows/release.yaml@refs/heads/main';
const EVIDENCE =
  'The keyless signature (.sig + .pem, logged in Rekor) of syft_1.52.0_checksums.txt does not verify';

let sigstore: SigstoreServices;
let server: ReleaseServer;
let rekor: RekorIndex;
let release: BuiltRelease;
let scratch: string;
let logs: { info: string[]; warning: string[] };

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const served = (name: string) => release.files.find((f) => f.name === name)!.body;
const sumsDigest = () => sha(served(SUMS));

/** Signs as syft's release workflow (or what `claims` says instead). */
async function sign(claims: Parameters<SigstoreServices['setClaims']>[0] = {}, data = served(SUMS)) {
  sigstore.setClaims({
    repository: 'anchore/syft',
    workflowPath: '.github/workflows/release.yaml',
    ref: 'refs/heads/main',
    ...claims,
  });
  return signDetached(sigstore, data);
}

/** Publishes the signature on the release and (unless told not to) its entry in Rekor. */
function publish(signature: DetachedSignature, options: { log?: boolean; pem?: Buffer } = {}) {
  server.add(signatureFiles(release, { sig: signature.sig, pem: options.pem ?? signature.pem }));
  if (options.log !== false) rekor.register(signature.rekorEntry);
}

beforeAll(async () => {
  sigstore = await startSigstoreServices();
  rekor = await startRekorIndex();
  release = buildRelease('syft', '1.52.0');
  server = await startReleaseServer([release]);
});
afterAll(async () => {
  await server.close();
  await rekor.close();
  await sigstore.stop();
});
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'syft-sig-'));
  process.env.RUNNER_TOOL_CACHE = join(scratch, 'tool-cache');
  logs = { info: [], warning: [] };
  rekor.clear();
  server.resetCounters();
  for (const name of [SUMS, `${SUMS}.sig`, `${SUMS}.pem`]) server.fault(name, undefined);
});

const lock = () =>
  parseToolsLock(
    lockFor([
      buildRelease('trivy', '0.74.0'),
      buildRelease('syft', '1.51.0'),
      buildRelease('cosign', '3.1.3'),
    ]),
    'test lock',
  );

function options(overrides: Partial<InstallToolOptions> = {}): InstallToolOptions {
  return {
    tool: 'syft',
    version: '1.52.0',
    platform: 'linux',
    arch: 'x64',
    baseUrl: server.baseUrl('anchore', 'syft'),
    http: createReleaseHttp(),
    cache: new DirectoryCache(join(scratch, 'cache')),
    toolCache: actionsToolDirectoryCache,
    log: { info: (l) => logs.info.push(l), warning: (l) => logs.warning.push(l) },
    lock: lock(),
    workDir: join(scratch, 'work'),
    verifySignature: createSigstoreVerifier(async () => TrustedRoot.fromJSON(sigstore.trustedRoot())),
    rekor: { url: rekor.url, retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 } },
    ...overrides,
  };
}

const install = (overrides: Partial<InstallToolOptions> = {}) => installToolWithReport(options(overrides));
const refusal = (overrides: Partial<InstallToolOptions> = {}) =>
  install(overrides).then(
    () => {
      throw new Error('installed');
    },
    (error: unknown) => error as Error,
  );
const assetRequested = () => server.requests.some((p) => p.endsWith('.tar.gz'));

describe('unlocked syft: the checksums file’s .sig + .pem and its Rekor entry decide', () => {
  it('installs when syft’s release workflow signed the checksums file, and says who and which log entry', async () => {
    const signature = await sign();
    publish(signature);
    const result = await install();
    expect(result.verifiedBy).toBe('signature');
    expect(result.sha256).toBe(sha(served(ASSET)));
    expect(execFileSync(result.path, ['--version'], { encoding: 'utf8' })).toBe('Version: 1.52.0\n');
    const { logIndex, integratedTime } = signature.rekorEntry;
    expect(logs.info).toContain(
      `${SUMS} signed by ${SYFT_IDENTITY} (issuer https://token.actions.githubusercontent.com); ` +
        `Rekor log index ${logIndex} at ${rekor.url}, integrated ${new Date(integratedTime * 1000).toISOString()}.`,
    );
    expect(logs.info).toContain(
      `sha256 of ${ASSET} is ${sha(served(ASSET))}, as ${SUMS} (signed by ${SYFT_IDENTITY}, Rekor log index ${logIndex}) says.`,
    );
    expect(logs.warning).toEqual([]);
    expect(rekor.queries).toEqual([{ hash: `sha256:${sumsDigest()}` }]);
    expect(rekor.requests).toEqual([
      'POST /api/v1/index/retrieve',
      `GET /api/v1/log/entries/24296fb24b8ad77a${leafHash(signature.rekorEntry.body)}`,
    ]);
    const prefix = '/anchore/syft/releases/download/v1.52.0';
    expect(server.requests.filter((p) => !p.startsWith('/objects/'))).toEqual([
      `${prefix}/${SUMS}`,
      `${prefix}/${SUMS}.sig`,
      `${prefix}/${SUMS}.pem`,
      `${prefix}/${ASSET}`,
    ]);
    expect(result.bytesDownloaded).toBe(
      served(SUMS).length + signature.sig.length + signature.pem.length + served(ASSET).length,
    );
    expect(releaseSigner('syft', '1.52.0').identity).toBe(SYFT_IDENTITY);
  });

  it.each([
    ['PEM text', (s: DetachedSignature) => s.pem],
    ['base64 of the PEM text', (s: DetachedSignature) => s.pemBase64],
  ])('accepts the .pem as %s', async (_name, pem) => {
    const signature = await sign();
    publish(signature, { pem: pem(signature) });
    expect((await install()).verifiedBy).toBe('signature');
  });

  it('refuses a tampered checksums file: Rekor has no entry for its digest, and no asset is fetched', async () => {
    publish(await sign());
    server.fault(SUMS, { kind: 'tamper' });
    const tampered = Buffer.from(served(SUMS));
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 0xff;
    const error = await refusal();
    expect(error).toBeInstanceOf(SignatureRefusedError);
    expect(error.message).toBe(
      `${EVIDENCE}: Rekor at ${rekor.url} has no entry for sha256 ${sha(tampered)}, so nothing proves when the certificate was used. Nothing from it was run.`,
    );
    expect(assetRequested()).toBe(false);
    expect(actionsToolDirectoryCache.find('syft', '1.52.0', 'linux-x64')).toBe('');
  });

  it('refuses a tampered checksums file even when the index hands back the genuine entry', async () => {
    const signature = await sign();
    publish(signature, { log: false });
    const tampered = Buffer.from(
      served(SUMS)
        .toString()
        .replace(/^[0-9a-f]/, (c) => (c === '0' ? '1' : '0')),
    );
    server.fault(SUMS, { kind: 'replace', body: tampered });
    rekor.register(signature.rekorEntry, { indexAs: sha(tampered) });
    expect((await refusal()).message).toBe(
      `${EVIDENCE}: none of the 1 Rekor entries for sha256 ${sha(tampered)} at ${rekor.url} logs this signature and certificate. Nothing from it was run.`,
    );
    expect(assetRequested()).toBe(false);
  });

  it.each([
    ['another repository', { repository: 'anchore/grype' }],
    ['another workflow of syft', { workflowPath: '.github/workflows/validations.yaml' }],
    ['syft’s release workflow at a tag, not main', { ref: 'refs/tags/v1.52.0' }],
  ])('refuses a valid signature by %s', async (_name, claims) => {
    publish(await sign(claims));
    const error = await refusal();
    expect(error).toBeInstanceOf(SignatureRefusedError);
    expect(error.message).toBe(
      `${EVIDENCE}: certificate identity error - expected ${SYFT_IDENTITY}, got ${sigstore.identity}. Nothing from it was run.`,
    );
    expect(sigstore.identity).not.toBe(SYFT_IDENTITY);
    expect(assetRequested()).toBe(false);
  });

  it('refuses the right workflow identity vouched for by another OIDC issuer', async () => {
    publish(await sign({ issuer: 'https://oidc.example.com' }));
    expect(sigstore.identity).toBe(SYFT_IDENTITY);
    const error = await refusal();
    expect(error).toBeInstanceOf(SignatureRefusedError);
    expect(error.message).toBe(
      `${EVIDENCE}: invalid certificate extension - expected issuer=https://token.actions.githubusercontent.com, got issuer=https://oidc.example.com. Nothing from it was run.`,
    );
    expect(assetRequested()).toBe(false);
  });

  it('refuses when Rekor has no entry for the checksums file', async () => {
    publish(await sign(), { log: false });
    expect((await refusal()).message).toBe(
      `${EVIDENCE}: Rekor at ${rekor.url} has no entry for sha256 ${sumsDigest()}, so nothing proves when the certificate was used. Nothing from it was run.`,
    );
    expect(rekor.counts).toEqual({ index: 1, entry: 0 });
  });

  it('refuses when Rekor’s entries for the file log another signature, or the same signature with another certificate', async () => {
    const logged = await sign();
    const other = await sign();
    rekor.register(logged.rekorEntry);
    publish(other, { log: false });
    const message = `${EVIDENCE}: none of the 1 Rekor entries for sha256 ${sumsDigest()} at ${rekor.url} logs this signature and certificate. Nothing from it was run.`;
    expect((await refusal()).message).toBe(message);
    server.add(signatureFiles(release, { sig: logged.sig, pem: other.pem }));
    expect((await refusal()).message).toBe(message);
  });

  it.each([
    [
      'a second later: the signed entry timestamp no longer matches',
      1,
      'inclusion promise could not be verified',
    ],
    ['an hour earlier: the certificate was not yet valid then', -3600, 'Failed to verify certificate chain'],
  ])('refuses an entry whose integrated time was moved %s', async (_name, shift, reason) => {
    const signature = await sign();
    const forged = { ...signature.rekorEntry, integratedTime: signature.rekorEntry.integratedTime + shift };
    publish({ ...signature, rekorEntry: forged });
    const error = await refusal();
    expect(error).toBeInstanceOf(SignatureRefusedError);
    expect(error.message).toBe(`${EVIDENCE}: ${reason}. Nothing from it was run.`);
    expect(assetRequested()).toBe(false);
  });

  it('picks the entry that logs this signature among several for the same file', async () => {
    const others = [await sign(), await sign()];
    const ours = await sign();
    rekor.register(others[0]!.rekorEntry);
    publish(ours);
    rekor.register(others[1]!.rekorEntry);
    const result = await install();
    expect(result.verifiedBy).toBe('signature');
    expect(rekor.counts).toEqual({ index: 1, entry: 3 });
    expect(logs.info.some((l) => l.includes(`Rekor log index ${ours.rekorEntry.logIndex} at`))).toBe(true);
  });

  it('reads at most 16 entries for one digest, then refuses', async () => {
    const signature = await sign();
    publish(signature, { log: false });
    const decoy = (await sign()).rekorEntry;
    const text = Buffer.from(decoy.body, 'base64').toString('utf8');
    // 20 distinct entries for the same file (the same JSON with trailing spaces: other leaf hashes), then ours.
    for (let i = 1; i <= 20; i++)
      rekor.register({ ...decoy, body: Buffer.from(text + ' '.repeat(i)).toString('base64') });
    rekor.register(signature.rekorEntry);
    expect((await refusal()).message).toBe(
      `${EVIDENCE}: none of the 16 Rekor entries for sha256 ${sumsDigest()} at ${rekor.url} logs this signature and certificate. Nothing from it was run.`,
    );
    expect(rekor.counts).toEqual({ index: 1, entry: 16 });
  });

  it.each([
    ['.sig', 'is not a base64 signature', Buffer.from('-----BEGIN SIGNATURE-----')],
    ['.pem', 'holds no X.509 certificate (neither PEM nor base64 of PEM)', Buffer.from('hello')],
  ])('refuses a %s that %s, before asking Rekor', async (suffix, reason, body) => {
    publish(await sign());
    server.fault(`${SUMS}${suffix}`, { kind: 'replace', body });
    expect((await refusal()).message).toBe(
      `${EVIDENCE}: ${SUMS}${suffix} ${reason}. Nothing from it was run.`,
    );
    expect(rekor.counts).toEqual({ index: 0, entry: 0 });
  });

  it.each(['.sig', '.pem'])(
    'refuses a release without %s, naming the URL, before asking Rekor',
    async (suffix) => {
      publish(await sign());
      server.fault(`${SUMS}${suffix}`, { kind: 'missing' });
      const error = await refusal();
      expect(error).toBeInstanceOf(UnsignedReleaseError);
      expect(error.message).toBe(
        `${server.baseUrl('anchore', 'syft')}/v1.52.0/${SUMS}${suffix} was not found (HTTP 404): syft 1.52.0 publishes no signature for ${SUMS}, so nothing vouches for its checksums. Refusing to install a version outside tools.lock.json on an unsigned release.`,
      );
      expect(rekor.counts).toEqual({ index: 0, entry: 0 });
      expect(assetRequested()).toBe(false);
    },
  );

  it('retries Rekor answering 503 and dropping a connection, then installs', async () => {
    publish(await sign());
    rekor.fault({ kind: 'status', status: 503, times: 2, path: 'index' });
    const first = install({
      rekor: { url: rekor.url, retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 4 } },
    });
    expect((await first).verifiedBy).toBe('signature');
    expect(rekor.counts).toEqual({ index: 3, entry: 1 });
    expect(logs.info).toContain(
      `Rekor for entries of sha256:${sumsDigest()} failed (attempt 2): POST ${rekor.url}/api/v1/index/retrieve answered HTTP 503; retrying in ${
        /retrying in (\d+) ms/.exec(logs.info.filter((l) => l.includes('(attempt 2)'))[0]!)![1]
      } ms`,
    );

    rekor.clear();
    publish(await sign());
    rekor.fault({ kind: 'drop', times: 1, path: 'entry' });
    process.env.RUNNER_TOOL_CACHE = join(scratch, 'tool-cache-2');
    expect((await install({ workDir: join(scratch, 'work-2') })).verifiedBy).toBe('signature');
    expect(rekor.counts).toEqual({ index: 1, entry: 2 });
  });

  it('gives up on a Rekor that is down within the retry budget, with a clear error', async () => {
    publish(await sign());
    rekor.fault({ kind: 'drop', times: Infinity });
    const error = await refusal();
    expect(error).toBeInstanceOf(RekorUnavailableError);
    expect(error.message).toMatch(
      new RegExp(
        `^Rekor at ${rekor.url} could not be asked for entries of sha256:${sumsDigest()}: (socket hang up \\(ECONNRESET\\)|read ECONNRESET)\\.$`,
      ),
    );
    expect(rekor.counts.index).toBe(3);

    const closed = await startRekorIndex();
    await closed.close();
    const refused = await refusal({
      rekor: { url: closed.url, retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 2 } },
    });
    expect(refused.message).toMatch(
      new RegExp(
        `^Rekor at ${closed.url} could not be asked for entries of sha256:${sumsDigest()}: connect ECONNREFUSED`,
      ),
    );
    expect(assetRequested()).toBe(false);
  });

  it('ends a Rekor that accepts the connection and never answers at the socket timeout, retried once', async () => {
    publish(await sign());
    rekor.fault({ kind: 'hang', times: Infinity });
    const http = createRekorHttp(300);
    const error = await refusal({
      rekor: { url: rekor.url, http, retry: { maxAttempts: 2, baseDelayMs: 5 } },
    });
    expect(error).toBeInstanceOf(RekorUnavailableError);
    expect(error.message).toBe(
      `Rekor at ${rekor.url} could not be asked for entries of sha256:${sumsDigest()}: no response within 300 ms from ${rekor.url}/api/v1/index/retrieve.`,
    );
    expect(rekor.counts.index).toBe(2);
    expect(assetRequested()).toBe(false);
  });

  it('looks Rekor up at the trusted root’s transparency log when no URL is given', async () => {
    publish(await sign());
    // The sigstore double is the trusted root's tlog; it serves only POST /api/v1/log/entries.
    const error = await refusal({ rekor: { retry: { maxAttempts: 1 } } });
    expect(error.message).toBe(
      `Rekor at ${sigstore.url} could not be asked for entries of sha256:${sumsDigest()}: POST ${sigstore.url}/api/v1/index/retrieve answered HTTP 404.`,
    );
  });

  it('with allow-unverified-tool: installs on the checksums file alone, warns, and asks no one', async () => {
    const result = await install({ allowUnverified: true });
    expect(result.verifiedBy).toBe('checksums-file-only');
    expect(result.sha256).toBe(sha(served(ASSET)));
    expect(logs.warning).toEqual([
      'syft 1.52.0 is installed WITHOUT signature verification (allow-unverified-tool is set). A checksum from the same release proves nothing if the release itself was replaced (CVE-2026-33634).',
    ]);
    expect(server.requests.some((p) => p.endsWith('.sig') || p.endsWith('.pem'))).toBe(false);
    expect(rekor.requests).toEqual([]);
  });
});
