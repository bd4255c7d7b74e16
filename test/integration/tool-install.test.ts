import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '@slipway/core';
import {
  actionsToolDirectoryCache,
  ChecksumMismatchError,
  committedToolsLock,
  createReleaseHttp,
  DirectoryCache,
  downloadToFile,
  DownloadTooLargeError,
  type InstallToolOptions,
  installToolWithReport,
  MAX_DOCUMENT_BYTES,
  parseToolsLock,
  type ToolArch,
  type ToolName,
  type ToolPlatform,
  type ToolsLock,
} from '@slipway/supply-chain/tools';
import {
  buildRelease,
  lockFor,
  standInProgram,
  type BuiltRelease,
} from '../doubles/release-assets/release-assets.ts';
import { startReleaseServer, type ReleaseServer } from '../doubles/release-assets/release-server.ts';

const REPOS: Record<ToolName, [string, string]> = {
  trivy: ['aquasecurity', 'trivy'],
  syft: ['anchore', 'syft'],
  cosign: ['sigstore', 'cosign'],
};

let server: ReleaseServer;
let releases: Record<string, BuiltRelease>;
let lock: ToolsLock;
let scratch: string;
let logs: { info: string[]; warning: string[] };

beforeAll(async () => {
  releases = {
    trivy: buildRelease('trivy', '0.74.0'),
    syft: buildRelease('syft', '1.51.0'),
    cosign: buildRelease('cosign', 'v3.1.3'),
    trivyUnlocked: buildRelease('trivy', '0.75.0'),
    syftUnlocked: buildRelease('syft', '1.52.0'),
  };
  lock = parseToolsLock(lockFor([releases.trivy!, releases.syft!, releases.cosign!]), 'test lock');
  server = await startReleaseServer(Object.values(releases));
});
afterAll(() => server.close());

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tool-install-'));
  process.env.RUNNER_TOOL_CACHE = join(scratch, 'tool-cache');
  process.env.RUNNER_TEMP = join(scratch, 'temp');
  logs = { info: [], warning: [] };
  server.resetCounters();
  for (const release of Object.values(releases))
    for (const f of release.files) server.fault(f.name, undefined);
});

function options(overrides: Partial<InstallToolOptions> & { tool: ToolName }): InstallToolOptions {
  const [owner, repo] = REPOS[overrides.tool];
  return {
    platform: 'linux',
    arch: 'x64',
    baseUrl: server.baseUrl(owner, repo),
    http: createReleaseHttp(),
    cache: new DirectoryCache(join(scratch, 'actions-cache')),
    toolCache: actionsToolDirectoryCache,
    log: { info: (l) => logs.info.push(l), warning: (l) => logs.warning.push(l) },
    lock,
    workDir: join(scratch, 'work'),
    ...overrides,
  };
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const served = (release: BuiltRelease, name: string) => release.files.find((f) => f.name === name)!.body;

describe('installTool from the release double', () => {
  it.each([
    ['trivy', 'linux', 'x64', 'trivy_0.74.0_Linux-64bit.tar.gz', 'trivy'],
    ['trivy', 'linux', 'arm64', 'trivy_0.74.0_Linux-ARM64.tar.gz', 'trivy'],
    ['trivy', 'macos', 'x64', 'trivy_0.74.0_macOS-64bit.tar.gz', 'trivy'],
    ['trivy', 'macos', 'arm64', 'trivy_0.74.0_macOS-ARM64.tar.gz', 'trivy'],
    ['trivy', 'windows', 'x64', 'trivy_0.74.0_windows-64bit.zip', 'trivy.exe'],
    ['syft', 'linux', 'x64', 'syft_1.51.0_linux_amd64.tar.gz', 'syft'],
    ['syft', 'linux', 'arm64', 'syft_1.51.0_linux_arm64.tar.gz', 'syft'],
    ['syft', 'macos', 'arm64', 'syft_1.51.0_darwin_arm64.tar.gz', 'syft'],
    ['syft', 'windows', 'x64', 'syft_1.51.0_windows_amd64.zip', 'syft.exe'],
    ['cosign', 'linux', 'x64', 'cosign-linux-amd64', 'cosign'],
    ['cosign', 'macos', 'arm64', 'cosign-darwin-arm64', 'cosign'],
    ['cosign', 'windows', 'x64', 'cosign-windows-amd64.exe', 'cosign.exe'],
  ] as const)(
    '%s %s/%s: fetches %s, verifies it against the lock and installs %s',
    async (tool, platform, arch, asset, exe) => {
      const release = releases[tool]!;
      const result = await installToolWithReport(
        options({ tool, platform: platform as ToolPlatform, arch: arch as ToolArch }),
      );
      expect(result.asset).toBe(asset);
      expect(result.source).toBe('download');
      expect(result.verifiedBy).toBe('lock-file');
      expect(result.sha256).toBe(sha256(served(release, asset)));
      expect(result.bytesDownloaded).toBe(served(release, asset).length);
      expect(result.path).toBe(
        join(process.env.RUNNER_TOOL_CACHE!, tool, release.version, `${platform}-${arch}`, exe),
      );
      expect(readFileSync(result.path, 'utf8')).toBe(standInProgram(tool, release.version));
      const [owner, repo] = REPOS[tool];
      const path = `/${owner}/${repo}/releases/download/v${release.version}/${asset}`;
      expect(server.requests).toEqual([path, `/objects${path}`]);
      expect(logs.warning).toEqual([]);
    },
  );

  it('installs an executable that runs (linux x64 trivy prints its version)', async () => {
    const { path } = await installToolWithReport(options({ tool: 'trivy' }));
    expect(execFileSync(path, ['--version'], { encoding: 'utf8' })).toBe('Version: 0.74.0\n');
  });

  it('refuses a tampered asset, naming the locked and the actual digest, and keeps nothing', async () => {
    const asset = 'trivy_0.74.0_Linux-64bit.tar.gz';
    server.fault(asset, { kind: 'tamper' });
    const tampered = Buffer.from(served(releases.trivy!, asset));
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 0xff;
    const error = await installToolWithReport(options({ tool: 'trivy' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect((error as Error).message).toBe(
      `sha256 mismatch for ${asset}: expected ${sha256(served(releases.trivy!, asset))} (from tools.lock.json), ` +
        `got ${sha256(tampered)}. The file was deleted and nothing from it was run.`,
    );
    expect(readdirSync(join(scratch, 'work', 'trivy-0.74.0-linux-x64'))).toEqual([]);
    expect(existsSync(process.env.RUNNER_TOOL_CACHE!)).toBe(false);
    expect(existsSync(join(scratch, 'actions-cache'))).toBe(false);
  });

  it('refuses an asset of the wrong size (a shorter file served whole)', async () => {
    const asset = 'syft_1.51.0_linux_amd64.tar.gz';
    server.fault(asset, { kind: 'truncate', bytes: 100 });
    const error = (await installToolWithReport(options({ tool: 'syft' })).catch(
      (e: unknown) => e,
    )) as ChecksumMismatchError;
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect(error.expected).toBe(sha256(served(releases.syft!, asset)));
    expect(error.actual).toBe(sha256(served(releases.syft!, asset).subarray(0, 100)));
  });

  it('with the committed lock, refuses assets whose own checksums file vouches for them (CVE-2026-33634)', async () => {
    const committed = committedToolsLock();
    const error = (await installToolWithReport(options({ tool: 'trivy', lock: committed })).catch(
      (e: unknown) => e,
    )) as ChecksumMismatchError;
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect(error.expected).toBe(committed.tools.trivy.versions['0.74.0']!['linux-x64']!.sha256);
    expect(error.expected).toBe('2ae6fe3ee734' + error.expected.slice(12));
    expect(error.actual).toBe(sha256(served(releases.trivy!, 'trivy_0.74.0_Linux-64bit.tar.gz')));
    // The served checksums file agrees with the served asset; the lock still wins, and it is never fetched.
    expect(server.requests.some((p) => p.endsWith('checksums.txt'))).toBe(false);
  });

  it('never installs trivy 0.69.4, and asks the server nothing', async () => {
    await expect(installToolWithReport(options({ tool: 'trivy', version: 'v0.69.4' }))).rejects.toThrow(
      'trivy 0.69.4 is a known-malicious release and is never installed. Choose another version.',
    );
    expect(server.requests).toEqual([]);
  });

  it('retries a 503 from the release server and then installs', async () => {
    server.fault('cosign-linux-amd64', { kind: 'status', status: 503, times: 1 });
    const result = await installToolWithReport(options({ tool: 'cosign' }));
    expect(result.source).toBe('download');
    const path = '/sigstore/cosign/releases/download/v3.1.3/cosign-linux-amd64';
    expect(server.requests).toEqual([path, path, `/objects${path}`]);
  });
});

describe('transport failures', () => {
  it('retries a download cut off before its Content-Length, and the retry installs', async () => {
    const asset = 'syft_1.51.0_linux_arm64.tar.gz';
    server.fault(asset, { kind: 'cut', bytes: 64, times: 1 });
    const result = await installToolWithReport(options({ tool: 'syft', arch: 'arm64' }));
    expect(result.sha256).toBe(sha256(served(releases.syft!, asset)));
    expect(result.bytesDownloaded).toBe(served(releases.syft!, asset).length);
    expect(server.bytesSent.get(asset)).toBe(64 + served(releases.syft!, asset).length);
    expect(
      logs.info.some((l) =>
        l.startsWith(`Download of ${server.baseUrl('anchore', 'syft')}/v1.51.0/${asset} failed (attempt 1)`),
      ),
    ).toBe(true);
  });

  it('a release server that keeps failing is a user error naming the URL and what to do, after the retries', async () => {
    server.fault('cosign-linux-amd64', { kind: 'status', status: 502, times: 99 });
    const url = `${server.baseUrl('sigstore', 'cosign')}/v3.1.3/cosign-linux-amd64`;
    const error = (await installToolWithReport(options({ tool: 'cosign' })).catch(
      (e: unknown) => e,
    )) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(`Downloading ${url} failed after retries: GET ${url} answered HTTP 502`);
    expect(error.hint).toBe(
      `Check that the runner reaches ${new URL(url).host} (HTTPS_PROXY / NO_PROXY), point releases-url or SLIPWAY_RELEASES_URL at a mirror, or re-run the job if the server had an outage.`,
    );
    expect(server.requests).toHaveLength(4);
  });

  it('a download cut off on every attempt, and a refused connection, are user errors too', async () => {
    server.fault('syft_1.51.0_linux_amd64.tar.gz', { kind: 'cut', bytes: 10, times: 99 });
    await expect(installToolWithReport(options({ tool: 'syft' }))).rejects.toThrow(
      expect.objectContaining({
        name: 'ReleaseDownloadError',
        message: expect.stringMatching(/syft_1\.51\.0_linux_amd64\.tar\.gz failed after retries: /),
      }),
    );
    const closed = 'http://127.0.0.1:1/sigstore/cosign/releases/download';
    await expect(installToolWithReport(options({ tool: 'cosign', baseUrl: closed }))).rejects.toThrow(
      expect.objectContaining({
        name: 'ReleaseDownloadError',
        message: expect.stringContaining(
          `Downloading ${closed}/v3.1.3/cosign-linux-amd64 failed after retries: `,
        ),
      }),
    );
  });

  it('a checksums file larger than any real one is refused after one request, not read into memory', async () => {
    server.fault('trivy_0.75.0_checksums.txt', {
      kind: 'replace',
      body: Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 0x61),
    });
    const url = `${server.baseUrl('aquasecurity', 'trivy')}/v0.75.0/trivy_0.75.0_checksums.txt`;
    await expect(
      installToolWithReport(options({ tool: 'trivy', version: '0.75.0', allowUnverified: true })),
    ).rejects.toThrow(
      `${url} is larger than ${MAX_DOCUMENT_BYTES} bytes, more than any release file of this kind; refusing it.`,
    );
    expect(server.requests.filter((p) => p.endsWith('trivy_0.75.0_checksums.txt'))).toHaveLength(2); // redirect + object
  });

  it('an asset larger than the bound is refused and nothing is left on disk', async () => {
    const url = `${server.baseUrl('sigstore', 'cosign')}/v3.1.3/cosign-linux-amd64`;
    const dest = join(scratch, 'cosign');
    await expect(downloadToFile(createReleaseHttp(), url, dest, { maxBytes: 100 })).rejects.toThrow(
      DownloadTooLargeError,
    );
    expect(existsSync(dest)).toBe(false);
    expect(server.requests).toHaveLength(2);
  });

  it('a missing asset is a 404 user error, not retried', async () => {
    server.fault('cosign-darwin-amd64', { kind: 'missing' });
    await expect(installToolWithReport(options({ tool: 'cosign', platform: 'macos' }))).rejects.toThrow(
      `${server.baseUrl('sigstore', 'cosign')}/v3.1.3/cosign-darwin-amd64 was not found (HTTP 404).`,
    );
    expect(server.requests).toEqual(['/sigstore/cosign/releases/download/v3.1.3/cosign-darwin-amd64']);
  });
});

describe('versions outside the lock file', () => {
  it('with allow-unverified: uses the release checksums file, says so, and warns', async () => {
    const result = await installToolWithReport(
      options({ tool: 'trivy', version: '0.75.0', allowUnverified: true }),
    );
    expect(result.verifiedBy).toBe('checksums-file-only');
    const checksumsUrl = `${server.baseUrl('aquasecurity', 'trivy')}/v0.75.0/trivy_0.75.0_checksums.txt`;
    expect(logs.info).toContain(
      `trivy 0.75.0 is not in tools.lock.json: its sha256 comes from the release's own checksums file ${checksumsUrl}.`,
    );
    expect(logs.warning).toHaveLength(1);
    expect(logs.warning[0]).toMatch(/^trivy 0\.75\.0 is installed WITHOUT signature verification/);
  });

  it('refuses an asset missing from the checksums file before downloading it', async () => {
    const release = releases.trivyUnlocked!;
    const checksums = release.files.find((f) => f.name === 'trivy_0.75.0_checksums.txt')!;
    const without = checksums.body
      .toString()
      .split('\n')
      .filter((l) => !l.endsWith('trivy_0.75.0_Linux-64bit.tar.gz'))
      .join('\n');
    server.fault(checksums.name, { kind: 'replace', body: Buffer.from(without) });
    await expect(
      installToolWithReport(options({ tool: 'trivy', version: '0.75.0', allowUnverified: true })),
    ).rejects.toThrow(
      'trivy_0.75.0_checksums.txt of trivy 0.75.0 has no entry for trivy_0.75.0_Linux-64bit.tar.gz; refusing to install an asset nothing vouches for.',
    );
    expect(server.requests.some((p) => p.endsWith('.tar.gz'))).toBe(false);
  });

  it('without the opt-out, requires the Sigstore bundle: none published means refusal and nothing installed', async () => {
    await expect(installToolWithReport(options({ tool: 'trivy', version: '0.75.0' }))).rejects.toThrow(
      /trivy_0\.75\.0_Linux-64bit\.tar\.gz\.sigstore\.json was not found \(HTTP 404\)/,
    );
    expect(existsSync(process.env.RUNNER_TOOL_CACHE!)).toBe(false);
  });

  it('refuses an unlocked syft release that publishes no checksums signature, before fetching the asset', async () => {
    const sig = `${server.baseUrl('anchore', 'syft')}/v1.52.0/syft_1.52.0_checksums.txt.sig`;
    await expect(installToolWithReport(options({ tool: 'syft', version: '1.52.0' }))).rejects.toThrow(
      `${sig} was not found (HTTP 404): syft 1.52.0 publishes no signature for syft_1.52.0_checksums.txt, so nothing vouches for its checksums. Refusing to install a version outside tools.lock.json on an unsigned release.`,
    );
    expect(server.requests).toEqual([
      '/anchore/syft/releases/download/v1.52.0/syft_1.52.0_checksums.txt',
      '/objects/anchore/syft/releases/download/v1.52.0/syft_1.52.0_checksums.txt',
      '/anchore/syft/releases/download/v1.52.0/syft_1.52.0_checksums.txt.sig',
    ]);
  });
});

describe('caching', () => {
  it('a second run on a warm cross-run cache downloads zero bytes', async () => {
    const cold = await installToolWithReport(options({ tool: 'trivy' }));
    expect(cold.source).toBe('download');
    expect(server.totalBytes()).toBe(served(releases.trivy!, 'trivy_0.74.0_Linux-64bit.tar.gz').length);

    // A new job: empty runner tool cache and work dir, same cross-run cache.
    process.env.RUNNER_TOOL_CACHE = join(scratch, 'tool-cache-2');
    server.resetCounters();
    const warm = await installToolWithReport(options({ tool: 'trivy', workDir: join(scratch, 'work') }));
    expect(warm.source).toBe('actions-cache');
    expect(warm.bytesDownloaded).toBe(0);
    expect(server.totalBytes()).toBe(0);
    expect(server.requests).toEqual([]);
    expect(execFileSync(warm.path, ['--version'], { encoding: 'utf8' })).toBe('Version: 0.74.0\n');
  });

  it('the same job finds the tool in the runner tool cache without touching either cache', async () => {
    await installToolWithReport(options({ tool: 'cosign' }));
    server.resetCounters();
    const again = await installToolWithReport(options({ tool: 'cosign' }));
    expect(again.source).toBe('tool-cache');
    expect(server.requests).toEqual([]);
  });

  it('a tampered executable in the runner tool cache is not run: the next install warns and installs again', async () => {
    const first = await installToolWithReport(options({ tool: 'trivy' }));
    expect(first.source).toBe('download');
    const original = readFileSync(first.path);
    writeFileSync(first.path, '#!/bin/sh\necho tampered\n');
    server.resetCounters();
    const second = await installToolWithReport(options({ tool: 'trivy' }));
    // the verified archive comes back from the cross-run cache; nothing of the tampered file is kept
    expect(second.source).toBe('actions-cache');
    expect(second.path).toBe(first.path);
    expect(readFileSync(second.path)).toEqual(original);
    expect(execFileSync(second.path, ['--version'], { encoding: 'utf8' })).toBe('Version: 0.74.0\n');
    const dir = join(process.env.RUNNER_TOOL_CACHE!, 'trivy', '0.74.0', 'linux-x64');
    expect(logs.warning).toEqual([
      `trivy 0.74.0 in the runner tool cache (${dir}) holds a trivy with sha256 ${sha256(Buffer.from('#!/bin/sh\necho tampered\n'))}, not the ${sha256(original)} verified at install (it was changed after install). Not running it: installing trivy again from a verified trivy_0.74.0_Linux-64bit.tar.gz. If this repeats, something on the runner changes RUNNER_TOOL_CACHE.`,
    ]);
    // and the reinstalled copy is trusted again
    logs.warning = [];
    expect((await installToolWithReport(options({ tool: 'trivy' }))).source).toBe('tool-cache');
    expect(logs.warning).toEqual([]);
  });

  it('a tool-cache folder without the install record, or recorded from another asset digest, is installed again', async () => {
    const first = await installToolWithReport(options({ tool: 'cosign' }));
    const dir = dirname(first.path);
    rmSync(join(dir, '.slipway-verified.json'));
    const second = await installToolWithReport(options({ tool: 'cosign' }));
    expect(second.source).toBe('actions-cache');
    expect(logs.warning[0]).toContain(
      `(${dir}) has no .slipway-verified.json (it was not installed by this version of Slipway). Not running it`,
    );
    // a bare binary and its record rewritten together: the lock's digest still tells
    const forged = '#!/bin/sh\necho forged\n';
    writeFileSync(first.path, forged);
    const good = JSON.parse(readFileSync(join(dir, '.slipway-verified.json'), 'utf8')) as Record<
      string,
      string
    >;
    writeFileSync(
      join(dir, '.slipway-verified.json'),
      JSON.stringify({ ...good, executableSha256: sha256(Buffer.from(forged)) }),
    );
    logs.warning = [];
    expect((await installToolWithReport(options({ tool: 'cosign' }))).source).toBe('actions-cache');
    expect(logs.warning[0]).toContain(
      `records cosign with sha256 ${sha256(Buffer.from(forged))}, but tools.lock.json names ${first.sha256} for cosign-linux-amd64`,
    );
    // a lock that now names another digest for the same version: the cached folder is not trusted
    const record = JSON.parse(readFileSync(join(dir, '.slipway-verified.json'), 'utf8')) as Record<
      string,
      string
    >;
    writeFileSync(
      join(dir, '.slipway-verified.json'),
      JSON.stringify({ ...record, assetSha256: 'a'.repeat(64) }),
    );
    logs.warning = [];
    const third = await installToolWithReport(options({ tool: 'cosign' }));
    expect(third.source).toBe('actions-cache');
    expect(logs.warning[0]).toContain(
      `was installed from cosign-linux-amd64 with sha256 ${'a'.repeat(64)}, but tools.lock.json names cosign-linux-amd64 with sha256 ${first.sha256}`,
    );
  });

  it('a cached archive that no longer matches the lock is discarded and downloaded again', async () => {
    const first = await installToolWithReport(options({ tool: 'syft' }));
    const cacheRoot = join(scratch, 'actions-cache');
    const key = `slipway-tool-syft-1.51.0-linux-x64-${first.sha256}`;
    writeFileSync(join(cacheRoot, encodeURIComponent(key), '0'), 'poisoned');
    process.env.RUNNER_TOOL_CACHE = join(scratch, 'tool-cache-2');
    server.resetCounters();
    const second = await installToolWithReport(options({ tool: 'syft' }));
    expect(second.source).toBe('download');
    expect(logs.warning).toEqual([
      `The cached syft_1.51.0_linux_amd64.tar.gz has sha256 ${sha256(Buffer.from('poisoned'))}, not ${first.sha256}; discarding it and downloading again.`,
    ]);
  });
});
