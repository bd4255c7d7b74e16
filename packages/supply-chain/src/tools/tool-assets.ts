/**
 * What each tool's GitHub release looks like: repository, asset names per
 * OS/arch, the checksums file, the executable inside the archive, and who signs
 * the release. These are facts about the upstream projects' release layouts.
 */
import { UserError } from '@slipway/core';

export type ToolName = 'trivy' | 'syft' | 'cosign';
export type ToolPlatform = 'linux' | 'macos' | 'windows';
export type ToolArch = 'x64' | 'arm64';

export const TOOL_NAMES: readonly ToolName[] = ['trivy', 'syft', 'cosign'];
export const TOOL_PLATFORMS: readonly ToolPlatform[] = ['linux', 'macos', 'windows'];
export const TOOL_ARCHES: readonly ToolArch[] = ['x64', 'arm64'];

/** A keyless signer: the certificate's subject alternative name and the OIDC issuer. */
export interface SignerIdentity {
  identity: string;
  issuer: string;
}

export interface ToolRelease {
  owner: string;
  repo: string;
  /** The release tag for a version ("0.74.0" -> "v0.74.0"). */
  tag: string;
  /** Version without a leading "v", as used in asset names and caches. */
  version: string;
  checksumsAsset: string;
}

/** Versions that must never be installed, whatever the caller asks for. */
export const KNOWN_MALICIOUS: Readonly<Record<ToolName, readonly string[]>> = {
  // GHSA-69fq-xp46-6x23 / CVE-2026-33634: a malicious release with its own matching checksums file.
  trivy: ['0.69.4'],
  syft: [],
  cosign: [],
};

const REPOS: Record<ToolName, { owner: string; repo: string }> = {
  trivy: { owner: 'aquasecurity', repo: 'trivy' },
  syft: { owner: 'anchore', repo: 'syft' },
  cosign: { owner: 'sigstore', repo: 'cosign' },
};

const VERSION_PATTERN = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** Normalises "v0.74.0" / "0.74.0" to "0.74.0"; throws a UserError for anything else. */
export function normaliseVersion(tool: ToolName, version: string): string {
  const trimmed = version.trim();
  if (!VERSION_PATTERN.test(trimmed)) {
    throw new UserError(
      `'${version}' is not a ${tool} release version. Use a full version such as 1.2.3 (with or without a leading v).`,
    );
  }
  return trimmed.replace(/^v/, '');
}

export function toolRelease(tool: ToolName, version: string): ToolRelease {
  const v = normaliseVersion(tool, version);
  const { owner, repo } = REPOS[tool];
  const checksumsAsset = tool === 'cosign' ? 'cosign_checksums.txt' : `${tool}_${v}_checksums.txt`;
  return { owner, repo, tag: `v${v}`, version: v, checksumsAsset };
}

/** The release asset holding the tool for one platform, in the project's own naming. */
export function assetName(tool: ToolName, version: string, platform: ToolPlatform, arch: ToolArch): string {
  const v = normaliseVersion(tool, version);
  switch (tool) {
    case 'trivy': {
      if (platform === 'windows') {
        if (arch !== 'x64') throw unsupported(tool, platform, arch);
        return `trivy_${v}_windows-64bit.zip`;
      }
      const os = platform === 'linux' ? 'Linux' : 'macOS';
      return `trivy_${v}_${os}-${arch === 'x64' ? '64bit' : 'ARM64'}.tar.gz`;
    }
    case 'syft': {
      const os = platform === 'macos' ? 'darwin' : platform;
      if (platform === 'windows' && arch !== 'x64') throw unsupported(tool, platform, arch);
      return `syft_${v}_${os}_${arch === 'x64' ? 'amd64' : 'arm64'}.${platform === 'windows' ? 'zip' : 'tar.gz'}`;
    }
    case 'cosign': {
      const os = platform === 'macos' ? 'darwin' : platform;
      if (platform === 'windows' && arch !== 'x64') throw unsupported(tool, platform, arch);
      return `cosign-${os}-${arch === 'x64' ? 'amd64' : 'arm64'}${platform === 'windows' ? '.exe' : ''}`;
    }
  }
}

export type ArchiveKind = 'tar.gz' | 'zip' | 'binary';

export function archiveKind(asset: string): ArchiveKind {
  if (asset.endsWith('.tar.gz')) return 'tar.gz';
  if (asset.endsWith('.zip')) return 'zip';
  return 'binary';
}

/** File name of the executable once installed (inside the archive for trivy and syft). */
export function executableName(tool: ToolName, platform: ToolPlatform): string {
  return platform === 'windows' ? `${tool}.exe` : tool;
}

/**
 * Who signs a release, for versions that are not in the lock file. trivy and
 * cosign publish a Sigstore bundle next to every asset; syft signs only its
 * checksums file, with a detached `.sig` + `.pem` pair.
 */
export function releaseSigner(tool: ToolName, version: string): SignerIdentity {
  const v = normaliseVersion(tool, version);
  switch (tool) {
    case 'trivy':
      return {
        identity: `https://github.com/aquasecurity/trivy/.github/workflows/reusable-release.yaml@refs/tags/v${v}`,
        issuer: 'https://token.actions.githubusercontent.com',
      };
    case 'cosign':
      return {
        identity: 'keyless@projectsigstore.iam.gserviceaccount.com',
        issuer: 'https://accounts.google.com',
      };
    case 'syft':
      return {
        identity: 'https://github.com/anchore/syft/.github/workflows/release.yaml@refs/heads/main',
        issuer: 'https://token.actions.githubusercontent.com',
      };
  }
}

export type ReleaseSignatureKind = 'asset-bundles' | 'detached-checksums-signature';

/**
 * How a release is signed: trivy and cosign publish `<asset>.sigstore.json` (and one
 * for the checksums file); syft publishes `<checksums>.sig` + `<checksums>.pem` only.
 */
export function releaseSignatureKind(tool: ToolName): ReleaseSignatureKind {
  return tool === 'syft' ? 'detached-checksums-signature' : 'asset-bundles';
}

/** Maps Node's process.platform/arch (or the runner's RUNNER_OS/RUNNER_ARCH) to ours. */
export function runnerPlatform(
  nodePlatform: string = process.platform,
  nodeArch: string = process.arch,
): { platform: ToolPlatform; arch: ToolArch } {
  const platform =
    nodePlatform === 'linux'
      ? 'linux'
      : nodePlatform === 'darwin'
        ? 'macos'
        : nodePlatform === 'win32'
          ? 'windows'
          : undefined;
  const arch = nodeArch === 'x64' ? 'x64' : nodeArch === 'arm64' ? 'arm64' : undefined;
  if (!platform || !arch) {
    throw new UserError(
      `This runner is ${nodePlatform}/${nodeArch}; trivy, syft and cosign are installed for linux, macOS and Windows on x64 or arm64 only.`,
    );
  }
  return { platform, arch };
}

function unsupported(tool: ToolName, platform: ToolPlatform, arch: ToolArch): UserError {
  return new UserError(
    `${tool} publishes no release asset for ${platform}/${arch}. Use an x64 runner for ${platform}.`,
  );
}
