/**
 * Regenerates tools.lock.json from the releases' own checksums files, each
 * checked against the project's release identity first (a checksums file alone
 * proves nothing: CVE-2026-33634): trivy's and cosign's through the checksums
 * file's Sigstore bundle, syft's through its detached .sig + .pem and the Rekor
 * entry that logs them. Versions that
 * were already locked are kept unchanged, so workflows pinned to them still
 * install; the refreshed version becomes each tool's default.
 */
import { createHash } from 'node:crypto';
import { UserError } from '@slipway/core';
import { parseChecksums } from './checksums.ts';
import { parseToolsLock, type LockedPlatforms, type ToolsLock } from './lock-file.ts';
import { fetchBytes, fetchText, type ReleaseHttp } from './release-download.ts';
import type { ReleaseSignatureVerifier } from './release-signature.ts';
import { UnsignedReleaseError, verifySignedChecksums, type RekorOptions } from './signed-checksums.ts';
import {
  KNOWN_MALICIOUS,
  TOOL_ARCHES,
  TOOL_NAMES,
  TOOL_PLATFORMS,
  assetName,
  normaliseVersion,
  releaseSignatureKind,
  releaseSigner,
  toolRelease,
  type ToolName,
} from './tool-assets.ts';

export interface RefreshOptions {
  http: ReleaseHttp;
  /** Version to lock per tool. */
  versions: Record<ToolName, string>;
  /** Download root of a tool's releases (<root>/<tag>/<asset>). */
  baseUrl: (tool: ToolName) => string;
  verifySignature: ReleaseSignatureVerifier;
  previous?: ToolsLock;
  /** Tools whose checksums file may be taken when the release publishes no signature for it (logged). */
  acceptUnsigned?: ToolName[];
  /** Where syft's checksums signature is looked up; default: the trusted root's Rekor. */
  rekor?: RekorOptions;
  log: (line: string) => void;
}

export async function refreshToolsLock(o: RefreshOptions): Promise<ToolsLock> {
  const tools = {} as ToolsLock['tools'];
  for (const tool of TOOL_NAMES) {
    const version = normaliseVersion(tool, o.versions[tool]);
    if (KNOWN_MALICIOUS[tool].includes(version)) {
      throw new UserError(`${tool} ${version} is a known-malicious release; it is never locked.`);
    }
    const release = toolRelease(tool, version);
    const url = (name: string) => `${o.baseUrl(tool).replace(/\/+$/, '')}/${release.tag}/${name}`;
    const checksums = await fetchBytes(o.http, url(release.checksumsAsset));
    const text = checksums.toString('utf8');
    if (releaseSignatureKind(tool) === 'detached-checksums-signature') {
      await verifyDetachedSignature(o, tool, version, release.checksumsAsset, checksums, url);
    } else {
      await verifyChecksumsFile(
        o,
        tool,
        version,
        release.checksumsAsset,
        text,
        url(`${release.checksumsAsset}.sigstore.json`),
      );
    }
    const digests = parseChecksums(text, release.checksumsAsset);
    const platforms: LockedPlatforms = {};
    for (const platform of TOOL_PLATFORMS) {
      for (const arch of TOOL_ARCHES) {
        if (platform === 'windows' && arch === 'arm64') continue;
        const asset = assetName(tool, version, platform, arch);
        const sha256 = digests.get(asset);
        if (!sha256)
          throw new UserError(
            `${release.checksumsAsset} has no entry for ${asset}; not locking ${tool} ${version}.`,
          );
        platforms[`${platform}-${arch}`] = { asset, sha256 };
      }
    }
    tools[tool] = { version, versions: { ...o.previous?.tools[tool].versions, [version]: platforms } };
    o.log(
      `${tool} ${version}: ${Object.keys(platforms).length} platforms locked from ${release.checksumsAsset}.`,
    );
  }
  return parseToolsLock({ schemaVersion: 1, tools }, 'the refreshed lock');
}

async function verifyDetachedSignature(
  o: RefreshOptions,
  tool: ToolName,
  version: string,
  asset: string,
  checksums: Buffer,
  urlOf: (name: string) => string,
): Promise<void> {
  try {
    const signed = await verifySignedChecksums({
      tool,
      version,
      checksumsName: asset,
      checksums,
      urlOf,
      http: o.http,
      verifySignature: o.verifySignature,
      ...(o.rekor ? { rekor: o.rekor } : {}),
      log: o.log,
    });
    o.log(`${tool} ${version}: ${signed.summary}`);
  } catch (error) {
    if (!(error instanceof UnsignedReleaseError) || !o.acceptUnsigned?.includes(tool)) throw error;
    o.log(
      `WARNING: ${tool} ${version}: no signature for ${asset} (${error.url}); taking its checksums unverified as asked.`,
    );
  }
}

async function verifyChecksumsFile(
  o: RefreshOptions,
  tool: ToolName,
  version: string,
  asset: string,
  text: string,
  bundleUrl: string,
): Promise<void> {
  let bundleText: string;
  try {
    bundleText = (await fetchText(o.http, bundleUrl)).text;
  } catch (error) {
    if (o.acceptUnsigned?.includes(tool)) {
      o.log(
        `WARNING: ${tool} ${version}: no Sigstore bundle for ${asset} (${bundleUrl}); taking its checksums unverified as asked.`,
      );
      return;
    }
    throw new UserError(
      `${tool} ${version}: cannot fetch the Sigstore bundle of ${asset} (${(error as Error).message}).`,
    );
  }
  const data = Buffer.from(text, 'utf8');
  await o.verifySignature({
    asset,
    bundle: JSON.parse(bundleText) as unknown,
    artifact: data,
    artifactSha256: createHash('sha256').update(data).digest('hex'),
    signer: releaseSigner(tool, version),
  });
  o.log(`${tool} ${version}: ${asset} signature verified (${releaseSigner(tool, version).identity}).`);
}
