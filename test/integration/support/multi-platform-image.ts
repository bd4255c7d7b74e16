/**
 * A multi-platform image on the loopback registry, shaped as `docker buildx build --platform
 * linux/amd64,linux/arm64 --provenance` pushes one: an OCI image index over a linux/amd64 and a
 * linux/arm64/v8 image, plus a BuildKit attestation manifest (platform unknown/unknown, annotated
 * `vnd.docker.reference.type: attestation-manifest`, an in-toto layer). The two images are built
 * with umoci (config os/architecture set per platform) from the real-trivy target's files, with
 * different packages: only the arm64 image has minimist 1.2.5 (CVE-2099-2002, CRITICAL in the
 * seeded DB); both have left-pad 1.3.0 (CVE-2099-2003, LOW). The index is written into the same
 * OCI layout and everything is pushed with `skopeo copy --all`. No Docker engine involved.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeTrivyTarget } from './trivy-target.ts';

const run = promisify(execFile);

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';

export interface MultiPlatformImage {
  /** `<host>/<repository>:<tag>`, the index's tag. */
  tagged: string;
  /** `<host>/<repository>@<index digest>`. */
  pinned: string;
  indexDigest: string;
  amd64: string;
  arm64: string;
  attestation: string;
}

const BASE = ['etc/os-release', 'etc/alpine-release', 'app/node_modules/left-pad/package.json'];
const PLATFORMS = [
  { name: 'amd64', platform: { architecture: 'amd64', os: 'linux' }, files: BASE },
  {
    name: 'arm64',
    platform: { architecture: 'arm64', os: 'linux', variant: 'v8' },
    files: [...BASE, 'app/node_modules/minimist/package.json'],
  },
] as const;

function writeBlob(layout: string, bytes: Buffer | string): { digest: string; size: number } {
  const data = Buffer.from(bytes);
  const hex = createHash('sha256').update(data).digest('hex');
  writeFileSync(join(layout, 'blobs', 'sha256', hex), data);
  return { digest: `sha256:${hex}`, size: data.length };
}

interface LayoutIndex {
  manifests: { mediaType: string; digest: string; size: number; annotations?: Record<string, string> }[];
}

export async function pushMultiPlatformImage(
  registryHost: string,
  repository: string,
  tag: string,
): Promise<MultiPlatformImage> {
  const dir = mkdtempSync(join(tmpdir(), 'multi-platform-image-'));
  try {
    const layout = join(dir, 'layout');
    await run('umoci', ['init', '--layout', layout]);
    for (const p of PLATFORMS) {
      const image = `${layout}:${p.name}`;
      await run('umoci', ['new', '--image', image]);
      const flags = ['--os', p.platform.os, '--architecture', p.platform.architecture];
      await run('umoci', ['config', '--image', image, ...flags]);
      const bundle = join(dir, `bundle-${p.name}`);
      await run('umoci', ['unpack', '--rootless', '--image', image, bundle]);
      writeTrivyTarget(join(bundle, 'rootfs'), (path) => (p.files as readonly string[]).includes(path));
      await run('umoci', ['repack', '--image', image, bundle]);
    }
    const indexPath = join(layout, 'index.json');
    const layoutIndex = JSON.parse(readFileSync(indexPath, 'utf8')) as LayoutIndex;
    const byName = (name: string) => {
      const entry = layoutIndex.manifests.find(
        (m) => m.annotations?.['org.opencontainers.image.ref.name'] === name,
      );
      if (!entry) throw new Error(`umoci wrote no manifest tagged ${name}`);
      return entry;
    };
    const [amd64, arm64] = PLATFORMS.map((p) => byName(p.name));
    // BuildKit's provenance attestation manifest for the amd64 image
    const statement = writeBlob(
      layout,
      JSON.stringify({
        _type: 'https://in-toto.io/Statement/v0.1',
        predicateType: 'https://slsa.dev/provenance/v0.2',
        subject: [{ name: `pkg:docker/${repository}@${tag}`, digest: { sha256: amd64!.digest.slice(7) } }],
        predicate: { builder: { id: 'https://example.test/builder' } },
      }),
    );
    const attestationConfig = writeBlob(
      layout,
      JSON.stringify({
        architecture: 'unknown',
        os: 'unknown',
        config: {},
        rootfs: { type: 'layers', diff_ids: [statement.digest] },
      }),
    );
    const attestation = writeBlob(
      layout,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, ...attestationConfig },
        layers: [
          {
            mediaType: 'application/vnd.in-toto+json',
            ...statement,
            annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' },
          },
        ],
      }),
    );
    const index = writeBlob(
      layout,
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          {
            mediaType: OCI_MANIFEST,
            digest: amd64!.digest,
            size: amd64!.size,
            platform: PLATFORMS[0].platform,
          },
          {
            mediaType: OCI_MANIFEST,
            digest: arm64!.digest,
            size: arm64!.size,
            platform: PLATFORMS[1].platform,
          },
          {
            mediaType: OCI_MANIFEST,
            ...attestation,
            platform: { architecture: 'unknown', os: 'unknown' },
            annotations: {
              'vnd.docker.reference.digest': amd64!.digest,
              'vnd.docker.reference.type': 'attestation-manifest',
            },
          },
        ],
      }),
    );
    layoutIndex.manifests.push({
      mediaType: OCI_INDEX,
      ...index,
      annotations: { 'org.opencontainers.image.ref.name': tag },
    });
    writeFileSync(indexPath, JSON.stringify(layoutIndex));
    const tagged = `${registryHost}/${repository}:${tag}`;
    await run('skopeo', [
      'copy',
      '--all',
      '--preserve-digests',
      '--insecure-policy',
      '--dest-tls-verify=false',
      `oci:${layout}:${tag}`,
      `docker://${tagged}`,
    ]);
    return {
      tagged,
      pinned: `${registryHost}/${repository}@${index.digest}`,
      indexDigest: index.digest,
      amd64: amd64!.digest,
      arm64: arm64!.digest,
      attestation: attestation.digest,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
