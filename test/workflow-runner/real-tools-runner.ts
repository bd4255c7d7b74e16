/**
 * A simulated runner that installs and runs the REAL trivy, syft and cosign (built by
 * scripts/real-tools.js) and signs against the Sigstore double, for the end-to-end tests of
 * build-sign-push.yml, deploy-gate.yml and the secure-image composite.
 *
 * - Tools: one release-asset double serving, for this runner's platform, the real trivy and syft in
 *   their release archive layout and the real cosign as its bare binary, with a tools.lock.json
 *   holding their sha256 (SLIPWAY_TOOLS_LOCK). The actions install them through their normal path:
 *   lock check, tool cache, no path handed to them.
 * - Sigstore: the double's Fulcio, Rekor and OIDC token endpoint, and a TUF mirror publishing its
 *   trusted root and a signing config naming it (test/doubles/sigstore/tuf-mirror.ts), handed to
 *   every job as TUF_MIRROR / TUF_ROOT_JSON / TUF_ROOT, the way cosign is pointed at a private
 *   Sigstore. A workflow that passes no Sigstore inputs (build-sign-push's sign steps) then signs
 *   against the double with cosign's defaults.
 * - Image: `pushScanTarget` builds the real-trivy scan target (test/integration/support/trivy-target.ts:
 *   Alpine packages, npm packages, an AWS key) into an image with umoci and pushes it with skopeo.
 *
 * Everything a job writes (tool caches of about 400 MB, TUF caches) lives under one folder that
 * `stop()` removes.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { assetName, runnerPlatform, toolRelease } from '@slipway/supply-chain/tools';
import type { RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import { buildRelease, type BuiltRelease } from '../doubles/release-assets/release-assets.ts';
import { startReleaseServer } from '../doubles/release-assets/release-server.ts';
import type { ToolReleases } from '../doubles/release-assets/action-env.ts';
import { startSigstoreServices, type SigstoreServices } from '../doubles/sigstore/sigstore-services.ts';
import { signingConfigFor, startTufMirror, type TufMirror } from '../doubles/sigstore/tuf-mirror.ts';
import { realTrivyRelease } from '../integration/support/real-trivy-release.ts';
import { packRealSyft } from '../integration/support/real-syft-release.ts';
import { serveRealCosign, type RealCosign } from '../integration/support/real-cosign.ts';
import { pushTrivyTargetImage } from '../integration/support/trivy-image.ts';
import { realTool } from '../real-tools.ts';

export interface RealToolsRunner {
  tools: ToolReleases;
  cosign: RealCosign;
  sigstore: SigstoreServices;
  tuf: TufMirror;
  /** The release assets holding the real programs for this runner's platform, and their sizes. */
  assets: { name: string; bytes: number }[];
  /** The double's TrustedRoot as JSON text (deploy-gate's `trusted-root` input). */
  trustedRoot: string;
  /**
   * The env of one job on a fresh machine: the release double and lock file, its own RUNNER_TEMP,
   * tool cache and TUF cache, and cosign pointed at the TUF mirror.
   */
  jobEnv(): Record<string, string>;
  stop(): Promise<void>;
}

/** syft's stand-in release with this platform's archive replaced by the real syft, checksums redone. */
function realSyftRelease(): BuiltRelease {
  const syft = realTool('syft');
  const version = syft.version.replace(/^v/, '');
  const release = buildRelease('syft', version);
  const { name, body } = packRealSyft(syft.path, version);
  const file = release.files.find((f) => f.name === name);
  if (!file) throw new Error(`the stand-in syft release has no asset ${name}`);
  file.body = body;
  release.sha256.set(name, createHash('sha256').update(body).digest('hex'));
  const checksums = release.files.find((f) => f.name === toolRelease('syft', version).checksumsAsset)!;
  checksums.body = Buffer.from([...release.sha256].map(([n, d]) => `${d}  ${n}\n`).join(''));
  return release;
}

export async function startRealToolsRunner(): Promise<RealToolsRunner> {
  const root = mkdtempSync(join(tmpdir(), 'real-tools-runner-'));
  const releases = [
    realTrivyRelease(),
    realSyftRelease(),
    buildRelease('cosign', realTool('cosign').version.replace(/^v/, '')),
  ];
  const [server, sigstore] = await Promise.all([startReleaseServer(releases), startSigstoreServices()]);
  const trustedRoot = JSON.stringify(sigstore.trustedRoot());
  const tuf = await startTufMirror({
    'trusted_root.json': trustedRoot,
    'signing_config.v0.2.json': JSON.stringify(signingConfigFor(sigstore)),
  });
  // the real cosign replaces the stand-in's asset; its lock file covers all three real programs
  const cosign = serveRealCosign({ server, releases, lockPath: '' });
  const tools = { server, releases, lockPath: cosign.lockPath };
  const { platform, arch } = runnerPlatform();
  const assets = releases.map((release) => {
    const name = assetName(release.tool, release.version, platform, arch);
    const bytes =
      release.tool === 'cosign'
        ? statSync(cosign.path).size
        : release.files.find((f) => f.name === name)!.body.length;
    return { name, bytes };
  });
  let jobs = 0;
  return {
    tools,
    cosign,
    sigstore,
    tuf,
    assets,
    trustedRoot,
    jobEnv: () => {
      const job = join(root, `job-${++jobs}`);
      return {
        SLIPWAY_RELEASES_URL: server.url,
        SLIPWAY_TOOLS_LOCK: cosign.lockPath,
        SLIPWAY_CACHE_DIR: join(job, 'actions-cache'),
        RUNNER_TEMP: mkdtempSync(`${job}-temp-`),
        RUNNER_TOOL_CACHE: join(job, 'tool-cache'),
        ...tuf.cosignEnv(join(job, 'tuf')),
      };
    },
    stop: async () => {
      await Promise.all([server.close(), sigstore.stop(), tuf.stop()]);
      rmSync(root, { recursive: true, force: true });
      rmSync(dirname(cosign.lockPath), { recursive: true, force: true });
    },
  };
}

/**
 * Builds the real-trivy scan target into an image and pushes it as `repository:tag` to the
 * registry; returns the digest the registry serves (what docker/build-push-action outputs).
 */
export async function pushScanTarget(
  registry: RegistryServer,
  repository: string,
  tag: string,
): Promise<string> {
  await pushTrivyTargetImage(registry.host, repository, tag);
  const digest = await registry.manifestDigest(repository, tag);
  if (!digest) throw new Error(`pushed ${repository}:${tag} but the registry does not serve it`);
  return digest;
}

/** What the scan target holds (trivy-target.ts), as `name@version`: three apk and three npm packages. */
export const SCAN_TARGET_PACKAGES = [
  'busybox@1.36.1-r28',
  'left-pad@1.3.0',
  'lodash@4.17.20',
  'minimist@1.2.5',
  'musl@1.2.5-r0',
  'zlib@1.3.1-r1',
];

export interface SpdxDocument {
  SPDXID: string;
  creationInfo: { creators: string[] };
  packages: { SPDXID: string; name: string; versionInfo?: string }[];
  relationships?: { spdxElementId: string; relatedSpdxElement: string; relationshipType: string }[];
}

/** `name@version` of every package in an SPDX document but the image it describes, sorted. */
export function spdxPackages(doc: SpdxDocument): string[] {
  const described = new Set(
    (doc.relationships ?? [])
      .filter((r) => r.spdxElementId === doc.SPDXID && r.relationshipType === 'DESCRIBES')
      .map((r) => r.relatedSpdxElement),
  );
  return doc.packages
    .filter((p) => !described.has(p.SPDXID))
    .map((p) => `${p.name}@${p.versionInfo ?? ''}`)
    .sort();
}
