import { describe, expect, it } from 'vitest';
import { attestedPerPlatform, indexPlatformImages, platformSubject } from './index-subjects.ts';
import { parseImageReference } from '../registry/image-reference.ts';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const PINNED = `r.example/app@${d('0')}`;

/** An index as docker buildx pushes it: two platform images and their attestation manifests. */
const buildxIndex = {
  schemaVersion: 2,
  mediaType: OCI_INDEX,
  manifests: [
    { mediaType: OCI_MANIFEST, digest: d('a'), size: 1, platform: { os: 'linux', architecture: 'amd64' } },
    {
      mediaType: OCI_MANIFEST,
      digest: d('b'),
      size: 1,
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    },
    {
      mediaType: OCI_MANIFEST,
      digest: d('c'),
      size: 1,
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: {
        'vnd.docker.reference.type': 'attestation-manifest',
        'vnd.docker.reference.digest': d('a'),
      },
    },
  ],
};

/** A registry that serves one manifest document for `digest`. */
const registryServing = (doc: object, mediaType: string) => ({
  getManifest: async (reference: string) =>
    reference === d('0')
      ? { descriptor: { mediaType, digest: d('0'), size: 1 }, body: Buffer.from(JSON.stringify(doc)) }
      : undefined,
});

const AMD64 = { platform: 'linux/amd64', digest: d('a'), slug: 'linux-amd64' };
const ARM64 = { platform: 'linux/arm64/v8', digest: d('b'), slug: 'linux-arm64-v8' };

describe('indexPlatformImages', () => {
  it('lists the platform images of an index, leaving out the attestation manifests', async () => {
    expect(await indexPlatformImages(registryServing(buildxIndex, OCI_INDEX), d('0'), PINNED)).toEqual([
      AMD64,
      ARM64,
    ]);
  });

  it('is undefined for a single image', async () => {
    const image = { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { digest: d('f') }, layers: [] };
    expect(await indexPlatformImages(registryServing(image, OCI_MANIFEST), d('0'), PINNED)).toBeUndefined();
  });

  it('fails when the registry has no manifest for the digest, or the index holds no platform image', async () => {
    await expect(indexPlatformImages(registryServing({}, OCI_INDEX), d('9'), PINNED)).rejects.toThrow(
      `The registry has no manifest for ${PINNED}.`,
    );
    const onlyAttestations = { ...buildxIndex, manifests: [buildxIndex.manifests[2]] };
    await expect(
      indexPlatformImages(registryServing(onlyAttestations, OCI_INDEX), d('0'), PINNED),
    ).rejects.toThrow(/holds no platform image/);
  });
});

describe('platformSubject', () => {
  it('names the platform image by its own digest in the index repository, without the tag', () => {
    const reference = parseImageReference(`r.example:5000/team/app:1.0`);
    const index = { reference, digest: d('0'), pinned: PINNED, mediaType: OCI_INDEX, resolvedFromTag: true };
    const subject = platformSubject(index, {
      platform: 'linux/arm64/v8',
      digest: d('b'),
      slug: 'linux-arm64-v8',
    });
    expect(subject).toEqual({
      reference: { registry: 'r.example:5000', repository: 'team/app', digest: d('b') },
      digest: d('b'),
      pinned: `r.example:5000/team/app@${d('b')}`,
      mediaType: '',
      resolvedFromTag: false,
    });
  });
});

describe('attestedPerPlatform', () => {
  it('is true for the SBOM kinds only: signatures, provenance and the gate policy stay on the index', () => {
    expect(['spdxjson', 'cyclonedx'].map((k) => attestedPerPlatform(k as never))).toEqual([true, true]);
    expect(
      [undefined, 'slsaprovenance', 'slsaprovenance1', 'gate-policy'].map((k) =>
        attestedPerPlatform(k as never),
      ),
    ).toEqual([false, false, false, false]);
  });
});
