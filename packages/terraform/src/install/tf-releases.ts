/**
 * Facts about the OpenTofu and Terraform release layouts: where a version's
 * files live, what each platform's archive is called, the checksums file, the
 * executable inside, and how each project signs a release.
 *
 * OpenTofu: GitHub releases of opentofu/opentofu, `tofu_<v>_<os>_<arch>.tar.gz`
 * (`.zip` on Windows), `tofu_<v>_SHA256SUMS` signed keyless by its release
 * workflow (`.sig` + `.pem`, logged in Rekor).
 * Terraform: https://releases.hashicorp.com/terraform/<v>/, `terraform_<v>_<os>_<arch>.zip`,
 * `terraform_<v>_SHA256SUMS` signed with HashiCorp's GPG key (`.sig`).
 */
import { UserError } from '@slipway/core';
import type { SignerIdentity, ToolArch, ToolPlatform } from '@slipway/supply-chain/tools';

export type TfTool = 'tofu' | 'terraform';
export const TF_TOOLS: readonly TfTool[] = ['tofu', 'terraform'];

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/;

/** "v1.12.6" / "1.12.6" -> "1.12.6"; anything else is a UserError naming the input. */
export function normaliseTfVersion(tool: TfTool, version: string, input = 'version'): string {
  const trimmed = version.trim();
  if (!VERSION.test(trimmed)) {
    throw new UserError(
      `Input '${input}' has the value '${version}', which is not a ${tool} release version. Expected a full version such as 1.12.6 (with or without a leading v).`,
    );
  }
  return trimmed.replace(/^v/, '');
}

/** Default download roots; the version's files are under `<root>/<dir>/<file>` (see releaseDir). */
export const DEFAULT_DOWNLOAD_ROOT: Record<TfTool, string> = {
  tofu: 'https://github.com/opentofu/opentofu/releases/download',
  terraform: 'https://releases.hashicorp.com/terraform',
};

/** The folder of one version under the download root: `v1.12.6` (GitHub tag) or `1.16.2` (HashiCorp). */
export function releaseDir(tool: TfTool, version: string): string {
  return tool === 'tofu' ? `v${version}` : version;
}

/** Download root from a server root such as a mirror of github.com / releases.hashicorp.com. */
export function downloadRootFor(tool: TfTool, serverRoot: string): string {
  const root = serverRoot.replace(/\/+$/, '');
  return tool === 'tofu' ? `${root}/opentofu/opentofu/releases/download` : `${root}/terraform`;
}

function goOs(platform: ToolPlatform): string {
  return platform === 'macos' ? 'darwin' : platform;
}

export function tfAssetName(tool: TfTool, version: string, platform: ToolPlatform, arch: ToolArch): string {
  const target = `${goOs(platform)}_${arch === 'x64' ? 'amd64' : 'arm64'}`;
  if (tool === 'terraform') return `terraform_${version}_${target}.zip`;
  return `tofu_${version}_${target}.${platform === 'windows' ? 'zip' : 'tar.gz'}`;
}

export function tfChecksumsName(tool: TfTool, version: string): string {
  return `${tool}_${version}_SHA256SUMS`;
}

export function tfExecutable(tool: TfTool, platform: ToolPlatform): string {
  return platform === 'windows' ? `${tool}.exe` : tool;
}

/**
 * OpenTofu's release workflow signs from the release branch of the minor version
 * (`refs/heads/v1.12` for 1.12.6), as OpenTofu's own verification instructions say.
 */
export function tofuReleaseSigner(version: string): SignerIdentity {
  const [major, minor] = version.split('.');
  return {
    identity: `https://github.com/opentofu/opentofu/.github/workflows/release.yml@refs/heads/v${major}.${minor}`,
    issuer: 'https://token.actions.githubusercontent.com',
  };
}
