/**
 * Builds release assets for the double: archives in each tool's real naming and
 * layout (trivy: tar.gz/zip with the executable, LICENSE, README.md and contrib/;
 * syft: tar.gz/zip with the executable, LICENSE, README.md; cosign: a bare
 * binary) whose executable is the stand-in program in stand-in-tool.cjs, plus the
 * release's checksums file in goreleaser's `<sha256>  <name>` form.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assetName,
  executableName,
  TOOL_ARCHES,
  TOOL_PLATFORMS,
  type ToolArch,
  type ToolName,
  type ToolPlatform,
  toolRelease,
} from '@slipway/supply-chain/tools';
import { SHARED_FIXTURES_DIR } from '../../shared-fixtures.ts';

export const SHARED_FIXTURES = SHARED_FIXTURES_DIR;

export interface ReleaseFile {
  /** URL path under the server root: /<owner>/<repo>/releases/download/<tag>/<name>. */
  path: string;
  name: string;
  body: Buffer;
}

export interface BuiltRelease {
  tool: ToolName;
  version: string;
  files: ReleaseFile[];
  /** asset name -> sha256 of what is served. */
  sha256: Map<string, string>;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export function standInProgram(tool: ToolName, version: string): string {
  return readFileSync(join(import.meta.dirname, 'stand-in-tool.cjs'), 'utf8')
    .replace("'__TOOL__'", JSON.stringify(tool))
    .replace("'__VERSION__'", JSON.stringify(version))
    .replace("'__FIXTURES__'", JSON.stringify(SHARED_FIXTURES));
}

function packArchive(
  tool: ToolName,
  version: string,
  platform: ToolPlatform,
  asset: string,
  padding: number,
): Buffer {
  const dir = mkdtempSync(join(tmpdir(), `release-${tool}-`));
  const content = join(dir, 'content');
  mkdirSync(content);
  const exe = executableName(tool, platform);
  writeFileSync(join(content, exe), standInProgram(tool, version), { mode: 0o755 });
  writeFileSync(join(content, 'LICENSE'), 'Apache License 2.0 (stand-in archive built by the test double)\n');
  writeFileSync(join(content, 'README.md'), `# ${tool} ${version} (stand-in)\n`);
  const entries = [exe, 'LICENSE', 'README.md'];
  if (padding > 0) {
    writeFileSync(join(content, 'padding.bin'), randomBytes(padding));
    entries.push('padding.bin');
  }
  if (tool === 'trivy') {
    mkdirSync(join(content, 'contrib'));
    writeFileSync(join(content, 'contrib', 'sarif.tpl'), '{{/* stand-in template */}}\n');
    entries.push('contrib');
  }
  const out = join(dir, asset);
  if (asset.endsWith('.zip')) execFileSync('zip', ['-q', '-r', '-X', out, ...entries], { cwd: content });
  else execFileSync('tar', ['-czf', out, '--owner=0', '--group=0', ...entries], { cwd: content });
  return readFileSync(out);
}

/** Every platform's asset of one release, its checksums file, and per-asset bytes. */
/**
 * `padding` adds that many incompressible bytes to every asset (a `padding.bin` in archives, a
 * trailing base64 comment in cosign's bare stand-in) so benchmarks can move realistic sizes.
 */
export function buildRelease(
  tool: ToolName,
  version: string,
  options: { padding?: number } = {},
): BuiltRelease {
  const padding = options.padding ?? 0;
  const release = toolRelease(tool, version);
  const prefix = `/${release.owner}/${release.repo}/releases/download/${release.tag}`;
  const files: ReleaseFile[] = [];
  const digests = new Map<string, string>();
  for (const platform of TOOL_PLATFORMS) {
    for (const arch of TOOL_ARCHES as ToolArch[]) {
      if (platform === 'windows' && arch === 'arm64') continue;
      const name = assetName(tool, version, platform, arch);
      const body =
        tool === 'cosign'
          ? Buffer.from(
              standInProgram(tool, release.version) +
                (padding > 0 ? `\n/*${randomBytes(padding).toString('base64')}*/\n` : ''),
            )
          : packArchive(tool, release.version, platform, name, padding);
      files.push({ path: `${prefix}/${name}`, name, body });
      digests.set(name, sha256(body));
    }
  }
  const checksums = [...digests].map(([name, digest]) => `${digest}  ${name}\n`).join('');
  files.push({
    path: `${prefix}/${release.checksumsAsset}`,
    name: release.checksumsAsset,
    body: Buffer.from(checksums),
  });
  return { tool, version: release.version, files, sha256: digests };
}

/** A tools.lock.json covering the given releases, as `npm run tools:refresh` would write it. */
export function lockFor(releases: BuiltRelease[]): unknown {
  const tools: Record<string, unknown> = {};
  for (const release of releases) {
    const platforms: Record<string, { asset: string; sha256: string }> = {};
    for (const platform of TOOL_PLATFORMS) {
      for (const arch of TOOL_ARCHES) {
        if (platform === 'windows' && arch === 'arm64') continue;
        const asset = assetName(release.tool, release.version, platform, arch);
        platforms[`${platform}-${arch}`] = { asset, sha256: release.sha256.get(asset)! };
      }
    }
    const existing = tools[release.tool] as
      { version: string; versions: Record<string, unknown> } | undefined;
    tools[release.tool] = {
      version: existing?.version ?? release.version,
      versions: { ...existing?.versions, [release.version]: platforms },
    };
  }
  return { schemaVersion: 1, tools };
}
