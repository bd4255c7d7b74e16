import { describe, expect, it } from 'vitest';
import { committedTfToolsLock, parseTfToolsLock, tfLockedAsset } from './tf-lock.ts';
import { tfAssetName, tofuReleaseSigner } from './tf-releases.ts';

describe('tf-tools.lock.json', () => {
  it('the committed lock parses and names each project’s own asset names', () => {
    const lock = committedTfToolsLock();
    expect(tfLockedAsset(lock, 'tofu', lock.tools.tofu.version, 'linux', 'x64')?.asset).toBe(
      'tofu_1.12.6_linux_amd64.tar.gz',
    );
    expect(tfLockedAsset(lock, 'terraform', lock.tools.terraform.version, 'linux', 'arm64')?.asset).toBe(
      'terraform_1.16.2_linux_arm64.zip',
    );
  });

  it('refuses an entry whose asset name does not match the platform key', () => {
    const bad = structuredClone(committedTfToolsLock()) as unknown as {
      tools: { tofu: { versions: Record<string, Record<string, { asset: string }>> } };
    };
    bad.tools.tofu.versions['1.12.6']!['linux-x64']!.asset = 'tofu_1.12.6_linux_arm64.tar.gz';
    expect(() => parseTfToolsLock(bad, 'x.json')).toThrow(
      /linux-x64 names tofu_1\.12\.6_linux_arm64\.tar\.gz, expected tofu_1\.12\.6_linux_amd64\.tar\.gz/,
    );
  });

  it('asset names and the OpenTofu signer follow the release layouts', () => {
    expect(tfAssetName('tofu', '1.12.6', 'windows', 'x64')).toBe('tofu_1.12.6_windows_amd64.zip');
    expect(tfAssetName('terraform', '1.16.2', 'macos', 'arm64')).toBe('terraform_1.16.2_darwin_arm64.zip');
    expect(tofuReleaseSigner('1.12.6').identity).toBe(
      'https://github.com/opentofu/opentofu/.github/workflows/release.yml@refs/heads/v1.12',
    );
  });
});
