/**
 * installTool: trivy, syft or cosign from the project's GitHub release assets,
 * verified before anything is extracted or run.
 *
 * API (stable; the sign/verify actions call it for cosign):
 *
 *   installTool({ tool, version?, platform, arch, baseUrl?, http, cache, toolCache, log,
 *                 lock?, allowUnverified?, verifySignature?, rekor?, workDir? }): Promise<string>
 *     tool       'trivy' | 'syft' | 'cosign'
 *     version    release version ("0.74.0" or "v0.74.0"); default: the lock file's version
 *     platform   'linux' | 'macos' | 'windows';  arch: 'x64' | 'arm64'  (see runnerPlatform())
 *     baseUrl    release download root; default https://github.com/<owner>/<repo>/releases/download
 *                (see releaseBaseUrl() for mirrors); assets are fetched from <baseUrl>/v<version>/<asset>
 *     http       the streaming transport of @slipway/core (createReleaseHttp())
 *     cache      PersistentCache across runs (actionsPersistentCache() or DirectoryCache)
 *     toolCache  ToolDirectoryCache for the same job (actionsToolDirectoryCache)
 *     log        { info(line), warning(line) }
 *   Resolves to the absolute path of the verified executable. `installToolWithReport`
 *   takes the same options and also says where the tool came from and how it was verified.
 *
 * Trust: a version in the lock file must match the lock's sha256. A version that is not
 * must match the release's checksums file AND carry a valid signature from the project's
 * release identity: a Sigstore bundle per asset (trivy, cosign), or for syft the checksums
 * file's detached .sig + .pem with its Rekor entry, checked before the asset is fetched;
 * unless `allowUnverified` is set, which logs a warning. A mismatch is a hard failure naming both digests; the bytes are deleted.
 * A tool found in the runner tool cache runs only when its executable still has the sha256
 * recorded at install and, for a locked version, the record names the lock's asset digest
 * (verified-record.ts); otherwise it is installed again, with a warning.
 */
import { chmod, copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import * as toolCacheLib from '@actions/tool-cache';
import { UserError } from '@slipway/core';
import { ChecksumMismatchError, parseChecksums, sha256File } from './checksums.ts';
import { committedToolsLock, defaultVersion, lockedAsset, type ToolsLock } from './lock-file.ts';
import { downloadToFile, fetchBytes, fetchText, type ReleaseHttp } from './release-download.ts';
import { createSigstoreVerifier, type ReleaseSignatureVerifier } from './release-signature.ts';
import { verifySignedChecksums, type RekorOptions } from './signed-checksums.ts';
import type { PersistentCache, ToolDirectoryCache } from './tool-caches.ts';
import { checkCachedTool, writeVerifiedRecord } from './verified-record.ts';
import {
  KNOWN_MALICIOUS,
  archiveKind,
  assetName,
  executableName,
  normaliseVersion,
  releaseSignatureKind,
  releaseSigner,
  toolRelease,
  type ToolArch,
  type ToolName,
  type ToolPlatform,
} from './tool-assets.ts';

export interface ToolInstallLog {
  info(line: string): void;
  warning(line: string): void;
}

export interface InstallToolOptions {
  tool: ToolName;
  version?: string;
  platform: ToolPlatform;
  arch: ToolArch;
  baseUrl?: string;
  http: ReleaseHttp;
  cache: PersistentCache;
  toolCache: ToolDirectoryCache;
  log: ToolInstallLog;
  /** Default: the committed packages/supply-chain/tools.lock.json. */
  lock?: ToolsLock;
  /** Install a version missing from the lock file on the checksums file alone (a warning is logged). */
  allowUnverified?: boolean;
  /** Default: Sigstore verification against the public-good trusted root. */
  verifySignature?: ReleaseSignatureVerifier;
  /** Where syft's checksums signature is looked up; default: the trusted root's Rekor. */
  rekor?: RekorOptions;
  /** Where archives are downloaded and extracted; default $RUNNER_TEMP/slipway-tools. */
  workDir?: string;
}

export type InstallSource = 'tool-cache' | 'actions-cache' | 'download';
export type VerifiedBy = 'lock-file' | 'signature' | 'checksums-file-only';

export interface InstalledTool {
  path: string;
  version: string;
  asset: string;
  sha256: string | undefined;
  source: InstallSource;
  verifiedBy: VerifiedBy | undefined;
  /** Bytes fetched over the network by this call (checksums file, bundle and asset). */
  bytesDownloaded: number;
}

/** The default release download root of a tool on a GitHub server (github.com, a mirror or GHES). */
export function releaseBaseUrl(tool: ToolName, serverUrl = 'https://github.com'): string {
  const { owner, repo } = toolRelease(tool, '0.0.0');
  return `${serverUrl.replace(/\/+$/, '')}/${owner}/${repo}/releases/download`;
}

export async function installTool(options: InstallToolOptions): Promise<string> {
  return (await installToolWithReport(options)).path;
}

export async function installToolWithReport(options: InstallToolOptions): Promise<InstalledTool> {
  const { tool, platform, arch, http, cache, toolCache, log } = options;
  const lock = options.lock ?? committedToolsLock();
  const version = normaliseVersion(tool, options.version ?? defaultVersion(lock, tool));
  if (KNOWN_MALICIOUS[tool].includes(version)) {
    throw new UserError(
      `${tool} ${version} is a known-malicious release and is never installed. Choose another version.`,
    );
  }
  const release = toolRelease(tool, version);
  const asset = assetName(tool, version, platform, arch);
  const exe = executableName(tool, platform);
  const cacheArch = `${platform}-${arch}`;

  const locked = lockedAsset(lock, tool, version, platform, arch);
  const cachedDir = toolCache.find(tool, version, cacheArch);
  if (cachedDir) {
    // a folder in RUNNER_TOOL_CACHE is only run when it is still what was verified at install
    const check = await checkCachedTool(
      cachedDir,
      exe,
      locked && { ...locked, bare: archiveKind(asset) === 'binary' },
    );
    if (check.ok) {
      log.info(
        `${tool} ${version} (${cacheArch}) found in the runner tool cache: ${cachedDir}; ${exe} still has the sha256 verified at install.`,
      );
      return {
        path: join(cachedDir, exe),
        version,
        asset,
        sha256: check.record.assetSha256,
        source: 'tool-cache',
        verifiedBy: undefined,
        bytesDownloaded: 0,
      };
    }
    log.warning(
      `${tool} ${version} in the runner tool cache (${cachedDir}) ${check.problem}. Not running it: installing ${tool} again from a verified ${asset}. If this repeats, something on the runner changes RUNNER_TOOL_CACHE.`,
    );
  }

  const base = (options.baseUrl ?? releaseBaseUrl(tool)).replace(/\/+$/, '');
  const urlOf = (name: string) => `${base}/${release.tag}/${name}`;
  let bytesDownloaded = 0;

  // 1. The digest the asset must have, and who vouches for it.
  let expected: string;
  let authority: string;
  let verifiedBy: VerifiedBy;
  /** The checksums file's own signature was verified (syft), so the asset needs no bundle of its own. */
  let checksumsSigned = false;
  let signatureVerifier: ReleaseSignatureVerifier | undefined;
  const verifier = () => (signatureVerifier ??= options.verifySignature ?? createSigstoreVerifier());
  if (locked) {
    if (locked.asset !== asset) {
      throw new UserError(
        `tools.lock.json names ${locked.asset} for ${tool} ${version} ${cacheArch}, expected ${asset}. Regenerate it with \`npm run tools:refresh\`.`,
      );
    }
    expected = locked.sha256;
    authority = 'tools.lock.json';
    verifiedBy = 'lock-file';
  } else {
    const checksumsUrl = urlOf(release.checksumsAsset);
    const checksums = await fetchBytes(http, checksumsUrl, { log: log.info });
    bytesDownloaded += checksums.length;
    verifiedBy = options.allowUnverified ? 'checksums-file-only' : 'signature';
    authority = `${release.checksumsAsset} (${checksumsUrl})`;
    log.info(
      `${tool} ${version} is not in tools.lock.json: its sha256 comes from the release's own checksums file ${checksumsUrl}.`,
    );
    if (verifiedBy === 'signature' && releaseSignatureKind(tool) === 'detached-checksums-signature') {
      const signed = await verifySignedChecksums({
        tool,
        version,
        checksumsName: release.checksumsAsset,
        checksums,
        urlOf,
        http,
        verifySignature: verifier(),
        ...(options.rekor ? { rekor: options.rekor } : {}),
        log: log.info,
      });
      bytesDownloaded += signed.bytes;
      checksumsSigned = true;
      authority = `${release.checksumsAsset} (signed by ${signed.signer.identity}, Rekor log index ${signed.logIndex})`;
      log.info(signed.summary);
    }
    const entry = parseChecksums(checksums.toString('utf8'), release.checksumsAsset).get(asset);
    if (!entry) {
      throw new UserError(
        `${release.checksumsAsset} of ${tool} ${version} has no entry for ${asset}; refusing to install an asset nothing vouches for.`,
      );
    }
    expected = entry;
    if (options.allowUnverified) {
      log.warning(
        `${tool} ${version} is installed WITHOUT signature verification (allow-unverified-tool is set). A checksum from the same release proves nothing if the release itself was replaced (CVE-2026-33634).`,
      );
    }
  }

  // 2. The archive: from the cross-run cache when it is there and still matches, else downloaded.
  const workDir = join(
    options.workDir ?? join(process.env.RUNNER_TEMP || tmpdir(), 'slipway-tools'),
    `${tool}-${version}-${cacheArch}`,
  );
  await mkdir(workDir, { recursive: true });
  const archive = join(workDir, asset);
  const cacheKey = `slipway-tool-${tool}-${version}-${cacheArch}-${expected}`;
  let source: InstallSource = 'download';
  if ((await cache.restore([archive], cacheKey)) !== undefined && existsSync(archive)) {
    const actual = await sha256File(archive);
    if (actual === expected) {
      source = 'actions-cache';
      log.info(`${asset} restored from the cache (key ${cacheKey}); sha256 ${actual} matches ${authority}.`);
    } else {
      log.warning(
        `The cached ${asset} has sha256 ${actual}, not ${expected}; discarding it and downloading again.`,
      );
      await rm(archive, { force: true });
    }
  }
  if (source === 'download') {
    const url = urlOf(asset);
    log.info(`Downloading ${url}`);
    const result = await downloadToFile(http, url, archive, { log: log.info });
    bytesDownloaded += result.bytes;
    if (result.sha256 !== expected) {
      await rm(archive, { force: true });
      throw new ChecksumMismatchError(asset, expected, result.sha256, authority);
    }
    log.info(`sha256 of ${asset} is ${result.sha256}, as ${authority} says.`);
  }

  // 3. A version outside the lock file also needs the release's signature.
  if (verifiedBy === 'signature' && !checksumsSigned) {
    const bundleUrl = urlOf(`${asset}.sigstore.json`);
    const { text, bytes } = await fetchText(http, bundleUrl, { log: log.info });
    bytesDownloaded += bytes;
    let bundle: unknown;
    try {
      bundle = JSON.parse(text);
    } catch {
      throw new UserError(`${bundleUrl} is not JSON; refusing ${asset}.`);
    }
    const signer = releaseSigner(tool, version);
    await verifier()({
      asset,
      bundle,
      artifact: await readFile(archive),
      artifactSha256: expected,
      signer,
    });
    log.info(`Sigstore bundle of ${asset} verified: signed by ${signer.identity} (issuer ${signer.issuer}).`);
  }

  // 4. Extract, cache for this job, and save the verified archive for later runs.
  const extractDir = join(workDir, 'extracted');
  await rm(extractDir, { recursive: true, force: true });
  await mkdir(extractDir, { recursive: true });
  const kind = archiveKind(asset);
  if (kind === 'tar.gz') await toolCacheLib.extractTar(archive, extractDir);
  else if (kind === 'zip') await toolCacheLib.extractZip(archive, extractDir);
  else await copyFile(archive, join(extractDir, exe));
  if (!existsSync(join(extractDir, exe))) {
    throw new UserError(
      `${asset} holds no ${exe} at its top level; the release layout changed or the asset is not ${tool}.`,
    );
  }
  if (platform !== 'windows') await chmod(join(extractDir, exe), 0o755);
  await writeVerifiedRecord(extractDir, { asset, assetSha256: expected, executable: exe });
  const installedDir = await toolCache.cacheDir(extractDir, tool, version, cacheArch);
  if (source === 'download') await cache.save([archive], cacheKey);
  log.info(`${tool} ${version} installed at ${join(installedDir, exe)}`);
  return {
    path: join(installedDir, exe),
    version,
    asset,
    sha256: expected,
    source,
    verifiedBy,
    bytesDownloaded,
  };
}
