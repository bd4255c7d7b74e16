/**
 * installTfTool: OpenTofu or Terraform by version, verified before anything is
 * extracted or run, built from the supply-chain installer's pieces (download
 * with retries and a size cap, sha256 while streaming, cross-run and tool
 * caches, the verified record beside a cached tool, keyless checksums-file
 * signatures with their Rekor entry).
 *
 * Trust: a version in tf-tools.lock.json must match the lock's sha256. A version
 * outside it is installed only when the project's own signature verifies:
 * OpenTofu's SHA256SUMS carries a keyless signature (.sig + .pem) from its release
 * workflow, checked with its Rekor entry before the archive is fetched. Terraform's
 * SHA256SUMS carries HashiCorp's detached OpenPGP signature (.sig), checked against
 * the embedded HashiCorp key (terraform-signature.ts) before the archive is fetched.
 */
import { chmod, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import * as toolCacheLib from '@actions/tool-cache';
import { UserError } from '@slipway/core';
import { ChecksumMismatchError, parseChecksums, sha256File } from '@slipway/supply-chain/tools';
import { downloadToFile, fetchBytes, type ReleaseHttp } from '@slipway/supply-chain/tools';
import { createSigstoreVerifier, type ReleaseSignatureVerifier } from '@slipway/supply-chain/tools';
import { UnsignedReleaseError, verifySignedChecksums, type RekorOptions } from '@slipway/supply-chain/tools';
import type { ToolArch, ToolPlatform } from '@slipway/supply-chain/tools';
import type { PersistentCache, ToolDirectoryCache } from '@slipway/supply-chain/tools';
import { checkCachedTool, writeVerifiedRecord } from '@slipway/supply-chain/tools';
import type { PinnedOpenPgpKey } from './openpgp-signature.ts';
import { verifyTerraformChecksums } from './terraform-signature.ts';
import { committedTfToolsLock, describeLocked, tfLockedAsset, type TfToolsLock } from './tf-lock.ts';
import {
  DEFAULT_DOWNLOAD_ROOT,
  normaliseTfVersion,
  releaseDir,
  tfAssetName,
  tfChecksumsName,
  tfExecutable,
  tofuReleaseSigner,
  type TfTool,
} from './tf-releases.ts';

export interface TfInstallOptions {
  tool: TfTool;
  /** Default: the lock's version for the tool. */
  version?: string;
  platform: ToolPlatform;
  arch: ToolArch;
  /** Default DEFAULT_DOWNLOAD_ROOT[tool]; files are fetched from <root>/<releaseDir>/<file>. */
  downloadRoot?: string;
  http: ReleaseHttp;
  cache: PersistentCache;
  toolCache: ToolDirectoryCache;
  log: { info(line: string): void; warning(line: string): void };
  lock?: TfToolsLock;
  /** OpenTofu: the Sigstore verifier of the keyless SHA256SUMS signature. */
  verifySignature?: ReleaseSignatureVerifier;
  rekor?: RekorOptions;
  /** Terraform: the key SHA256SUMS.sig must come from; default HashiCorp's. */
  terraformKey?: PinnedOpenPgpKey;
  workDir?: string;
}

export interface InstalledTf {
  path: string;
  tool: TfTool;
  version: string;
  asset: string;
  sha256: string | undefined;
  source: 'tool-cache' | 'actions-cache' | 'download';
  verifiedBy: 'lock-file' | 'signature' | undefined;
}

export async function installTfTool(options: TfInstallOptions): Promise<InstalledTf> {
  const { tool, platform, arch, http, cache, toolCache, log } = options;
  const lock = options.lock ?? committedTfToolsLock();
  const version = normaliseTfVersion(tool, options.version ?? lock.tools[tool].version);
  const asset = tfAssetName(tool, version, platform, arch);
  const exe = tfExecutable(tool, platform);
  const platformKey = `${platform}-${arch}`;
  const locked = tfLockedAsset(lock, tool, version, platform, arch);

  const cachedDir = toolCache.find(tool, version, platformKey);
  if (cachedDir) {
    const check = await checkCachedTool(cachedDir, exe, locked);
    if (check.ok) {
      log.info(
        `${tool} ${version} (${platformKey}) found in the runner tool cache with the sha256 verified at install.`,
      );
      return {
        path: join(cachedDir, exe),
        tool,
        version,
        asset,
        sha256: check.record.assetSha256,
        source: 'tool-cache',
        verifiedBy: undefined,
      };
    }
    log.warning(
      `${tool} ${version} in the runner tool cache (${cachedDir}) ${check.problem}. Installing it again from a verified ${asset}.`,
    );
  }

  const root = (options.downloadRoot ?? DEFAULT_DOWNLOAD_ROOT[tool]).replace(/\/+$/, '');
  const urlOf = (name: string) => `${root}/${releaseDir(tool, version)}/${name}`;
  let expected: string;
  let authority: string;
  if (locked) {
    expected = locked.sha256;
    authority = 'tf-tools.lock.json';
  } else {
    const checksumsName = tfChecksumsName(tool, version);
    const checksums = await fetchBytes(http, urlOf(checksumsName), { log: log.info });
    const check = { version, checksumsName, checksums, urlOf, http, log: log.info };
    const summary =
      tool === 'terraform'
        ? await verifyTerraformChecksums({
            ...check,
            ...(options.terraformKey ? { key: options.terraformKey } : {}),
          })
        : await verifyTofuChecksums(check, options, lock);
    log.info(summary);
    const entry = parseChecksums(checksums.toString('utf8'), checksumsName).get(asset);
    if (!entry)
      throw new UserError(
        `${checksumsName} has no entry for ${asset}; refusing to install an asset nothing vouches for.`,
      );
    expected = entry;
    authority = `${checksumsName} (signature verified)`;
  }

  const workDir = join(
    options.workDir ?? join(process.env.RUNNER_TEMP || tmpdir(), 'slipway-tools'),
    `${tool}-${version}-${platformKey}`,
  );
  await mkdir(workDir, { recursive: true });
  const archive = join(workDir, asset);
  const cacheKey = `slipway-tool-${tool}-${version}-${platformKey}-${expected}`;
  let source: InstalledTf['source'] = 'download';
  if ((await cache.restore([archive], cacheKey)) !== undefined && existsSync(archive)) {
    if ((await sha256File(archive)) === expected) source = 'actions-cache';
    else await rm(archive, { force: true });
  }
  if (source === 'download') {
    const result = await downloadToFile(http, urlOf(asset), archive, { log: log.info });
    if (result.sha256 !== expected) {
      await rm(archive, { force: true });
      throw new ChecksumMismatchError(asset, expected, result.sha256, authority);
    }
  }
  log.info(`sha256 of ${asset} is ${expected}, as ${authority} says.`);

  const extractDir = join(workDir, 'extracted');
  await rm(extractDir, { recursive: true, force: true });
  await mkdir(extractDir, { recursive: true });
  if (asset.endsWith('.zip')) await toolCacheLib.extractZip(archive, extractDir);
  else await toolCacheLib.extractTar(archive, extractDir);
  if (!existsSync(join(extractDir, exe))) {
    throw new UserError(
      `${asset} holds no ${exe} at its top level; the release layout changed or the archive is not ${tool}.`,
    );
  }
  if (platform !== 'windows') await chmod(join(extractDir, exe), 0o755);
  await writeVerifiedRecord(extractDir, { asset, assetSha256: expected, executable: exe });
  const installedDir = await toolCache.cacheDir(extractDir, tool, version, platformKey);
  if (source === 'download') await cache.save([archive], cacheKey);
  log.info(`${tool} ${version} installed at ${join(installedDir, exe)}`);
  return {
    path: join(installedDir, exe),
    tool,
    version,
    asset,
    sha256: expected,
    source,
    verifiedBy: locked ? 'lock-file' : 'signature',
  };
}

/** OpenTofu's keyless signature of SHA256SUMS (.sig + .pem, with its Rekor entry); a summary line. */
async function verifyTofuChecksums(
  check: {
    version: string;
    checksumsName: string;
    checksums: Buffer;
    urlOf: (name: string) => string;
    http: ReleaseHttp;
    log: (line: string) => void;
  },
  options: TfInstallOptions,
  lock: TfToolsLock,
): Promise<string> {
  try {
    const verified = await verifySignedChecksums({
      tool: 'tofu',
      ...check,
      signer: tofuReleaseSigner(check.version),
      verifySignature: options.verifySignature ?? createSigstoreVerifier(),
      ...(options.rekor ? { rekor: options.rekor } : {}),
    });
    return verified.summary;
  } catch (error) {
    if (error instanceof UnsignedReleaseError) {
      throw new UserError(
        `Input 'version': tofu ${check.version} is not in tf-tools.lock.json and ${error.url} is missing, so nothing verifies ${check.checksumsName}. Refusing to install it.`,
        { hint: `Use a locked version: ${describeLocked(lock, 'tofu')}.` },
      );
    }
    throw error;
  }
}
