/**
 * `npm run tools:refresh`: the lock is rebuilt from the releases' checksums
 * files served by the release double, after the checksums file's signature
 * (made with the @sigstore/mock double) verifies for the release identity:
 * trivy's Sigstore bundle, syft's detached .sig + .pem with its Rekor entry
 * (served by the rekor-index double), and cosign's bundle signed by its release
 * identity, a Google service account (an email SAN issued by the sigstore double).
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { bundleToJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { FulcioSigner, MessageSignatureBundleBuilder, RekorWitness } from '@sigstore/sign';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  committedToolsLock,
  createReleaseHttp,
  createSigstoreVerifier,
  type RefreshOptions,
  refreshToolsLock,
  releaseBaseUrl,
} from '@slipway/supply-chain/tools';
import { startGitHubDouble } from '../doubles/github/index.ts';
import { buildRelease, type BuiltRelease } from '../doubles/release-assets/release-assets.ts';
import { startReleaseServer, type ReleaseServer } from '../doubles/release-assets/release-server.ts';
import { signDetached, signatureFiles } from '../doubles/release-assets/detached-signature.ts';
import { startRekorIndex, type RekorIndex } from '../doubles/rekor-index/rekor-index.ts';
import { startSigstoreServices, type SigstoreServices } from '../doubles/sigstore/sigstore-services.ts';
import { node24Path } from '../harness/node-versions.ts';

let sigstore: SigstoreServices;
let server: ReleaseServer;
let rekor: RekorIndex;
let releases: Record<'trivy' | 'syft' | 'cosign', BuiltRelease>;
const TRIVY_SUMS_BUNDLE =
  '/aquasecurity/trivy/releases/download/v0.75.0/trivy_0.75.0_checksums.txt.sigstore.json';
const COSIGN_SUMS_BUNDLE = '/sigstore/cosign/releases/download/v3.2.0/cosign_checksums.txt.sigstore.json';

async function signTrivyChecksums(ref: string) {
  sigstore.setClaims({
    repository: 'aquasecurity/trivy',
    ref,
    workflowPath: '.github/workflows/reusable-release.yaml',
  });
  await signChecksumsBundle(releases.trivy, 'trivy_0.75.0_checksums.txt', TRIVY_SUMS_BUNDLE);
}

/** cosign's releases are signed by a Google service account (keyless@projectsigstore…), not a workflow. */
async function signCosignChecksums(subject = 'keyless@projectsigstore.iam.gserviceaccount.com') {
  sigstore.setClaims({ subject, issuer: 'https://accounts.google.com' });
  await signChecksumsBundle(releases.cosign, 'cosign_checksums.txt', COSIGN_SUMS_BUNDLE);
}

/** A message-signature bundle over a checksums file, served next to it as `<name>.sigstore.json`. */
async function signChecksumsBundle(release: BuiltRelease, name: string, bundlePath: string) {
  const response = await fetch(`${sigstore.oidcEnv.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=sigstore`, {
    headers: { authorization: `Bearer ${sigstore.oidcEnv.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
  });
  const token = ((await response.json()) as { value: string }).value;
  const builder = new MessageSignatureBundleBuilder({
    signer: new FulcioSigner({
      fulcioBaseURL: sigstore.fulcioUrl,
      identityProvider: { getToken: async () => token },
    }),
    witnesses: [new RekorWitness({ rekorBaseURL: sigstore.rekorUrl, entryType: 'intoto' })],
  });
  const sums = release.files.find((f) => f.name === name)!.body;
  const bundle = bundleToJSON(await builder.create({ data: sums }));
  server.add([
    { path: bundlePath, name: `${name}.sigstore.json`, body: Buffer.from(JSON.stringify(bundle)) },
  ]);
}

/** Signs syft's checksums file the way syft's release does (.sig + .pem, logged in Rekor). */
async function signSyftChecksums(workflowPath = '.github/workflows/release.yaml') {
  sigstore.setClaims({ repository: 'anchore/syft', ref: 'refs/heads/main', workflowPath });
  const sums = releases.syft.files.find((f) => f.name === 'syft_1.52.0_checksums.txt')!.body;
  const signature = await signDetached(sigstore, sums);
  server.add(signatureFiles(releases.syft, signature));
  rekor.clear();
  rekor.register(signature.rekorEntry);
  return signature;
}

beforeAll(async () => {
  sigstore = await startSigstoreServices();
  rekor = await startRekorIndex();
  releases = {
    trivy: buildRelease('trivy', '0.75.0'),
    syft: buildRelease('syft', '1.52.0'),
    cosign: buildRelease('cosign', '3.2.0'),
  };
  server = await startReleaseServer(Object.values(releases));
});
afterAll(async () => {
  await server.close();
  await rekor.close();
  await sigstore.stop();
});

const logs: string[] = [];
const options = (overrides: Partial<RefreshOptions> = {}): RefreshOptions => ({
  http: createReleaseHttp(),
  versions: { trivy: '0.75.0', syft: '1.52.0', cosign: 'v3.2.0' },
  baseUrl: (tool) => releaseBaseUrl(tool, server.url),
  verifySignature: createSigstoreVerifier(async () => TrustedRoot.fromJSON(sigstore.trustedRoot())),
  previous: committedToolsLock(),
  acceptUnsigned: ['cosign'],
  rekor: { url: rekor.url, retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 2 } },
  log: (line) => logs.push(line),
  ...overrides,
});

describe('refreshToolsLock against the release double', () => {
  it('locks every platform from the verified checksums files and keeps the previously locked versions', async () => {
    await signTrivyChecksums('refs/tags/v0.75.0');
    const syftSignature = await signSyftChecksums();
    logs.length = 0;
    const lock = await refreshToolsLock(options());
    const sha = (r: BuiltRelease, name: string) =>
      createHash('sha256')
        .update(r.files.find((f) => f.name === name)!.body)
        .digest('hex');
    expect(lock.tools.trivy.version).toBe('0.75.0');
    expect(lock.tools.trivy.versions['0.75.0']).toEqual({
      'linux-x64': {
        asset: 'trivy_0.75.0_Linux-64bit.tar.gz',
        sha256: sha(releases.trivy, 'trivy_0.75.0_Linux-64bit.tar.gz'),
      },
      'linux-arm64': {
        asset: 'trivy_0.75.0_Linux-ARM64.tar.gz',
        sha256: sha(releases.trivy, 'trivy_0.75.0_Linux-ARM64.tar.gz'),
      },
      'macos-x64': {
        asset: 'trivy_0.75.0_macOS-64bit.tar.gz',
        sha256: sha(releases.trivy, 'trivy_0.75.0_macOS-64bit.tar.gz'),
      },
      'macos-arm64': {
        asset: 'trivy_0.75.0_macOS-ARM64.tar.gz',
        sha256: sha(releases.trivy, 'trivy_0.75.0_macOS-ARM64.tar.gz'),
      },
      'windows-x64': {
        asset: 'trivy_0.75.0_windows-64bit.zip',
        sha256: sha(releases.trivy, 'trivy_0.75.0_windows-64bit.zip'),
      },
    });
    expect(lock.tools.cosign.versions['3.2.0']!['windows-x64']).toEqual({
      asset: 'cosign-windows-amd64.exe',
      sha256: sha(releases.cosign, 'cosign-windows-amd64.exe'),
    });
    // previously locked, unchanged
    expect(lock.tools.trivy.versions['0.74.0']).toEqual(committedToolsLock().tools.trivy.versions['0.74.0']);
    expect(Object.keys(lock.tools.syft.versions)).toEqual(['1.51.0', '1.50.0', '1.42.4', '1.42.3', '1.52.0']);
    expect(logs).toContain(
      'trivy 0.75.0: trivy_0.75.0_checksums.txt signature verified (https://github.com/aquasecurity/trivy/.github/workflows/reusable-release.yaml@refs/tags/v0.75.0).',
    );
    const syftEntry = syftSignature.rekorEntry;
    expect(logs).toContain(
      'syft 1.52.0: syft_1.52.0_checksums.txt signed by https://github.com/anchore/syft/.github/workflows/release.yaml@refs/heads/main ' +
        `(issuer https://token.actions.githubusercontent.com); Rekor log index ${syftEntry.logIndex} at ${rekor.url}, ` +
        `integrated ${new Date(syftEntry.integratedTime * 1000).toISOString()}.`,
    );
    expect(lock.tools.syft.versions['1.52.0']!['linux-arm64']).toEqual({
      asset: 'syft_1.52.0_linux_arm64.tar.gz',
      sha256: sha(releases.syft, 'syft_1.52.0_linux_arm64.tar.gz'),
    });
    expect(logs.filter((l) => l.startsWith('WARNING'))).toEqual([
      `WARNING: cosign 3.2.0: no Sigstore bundle for cosign_checksums.txt (${server.url}/sigstore/cosign/releases/download/v3.2.0/cosign_checksums.txt.sigstore.json); taking its checksums unverified as asked.`,
    ]);
  });

  it("locks cosign only when its checksums file is signed by cosign's Google service account", async () => {
    await signTrivyChecksums('refs/tags/v0.75.0');
    await signSyftChecksums();
    await signCosignChecksums();
    logs.length = 0;
    const lock = await refreshToolsLock(options({ acceptUnsigned: [] }));
    expect(lock.tools.cosign.versions['3.2.0']!['linux-x64']).toEqual({
      asset: 'cosign-linux-amd64',
      sha256: createHash('sha256')
        .update(releases.cosign.files.find((f) => f.name === 'cosign-linux-amd64')!.body)
        .digest('hex'),
    });
    expect(logs).toContain(
      'cosign 3.2.0: cosign_checksums.txt signature verified (keyless@projectsigstore.iam.gserviceaccount.com).',
    );
    expect(logs.filter((l) => l.startsWith('WARNING'))).toEqual([]);

    await signCosignChecksums('someone@example.com');
    await expect(refreshToolsLock(options({ acceptUnsigned: ['cosign'] }))).rejects.toThrow(
      /^The Sigstore bundle of cosign_checksums\.txt does not verify: certificate identity error - expected keyless@projectsigstore\.iam\.gserviceaccount\.com, got someone@example\.com/,
    );
    // later tests expect cosign's release without a bundle again
    server.fault('cosign_checksums.txt.sigstore.json', { kind: 'missing' });
  });

  it('refuses syft checksums signed by another workflow, even with syft accepted unsigned', async () => {
    await signTrivyChecksums('refs/tags/v0.75.0');
    await signSyftChecksums('.github/workflows/validations.yaml');
    await expect(refreshToolsLock(options({ acceptUnsigned: ['syft', 'cosign'] }))).rejects.toThrow(
      'The keyless signature (.sig + .pem, logged in Rekor) of syft_1.52.0_checksums.txt does not verify: certificate identity error - expected ' +
        'https://github.com/anchore/syft/.github/workflows/release.yaml@refs/heads/main, got ' +
        'https://github.com/anchore/syft/.github/workflows/validations.yaml@refs/heads/main. Nothing from it was run.',
    );
  });

  it('takes an unsigned syft release only when syft is accepted unsigned, with a warning', async () => {
    await signTrivyChecksums('refs/tags/v0.75.0');
    server.fault('syft_1.52.0_checksums.txt.sig', { kind: 'missing' });
    logs.length = 0;
    try {
      const lock = await refreshToolsLock(options({ acceptUnsigned: ['syft', 'cosign'] }));
      expect(Object.keys(lock.tools.syft.versions)).toContain('1.52.0');
      expect(logs).toContain(
        `WARNING: syft 1.52.0: no signature for syft_1.52.0_checksums.txt (${server.url}/anchore/syft/releases/download/v1.52.0/syft_1.52.0_checksums.txt.sig); taking its checksums unverified as asked.`,
      );
      await expect(refreshToolsLock(options())).rejects.toThrow(
        `${server.url}/anchore/syft/releases/download/v1.52.0/syft_1.52.0_checksums.txt.sig was not found (HTTP 404): syft 1.52.0 publishes no signature for syft_1.52.0_checksums.txt`,
      );
    } finally {
      server.fault('syft_1.52.0_checksums.txt.sig', undefined);
    }
  });

  it('refuses a checksums file signed from another ref', async () => {
    await signTrivyChecksums('refs/heads/main');
    await expect(refreshToolsLock(options())).rejects.toThrow(
      /^The Sigstore bundle of trivy_0\.75\.0_checksums\.txt does not verify: certificate identity error/,
    );
  });

  it('refuses a release whose checksums file has no bundle unless that tool is accepted unsigned', async () => {
    await signTrivyChecksums('refs/tags/v0.75.0');
    await signSyftChecksums();
    await expect(refreshToolsLock(options({ acceptUnsigned: [] }))).rejects.toThrow(
      /^cosign 3\.2\.0: cannot fetch the Sigstore bundle of cosign_checksums\.txt/,
    );
  });

  it('never locks trivy 0.69.4', async () => {
    await expect(
      refreshToolsLock(options({ versions: { trivy: '0.69.4', syft: '1.52.0', cosign: '3.2.0' } })),
    ).rejects.toThrow('trivy 0.69.4 is a known-malicious release; it is never locked.');
  });
});

describe('npm run tools:refresh', () => {
  it('runs the TypeScript under Node 24 and leaves the lock alone when it refuses', () => {
    const root = resolve(import.meta.dirname, '../..');
    const lockPath = join(root, 'packages/supply-chain/tools.lock.json');
    const before = readFileSync(lockPath, 'utf8');
    let stderr = '';
    try {
      execFileSync(
        node24Path(),
        ['scripts/tools-refresh.js', '--trivy', '0.69.4', '--syft', '1.51.0', '--cosign', '3.1.3'],
        {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
          encoding: 'utf8',
        },
      );
    } catch (error) {
      stderr = (error as { stderr: string }).stderr;
    }
    expect(stderr).toContain(
      'tools:refresh failed: trivy 0.69.4 is a known-malicious release; it is never locked.',
    );
    expect(readFileSync(lockPath, 'utf8')).toBe(before);
  }, 120_000);

  it("takes a version left out from the tool's latest GitHub release (GITHUB_API_URL, GITHUB_TOKEN)", async () => {
    const gh = await startGitHubDouble();
    try {
      const token = 'ghs_toolsrefreshlatest000000000000000000';
      gh.tokens.set(token, { permissions: { contents: 'read', metadata: 'read' } });
      const trivy = await gh.repos.create('aquasecurity/trivy');
      await trivy.tag('v0.69.4', await trivy.commit({ files: { 'README.md': 'trivy\n' } }));
      trivy.release('v0.69.4');
      const root = resolve(import.meta.dirname, '../..');
      const lockPath = join(root, 'packages/supply-chain/tools.lock.json');
      const before = readFileSync(lockPath, 'utf8');
      // the double answers from this process, so the script runs asynchronously
      const failure = await promisify(execFile)(
        node24Path(),
        ['scripts/tools-refresh.js', '--syft', '1.51.0', '--cosign', '3.1.3'],
        { cwd: root, env: { ...process.env, GITHUB_API_URL: gh.url, GITHUB_TOKEN: token } },
      ).then(
        () => undefined,
        (error: { stderr: string; code: number }) => error,
      );
      // the latest release was read through the API (with the token) and then refused by name
      expect(failure?.stderr).toContain('tools:refresh failed: trivy 0.69.4 is a known-malicious release');
      expect(failure?.code).toBe(1);
      expect(gh.requests.count('GET /repos/{owner}/{repo}/releases/latest')).toBe(1);
      expect(readFileSync(lockPath, 'utf8')).toBe(before);
    } finally {
      await gh.close();
    }
  }, 120_000);
});
