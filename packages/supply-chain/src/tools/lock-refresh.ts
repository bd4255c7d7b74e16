/**
 * Regenerates tools.lock.json from the releases' own checksums files, each
 * checked against its Sigstore bundle from the project's release identity
 * first (a checksums file alone proves nothing: CVE-2026-33634). Versions that
 * were already locked are kept unchanged, so workflows pinned to them still
 * install; the refreshed version becomes each tool's default.
 */
import { createHash } from 'node:crypto';
import { UserError } from '@slipway/core';
import { parseChecksums } from './checksums.ts';
import { parseToolsLock, type LockedPlatforms, type ToolsLock } from './lock-file.ts';
import { fetchText, type ReleaseHttp } from './release-download.ts';
import type { ReleaseSignatureVerifier } from './release-signature.ts';
import {
  KNOWN_MALICIOUS,
  TOOL_ARCHES,
  TOOL_NAMES,
  TOOL_PLATFORMS,
  assetName,
  normaliseVersion,
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
  /** Tools whose checksums file may be taken without a Sigstore bundle (logged). */
  acceptUnsigned?: ToolName[];
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
    const { text } = await fetchText(o.http, url(release.checksumsAsset));
    await verifyChecksumsFile(
      o,
      tool,
      version,
      release.checksumsAsset,
      text,
      url(`${release.checksumsAsset}.sigstore.json`),
    );
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
      {
        hint:
          tool === 'syft'
            ? 'syft signs its checksums with .sig/.pem; verify them with cosign by hand, then rerun with --accept-unsigned syft.'
            : undefined,
      },
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
