/**
 * The real syft (built by scripts/real-tools.js) served by the release-asset double in syft's
 * own release layout: `syft_<v>_<os>_<arch>.tar.gz` holding `syft`, `LICENSE` and `README.md` at
 * its top level, plus the release's checksums file. The lock file handed to the action
 * (SLIPWAY_TOOLS_LOCK) holds the sha256 of that archive for this runner's platform; trivy and
 * cosign keep their stand-in releases so the lock file stays complete. The archive is packed here,
 * so its digest is not the one of syft's published release (that one is built by goreleaser).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assetName,
  runnerPlatform,
  type ToolArch,
  type ToolPlatform,
  toolRelease,
} from '@slipway/supply-chain/tools';
import { buildRelease, lockFor, type BuiltRelease } from '../../doubles/release-assets/release-assets.ts';
import { startReleaseServer, type ReleaseServer } from '../../doubles/release-assets/release-server.ts';
import { packedTarGz } from '../../packed-archive.ts';
import { realTool } from '../../real-tools.ts';

export interface RealSyftReleases {
  server: ReleaseServer;
  lockPath: string;
  version: string;
  /** The syft archive for this runner, as served. */
  asset: string;
  assetBytes: number;
  assetSha256: string;
}

export function packRealSyft(binary: string, version: string): { name: string; body: Buffer } {
  const { platform, arch } = runnerPlatform();
  const name = assetName('syft', version, platform, arch);
  const body = packedTarGz(name, [
    { path: 'LICENSE', text: 'Apache License, Version 2.0 (see github.com/anchore/syft)\n' },
    { path: 'README.md', text: `# syft ${version}, built from its Go module\n` },
    { path: 'syft', copyOf: binary },
  ]);
  return { name, body };
}

export async function startRealSyftReleases(): Promise<RealSyftReleases> {
  const syft = realTool('syft');
  const release = toolRelease('syft', syft.version);
  const { name, body } = packRealSyft(syft.path, release.version);
  const sha256 = createHash('sha256').update(body).digest('hex');
  const prefix = `/${release.owner}/${release.repo}/releases/download/${release.tag}`;
  const syftRelease: BuiltRelease = {
    tool: 'syft',
    version: release.version,
    files: [
      { path: `${prefix}/${name}`, name, body },
      {
        path: `${prefix}/${release.checksumsAsset}`,
        name: release.checksumsAsset,
        body: Buffer.from(`${sha256}  ${name}\n`),
      },
    ],
    sha256: new Map([[name, sha256]]),
  };
  const standIns = [buildRelease('trivy', '0.74.0'), buildRelease('cosign', '3.1.3')];
  const lock = lockFor(standIns) as { tools: Record<string, unknown> };
  const { platform, arch } = runnerPlatform() as { platform: ToolPlatform; arch: ToolArch };
  lock.tools.syft = {
    version: release.version,
    versions: { [release.version]: { [`${platform}-${arch}`]: { asset: name, sha256 } } },
  };
  const lockPath = join(mkdtempSync(join(tmpdir(), 'real-syft-lock-')), 'tools.lock.json');
  writeFileSync(lockPath, JSON.stringify(lock, null, 2));
  return {
    server: await startReleaseServer([...standIns, syftRelease]),
    lockPath,
    version: release.version,
    asset: name,
    assetBytes: body.length,
    assetSha256: sha256,
  };
}
