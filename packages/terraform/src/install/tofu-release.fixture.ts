/**
 * Test support: an OpenTofu release for the release-asset double, holding the
 * REAL tofu program (~/.cache/slipway-tools/tofu) packed in OpenTofu's archive
 * layout (tofu, LICENSE, README.md, CHANGELOG.md at the top level of
 * tofu_<v>_<os>_<arch>.tar.gz), the release's SHA256SUMS, and a lock naming the
 * packed archive's digest (the committed lock names the official archive).
 * The archive is packed once per test run (test/packed-archive.ts).
 */
import { createHash } from 'node:crypto';
import { packedTarGz } from '../../../../test/packed-archive.ts';
import { parseTfToolsLock, type TfToolsLock } from './tf-lock.ts';
import { releaseDir, tfAssetName, tfChecksumsName } from './tf-releases.ts';

export interface ReleaseFileLike {
  path: string;
  name: string;
  body: Buffer;
}

export interface TofuRelease {
  version: string;
  asset: string;
  sha256: string;
  files: ReleaseFileLike[];
  /** A lock whose tofu entry names this archive for linux-x64 (terraform: the committed entry). */
  lock: TfToolsLock;
}

export function packTofuRelease(tofuBinary: string, version: string): TofuRelease {
  const asset = tfAssetName('tofu', version, 'linux', 'x64');
  const body = packedTarGz(asset, [
    { path: 'tofu', copyOf: tofuBinary },
    { path: 'LICENSE', text: 'Mozilla Public License Version 2.0\n' },
    { path: 'README.md', text: '# OpenTofu\n' },
    { path: 'CHANGELOG.md', text: `## ${version}\n` },
  ]);
  const sha256 = createHash('sha256').update(body).digest('hex');
  const sums = Buffer.from(`${sha256}  ${asset}\n`);
  const prefix = `/opentofu/opentofu/releases/download/${releaseDir('tofu', version)}`;
  const checksumsName = tfChecksumsName('tofu', version);
  const lock = parseTfToolsLock(
    {
      schemaVersion: 1,
      tools: {
        tofu: { version, versions: { [version]: { 'linux-x64': { asset, sha256 } } } },
        terraform: {
          version: '1.16.2',
          versions: {
            '1.16.2': {
              'linux-x64': {
                asset: 'terraform_1.16.2_linux_amd64.zip',
                sha256: '0d17011f0c4664539b164b044903d04e296c86c13cb9f28040076c65cfb3985a',
              },
            },
          },
        },
      },
    },
    'test lock',
  );
  return {
    version,
    asset,
    sha256,
    lock,
    files: [
      { path: `${prefix}/${asset}`, name: asset, body },
      { path: `${prefix}/${checksumsName}`, name: checksumsName, body: sums },
    ],
  };
}
