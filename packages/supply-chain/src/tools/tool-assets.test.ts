import { describe, expect, it } from 'vitest';
import { UserError } from '@slipway/core';
import {
  assetName,
  executableName,
  normaliseVersion,
  releaseSignatureKind,
  releaseSigner,
  runnerPlatform,
  toolRelease,
} from './tool-assets.ts';
import { sharedFixture } from '../../../../test/shared-fixtures.ts';

describe('assetName: each project’s release naming', () => {
  it.each([
    ['trivy', '0.74.0', 'linux', 'x64', 'trivy_0.74.0_Linux-64bit.tar.gz'],
    ['trivy', 'v0.74.0', 'linux', 'arm64', 'trivy_0.74.0_Linux-ARM64.tar.gz'],
    ['trivy', '0.74.0', 'macos', 'x64', 'trivy_0.74.0_macOS-64bit.tar.gz'],
    ['trivy', '0.74.0', 'macos', 'arm64', 'trivy_0.74.0_macOS-ARM64.tar.gz'],
    ['trivy', '0.74.0', 'windows', 'x64', 'trivy_0.74.0_windows-64bit.zip'],
    ['syft', '1.51.0', 'linux', 'x64', 'syft_1.51.0_linux_amd64.tar.gz'],
    ['syft', '1.51.0', 'linux', 'arm64', 'syft_1.51.0_linux_arm64.tar.gz'],
    ['syft', '1.51.0', 'macos', 'x64', 'syft_1.51.0_darwin_amd64.tar.gz'],
    ['syft', '1.51.0', 'macos', 'arm64', 'syft_1.51.0_darwin_arm64.tar.gz'],
    ['syft', '1.51.0', 'windows', 'x64', 'syft_1.51.0_windows_amd64.zip'],
    ['cosign', 'v3.1.3', 'linux', 'x64', 'cosign-linux-amd64'],
    ['cosign', '3.1.3', 'linux', 'arm64', 'cosign-linux-arm64'],
    ['cosign', '3.1.3', 'macos', 'x64', 'cosign-darwin-amd64'],
    ['cosign', '3.1.3', 'macos', 'arm64', 'cosign-darwin-arm64'],
    ['cosign', '3.1.3', 'windows', 'x64', 'cosign-windows-amd64.exe'],
  ] as const)('%s %s %s/%s -> %s', (tool, version, platform, arch, expected) => {
    expect(assetName(tool, version, platform, arch)).toBe(expected);
  });

  it.each(['trivy', 'syft', 'cosign'] as const)('%s has no windows/arm64 asset', (tool) => {
    expect(() => assetName(tool, '1.0.0', 'windows', 'arm64')).toThrow(
      `${tool} publishes no release asset for windows/arm64. Use an x64 runner for windows.`,
    );
  });

  it('matches the asset names of the real published checksums', async () => {
    const { readFileSync } = await import('node:fs');
    const real = JSON.parse(readFileSync(sharedFixture('tool-checksums.json'), 'utf8')) as {
      tool: 'trivy' | 'syft' | 'cosign';
      version: string;
      asset: string;
    }[];
    const platforms = [
      ['linux', 'x64'],
      ['linux', 'arm64'],
      ['macos', 'x64'],
      ['macos', 'arm64'],
      ['windows', 'x64'],
    ] as const;
    for (const entry of real) {
      const ours = platforms.map(([p, a]) => assetName(entry.tool, entry.version, p, a));
      if (!/-(arm|ppc64le|riscv64|s390x)$/.test(entry.asset)) expect(ours).toContain(entry.asset);
    }
  });
});

describe('release facts', () => {
  it('names checksums files, tags and executables', () => {
    expect(toolRelease('trivy', 'v0.74.0')).toEqual({
      owner: 'aquasecurity',
      repo: 'trivy',
      tag: 'v0.74.0',
      version: '0.74.0',
      checksumsAsset: 'trivy_0.74.0_checksums.txt',
    });
    expect(toolRelease('syft', '1.51.0').checksumsAsset).toBe('syft_1.51.0_checksums.txt');
    expect(toolRelease('cosign', '3.1.3').checksumsAsset).toBe('cosign_checksums.txt');
    expect(executableName('trivy', 'windows')).toBe('trivy.exe');
    expect(executableName('syft', 'linux')).toBe('syft');
  });

  it('binds trivy signatures to its release workflow at the version tag', () => {
    expect(releaseSigner('trivy', '0.74.0')).toEqual({
      identity:
        'https://github.com/aquasecurity/trivy/.github/workflows/reusable-release.yaml@refs/tags/v0.74.0',
      issuer: 'https://token.actions.githubusercontent.com',
    });
  });

  it('binds syft signatures to its release workflow on main, over the checksums file (.sig + .pem)', () => {
    // anchore/syft install.sh verify_sign: --certificate-identity .../release.yaml@refs/heads/main
    expect(releaseSigner('syft', '1.52.0')).toEqual({
      identity: 'https://github.com/anchore/syft/.github/workflows/release.yaml@refs/heads/main',
      issuer: 'https://token.actions.githubusercontent.com',
    });
    expect(releaseSignatureKind('syft')).toBe('detached-checksums-signature');
    expect(releaseSignatureKind('trivy')).toBe('asset-bundles');
    expect(releaseSignatureKind('cosign')).toBe('asset-bundles');
  });

  it.each(['latest', '0.74', '0.74.0; rm -rf /', '../0.74.0', ''])('rejects the version %j', (version) => {
    expect(() => normaliseVersion('trivy', version)).toThrow(UserError);
  });

  it.each([
    ['linux', 'x64', { platform: 'linux', arch: 'x64' }],
    ['darwin', 'arm64', { platform: 'macos', arch: 'arm64' }],
    ['win32', 'x64', { platform: 'windows', arch: 'x64' }],
  ])('maps node %s/%s', (p, a, expected) => {
    expect(runnerPlatform(p, a)).toEqual(expected);
  });

  it('refuses an unsupported runner', () => {
    expect(() => runnerPlatform('linux', 's390x')).toThrow(/linux\/s390x/);
  });
});
