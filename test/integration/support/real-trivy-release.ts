/**
 * A trivy release on the release-asset double whose archive for this machine holds the REAL trivy
 * (built by scripts/real-tools.js) in the layout of trivy's own release archives (trivy, LICENSE,
 * README.md, contrib/); the other platforms keep the stand-in. Served with a tools.lock.json that
 * pins its sha256, so trivy-scan installs it through its normal, verified install path.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assetName, runnerPlatform, toolRelease } from '@slipway/supply-chain/tools';
import { buildRelease, lockFor, type BuiltRelease } from '../../doubles/release-assets/release-assets.ts';
import { startReleaseServer } from '../../doubles/release-assets/release-server.ts';
import type { ToolReleases } from '../../doubles/release-assets/action-env.ts';
import { packedTarGz } from '../../packed-archive.ts';
import { realTool } from '../../real-tools.ts';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export function realTrivyRelease(): BuiltRelease {
  const trivy = realTool('trivy');
  const version = trivy.version.replace(/^v/, '');
  const release = buildRelease('trivy', version);
  const { platform, arch } = runnerPlatform();
  const name = assetName('trivy', version, platform, arch);
  const body = packedTarGz(name, [
    { path: 'trivy', copyOf: trivy.path },
    { path: 'LICENSE', text: 'Apache License 2.0\n' },
    { path: 'README.md', text: `# trivy ${version} (built from its Go module)\n` },
    { path: 'contrib/sarif.tpl', text: '{{/* not used: trivy-scan converts with trivy convert */}}\n' },
  ]);
  const file = release.files.find((f) => f.name === name);
  if (!file) throw new Error(`the stand-in trivy release has no asset ${name}`);
  file.body = body;
  release.sha256.set(name, sha256(body));
  const checksums = release.files.find((f) => f.name === toolRelease('trivy', version).checksumsAsset)!;
  checksums.body = Buffer.from([...release.sha256].map(([n, d]) => `${d}  ${n}\n`).join(''));
  return release;
}

/** The release double serving the real trivy, and a lock file for it (SLIPWAY_TOOLS_LOCK). */
export async function startRealTrivyRelease(): Promise<ToolReleases> {
  // The lock file must cover every tool; syft and cosign stay stand-ins (trivy-scan installs only trivy).
  const releases = [realTrivyRelease(), buildRelease('syft', '1.51.0'), buildRelease('cosign', '3.1.3')];
  const dir = mkdtempSync(join(tmpdir(), 'real-trivy-lock-'));
  const lockPath = join(dir, 'tools.lock.json');
  writeFileSync(lockPath, JSON.stringify(lockFor(releases), null, 2));
  return { server: await startReleaseServer(releases), releases, lockPath };
}
