import { InputReader } from '@slipway/core';
import { describe, expect, it } from 'vitest';
import {
  parseIndexEntries,
  parsePlatform,
  platformFilePath,
  selectPlatformImages,
  type IndexEntry,
} from './image-platforms.ts';
import { readPlatformsInput } from './platforms-input.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const digest = (c: string) => `sha256:${c.repeat(64)}`;

const amd64: IndexEntry = {
  mediaType: OCI_MANIFEST,
  digest: digest('a'),
  platform: { os: 'linux', architecture: 'amd64' },
};
const arm64: IndexEntry = {
  mediaType: OCI_MANIFEST,
  digest: digest('b'),
  platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
};
const armv7: IndexEntry = {
  mediaType: OCI_MANIFEST,
  digest: digest('c'),
  platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
};
const attestation: IndexEntry = {
  mediaType: OCI_MANIFEST,
  digest: digest('d'),
  platform: { os: 'unknown', architecture: 'unknown' },
  annotations: {
    'vnd.docker.reference.type': 'attestation-manifest',
    'vnd.docker.reference.digest': digest('a'),
  },
};

describe('parseIndexEntries', () => {
  const body = (doc: unknown) => Buffer.from(JSON.stringify(doc));

  it('reads an OCI index and a Docker manifest list, by content type or by the document mediaType', () => {
    const entries = [amd64, arm64, attestation];
    expect(
      parseIndexEntries(
        body({ schemaVersion: 2, manifests: entries }),
        'application/vnd.oci.image.index.v1+json',
        'x',
      ),
    ).toEqual(entries);
    const list = {
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
      manifests: [{ ...amd64, mediaType: DOCKER_MANIFEST }],
    };
    expect(parseIndexEntries(body(list), 'application/json', 'x')).toEqual(list.manifests);
  });

  it('returns undefined for a single image manifest', () => {
    const manifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, config: {}, layers: [] };
    expect(parseIndexEntries(body(manifest), OCI_MANIFEST, 'x')).toBeUndefined();
  });

  it('refuses an index that is not JSON, has no manifests list, or an entry without a digest', () => {
    expect(() => parseIndexEntries(Buffer.from('{'), OCI_MANIFEST, 'reg/app@x')).toThrow(
      'The registry returned a manifest for reg/app@x that is not JSON.',
    );
    expect(() =>
      parseIndexEntries(body({ mediaType: 'application/vnd.oci.image.index.v1+json' }), '', 'reg/app@x'),
    ).toThrow('The image index of reg/app@x has no "manifests" list.');
    expect(() =>
      parseIndexEntries(body({ manifests: [amd64, { mediaType: OCI_MANIFEST }] }), '', 'reg/app@x'),
    ).toThrow('Entry 1 of the image index of reg/app@x has no digest or mediaType.');
  });
});

describe('selectPlatformImages', () => {
  it('keeps every platform image with `all`, leaving out attestation manifests, unknown/unknown and artifacts', () => {
    const unknown: IndexEntry = {
      ...amd64,
      digest: digest('e'),
      platform: { os: 'unknown', architecture: 'unknown' },
    };
    const artifact: IndexEntry = {
      ...amd64,
      digest: digest('f'),
      artifactType: 'application/vnd.example+json',
    };
    const { images, skipped } = selectPlatformImages(
      [amd64, attestation, arm64, unknown, artifact, armv7],
      'all',
      'x',
    );
    expect(images).toEqual([
      { digest: digest('a'), platform: 'linux/amd64', slug: 'linux-amd64' },
      { digest: digest('b'), platform: 'linux/arm64/v8', slug: 'linux-arm64-v8' },
      { digest: digest('c'), platform: 'linux/arm/v7', slug: 'linux-arm-v7' },
    ]);
    expect(skipped.map((s) => [s.digest, s.reason])).toEqual([
      [digest('d'), 'attestation-manifest (vnd.docker.reference.type)'],
      [digest('e'), 'platform unknown/unknown'],
      [digest('f'), 'artifact application/vnd.example+json'],
    ]);
  });

  it('scans an entry without a platform as `unknown`, and gives duplicate platforms distinct slugs', () => {
    const noPlatform: IndexEntry = { mediaType: OCI_MANIFEST, digest: digest('1') };
    const twin: IndexEntry = { ...amd64, digest: digest('2') };
    expect(selectPlatformImages([amd64, twin, noPlatform], 'all', 'x').images).toEqual([
      { digest: digest('a'), platform: 'linux/amd64', slug: 'linux-amd64' },
      { digest: digest('2'), platform: 'linux/amd64', slug: `linux-amd64-${'2'.repeat(12)}` },
      { digest: digest('1'), platform: 'unknown', slug: 'unknown' },
    ]);
  });

  it('keeps the listed platforms; a listed platform without a variant matches any variant', () => {
    const filter = [parsePlatform('linux/arm64')!, parsePlatform('linux/arm/v7')!];
    const { images, skipped } = selectPlatformImages([amd64, arm64, armv7, attestation], filter, 'x');
    expect(images.map((i) => i.platform)).toEqual(['linux/arm64/v8', 'linux/arm/v7']);
    expect(skipped.map((s) => [s.platform, s.reason])).toEqual([
      ['linux/amd64', 'not in platforms'],
      ['unknown/unknown', 'attestation-manifest (vnd.docker.reference.type)'],
    ]);
    // a listed variant must match exactly
    expect(() => selectPlatformImages([armv7], [parsePlatform('linux/arm/v6')!], 'x')).toThrow(
      'has no image for linux/arm/v6 (it has: linux/arm/v7)',
    );
  });

  it('fails when a listed platform is missing, the index holds no platform image, or nests an index', () => {
    expect(() =>
      selectPlatformImages([amd64, attestation], [parsePlatform('linux/s390x')!], 'reg/app@x'),
    ).toThrow('The image index of reg/app@x has no image for linux/s390x (it has: linux/amd64).');
    expect(() => selectPlatformImages([attestation], 'all', 'reg/app@x')).toThrow(
      'The image index of reg/app@x holds no platform image to scan (no platform images).',
    );
    const nested: IndexEntry = { ...amd64, mediaType: 'application/vnd.oci.image.index.v1+json' };
    expect(() => selectPlatformImages([amd64, nested], 'all', 'reg/app@x')).toThrow(
      `The image index of reg/app@x holds another index (${digest('a')})`,
    );
  });
});

describe('platformFilePath', () => {
  it('puts the platform before the extension', () => {
    expect(platformFilePath('/ws/trivy-results.json', 'linux-arm64')).toBe(
      '/ws/trivy-results.linux-arm64.json',
    );
    expect(platformFilePath('/ws/out/sbom.spdx.json', 'linux-amd64', '.spdx.json')).toBe(
      '/ws/out/sbom.linux-amd64.spdx.json',
    );
    expect(platformFilePath('/ws/report', 'linux-amd64')).toBe('/ws/report.linux-amd64');
    expect(platformFilePath('/ws.d/.hidden', 'linux-amd64')).toBe('/ws.d/.hidden.linux-amd64');
  });
});

describe('readPlatformsInput', () => {
  const read = (platforms?: string) =>
    readPlatformsInput(new InputReader((name) => (name === 'platforms' ? platforms : undefined)));

  it('is `all` by default and for `all`; otherwise the listed platforms', () => {
    expect(read()).toBe('all');
    expect(read('all')).toBe('all');
    expect(read('linux/amd64, linux/arm/v7\nwindows/amd64')).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
      { os: 'windows', architecture: 'amd64' },
    ]);
  });

  it('names the input and the accepted form for a malformed item or `all` mixed with platforms', () => {
    expect(() => read('linux')).toThrow(
      "Input 'platforms' contains the item 'linux', which is not a platform. Expected `all`, or platforms such as `linux/amd64,linux/arm64` (os/architecture[/variant], lower case).",
    );
    expect(() => read('Linux/AMD64')).toThrow("contains the item 'Linux/AMD64'");
    expect(() => read('linux/amd64/v1/x')).toThrow("contains the item 'linux/amd64/v1/x'");
    expect(() => read('all,linux/amd64')).toThrow("Input 'platforms' mixes `all` with platforms.");
  });
});
