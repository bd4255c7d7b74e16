/**
 * The real cosign (scripts/real-tools.js builds v3.1.3 from its Go module) served by the
 * release-asset double as this runner's release asset (`cosign-linux-amd64` on x64 Linux),
 * with a test lock file that holds the real binary's sha256. The sign and verify actions then
 * install it the way they install cosign on a runner (lock file check, runner tool cache,
 * cross-run cache): no stand-in, and no path handed to the action.
 *
 * Also: running the same binary directly (`cosign generate-key-pair`), and the environment a
 * run of cosign needs offline (a fresh HOME, so its TUF cache and docker config are the test's).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { assetName, runnerPlatform, toolRelease } from '@slipway/supply-chain/tools';
import { buildRelease, lockFor, type BuiltRelease } from '../../doubles/release-assets/release-assets.ts';
import type { ToolReleases } from '../../doubles/release-assets/action-env.ts';
import { realTool } from '../../real-tools.ts';

const run = promisify(execFile);

export interface RealCosign {
  /** Absolute path of the built program. */
  path: string;
  /** As the actions see it: `3.1.3`. */
  version: string;
  /** sha256 of the binary, as the test lock file holds it. */
  sha256: string;
  /** A tools.lock.json whose cosign entry for this runner is the real binary. */
  lockPath: string;
}

/**
 * Adds a cosign release whose asset for this runner is the real binary to the release double
 * (replacing the stand-in at the same URL) and writes a lock file for it.
 */
export function serveRealCosign(tools: ToolReleases): RealCosign {
  const tool = realTool('cosign');
  const version = tool.version.replace(/^v/, '');
  const body = readFileSync(tool.path);
  const sha256 = createHash('sha256').update(body).digest('hex');
  const { platform, arch } = runnerPlatform();
  const asset = assetName('cosign', version, platform, arch);
  const standIn = buildRelease('cosign', version);
  const path = `/sigstore/cosign/releases/download/${toolRelease('cosign', version).tag}/${asset}`;
  const release: BuiltRelease = {
    ...standIn,
    files: standIn.files.map((f) => (f.name === asset ? { path, name: asset, body } : f)),
    sha256: new Map([...standIn.sha256].map(([name, digest]) => [name, name === asset ? sha256 : digest])),
  };
  tools.server.add(release);
  const others = tools.releases.filter((r) => r.tool !== 'cosign');
  const dir = mkdtempSync(join(tmpdir(), 'real-cosign-lock-'));
  const lockPath = join(dir, 'tools.lock.json');
  writeFileSync(lockPath, JSON.stringify(lockFor([...others, release]), null, 2));
  return { path: tool.path, version, sha256, lockPath };
}

/** The env of one job on a simulated runner that installs the real cosign (fresh tool cache and HOME). */
export function realCosignJobEnv(
  cosign: RealCosign,
  tools: ToolReleases,
  runnerRoot: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const job = mkdtempSync(join(runnerRoot, 'job-'));
  const home = join(job, 'home');
  mkdirSync(home);
  mkdirSync(join(runnerRoot, 'temp'), { recursive: true });
  return {
    SLIPWAY_RELEASES_URL: tools.server.url,
    SLIPWAY_TOOLS_LOCK: cosign.lockPath,
    SLIPWAY_CACHE_DIR: join(runnerRoot, 'actions-cache'),
    RUNNER_TEMP: join(runnerRoot, 'temp'),
    RUNNER_TOOL_CACHE: join(job, 'tool-cache'),
    HOME: home,
    ...extra,
  };
}

/** `cosign generate-key-pair` with the real binary: returns the PEM texts and the password. */
export async function generateKeyPair(
  cosign: RealCosign,
  password: string,
): Promise<{ privateKey: string; publicKey: string; password: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'cosign-keys-'));
  await run(cosign.path, ['generate-key-pair'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, COSIGN_PASSWORD: password },
  });
  return {
    privateKey: readFileSync(join(dir, 'cosign.key'), 'utf8'),
    publicKey: readFileSync(join(dir, 'cosign.pub'), 'utf8'),
    password,
  };
}

/** A SLSA v0.2 provenance predicate of a GitHub Actions build (the shape `cosign attest --type slsaprovenance` parses). */
export const SLSA_V02_PREDICATE = {
  builder: { id: 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main' },
  buildType: 'https://github.com/slsa-framework/slsa-github-generator/container@v1',
  invocation: {
    configSource: {
      uri: 'git+https://github.com/octo-org/octo-repo@refs/heads/main',
      digest: { sha1: 'ffac537e6cbbf934b08745a378932722df287a53' },
      entryPoint: '.github/workflows/release.yml',
    },
  },
  metadata: { buildInvocationID: '1234567890-1', completeness: { parameters: true } },
  materials: [
    {
      uri: 'git+https://github.com/octo-org/octo-repo@refs/heads/main',
      digest: { sha1: 'ffac537e6cbbf934b08745a378932722df287a53' },
    },
  ],
};
