import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  actionsToolDirectoryCache,
  ChecksumMismatchError,
  createReleaseHttp,
  DirectoryCache,
} from '@slipway/supply-chain/tools';
import {
  startReleaseServer,
  type ReleaseServer,
} from '../../../../test/doubles/release-assets/release-server.ts';
import { realTool } from '../../../../test/real-tools.ts';
import { installTfTool, type TfInstallOptions } from './install-tf.ts';
import { committedTfToolsLock } from './tf-lock.ts';
import { downloadRootFor } from './tf-releases.ts';
import { packTofuRelease, type TofuRelease } from './tofu-release.fixture.ts';

let server: ReleaseServer;
let release: TofuRelease;
let scratch: string;
let warnings: string[];

beforeAll(async () => {
  const tofu = realTool('tofu');
  release = packTofuRelease(tofu.path, tofu.version.replace(/^v/, ''));
  server = await startReleaseServer();
  server.add(release.files);
  // a version outside every lock, published with a SHA256SUMS but no signature of it
  const unsignedSums = 'tofu_1.12.99_SHA256SUMS';
  server.add([
    {
      path: `/opentofu/opentofu/releases/download/v1.12.99/${unsignedSums}`,
      name: unsignedSums,
      body: Buffer.from(`${'0'.repeat(64)}  tofu_1.12.99_linux_amd64.tar.gz\n`),
    },
  ]);
});
afterAll(() => server.close());

beforeEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = mkdtempSync(join(tmpdir(), 'tf-install-'));
  process.env.RUNNER_TOOL_CACHE = join(scratch, 'tool-cache');
  process.env.RUNNER_TEMP = join(scratch, 'temp');
  warnings = [];
  server.resetCounters();
  for (const file of release.files) server.fault(file.name, undefined);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const options = (overrides: Partial<TfInstallOptions> = {}): TfInstallOptions => ({
  tool: 'tofu',
  platform: 'linux',
  arch: 'x64',
  downloadRoot: downloadRootFor('tofu', server.url),
  http: createReleaseHttp(),
  cache: new DirectoryCache(join(scratch, 'actions-cache')),
  toolCache: actionsToolDirectoryCache,
  log: { info: () => {}, warning: (line) => warnings.push(line) },
  lock: release.lock,
  ...overrides,
});

describe('installTfTool (release double, real tofu in the real archive layout)', () => {
  it('installs the locked version, verified by the lock, and the installed tofu runs', async () => {
    const installed = await installTfTool(options());
    expect(installed).toMatchObject({
      tool: 'tofu',
      version: release.version,
      asset: release.asset,
      sha256: release.sha256,
      source: 'download',
      verifiedBy: 'lock-file',
    });
    expect(execFileSync(installed.path, ['version'], { encoding: 'utf8' })).toContain(
      `OpenTofu v${release.version}`,
    );
    expect(server.requests.filter((p) => !p.startsWith('/objects/'))).toEqual([
      `/opentofu/opentofu/releases/download/v${release.version}/${release.asset}`,
    ]);
    // the same job asks again: the verified tool-cache copy, no request
    server.resetCounters();
    const again = await installTfTool(options());
    expect(again.source).toBe('tool-cache');
    expect(server.requests).toEqual([]);
  });

  it('the committed lock (the official archive digest) refuses the repacked archive, and nothing is installed', async () => {
    const error = await installTfTool(options({ lock: committedTfToolsLock() })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect(String(error)).toContain('50a6106fa4de523d09c87af85f3db1dd47535fc005727fdca6852146476b88ec');
    expect(existsSync(join(scratch, 'tool-cache', 'tofu'))).toBe(false);
  });

  it('a tampered archive is refused with both digests', async () => {
    server.fault(release.asset, { kind: 'tamper' });
    const error = await installTfTool(options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect(String(error)).toContain(release.sha256);
  });

  it('a tofu version outside the lock whose SHA256SUMS is unsigned is refused before the archive is fetched', async () => {
    const error = await installTfTool(options({ version: '1.12.99' })).catch((e: unknown) => e);
    expect(String(error)).toMatch(
      /tofu 1\.12\.99 is not in tf-tools\.lock\.json and .*tofu_1\.12\.99_SHA256SUMS\.sig is missing/,
    );
    expect(String(error)).toContain("Input 'version'");
    expect(server.requests.some((p) => p.endsWith('.tar.gz'))).toBe(false);
  });

  it('a terraform version outside the lock asks for its SHA256SUMS first (signature path: terraform-signature.test.ts)', async () => {
    const error = await installTfTool(
      options({
        tool: 'terraform',
        version: '1.15.0',
        downloadRoot: downloadRootFor('terraform', server.url),
      }),
    ).catch((e: unknown) => e);
    expect(String(error)).toContain('/terraform/1.15.0/terraform_1.15.0_SHA256SUMS was not found');
    expect(server.requests).toEqual(['/terraform/1.15.0/terraform_1.15.0_SHA256SUMS']);
  });

  it('a locked terraform version is fetched from the HashiCorp layout and checked against the lock', async () => {
    const error = await installTfTool(
      options({ tool: 'terraform', downloadRoot: downloadRootFor('terraform', server.url) }),
    ).catch((e: unknown) => e);
    // the double has no terraform archive: the request went to <root>/terraform/1.16.2/<asset>
    expect(String(error)).toContain('/terraform/1.16.2/terraform_1.16.2_linux_amd64.zip was not found');
  });
});
