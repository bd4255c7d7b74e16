import { createHash } from 'node:crypto';
import { UserError } from '@slipway/core';
import { describe, expect, it } from 'vitest';
import { parsePlatform } from './image-platforms.ts';
import { imageIndexTargets, type ImageOpener } from './platform-targets.ts';
import { RegistryClient } from './registry-client.ts';
import type { HttpResponse, HttpTransport } from './http-transport.ts';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

const sha = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A registry at the HTTP edge: manifests by tag and digest, blobs by digest. */
function registry(docs: { tag: string; manifest: object; mediaType: string }[], blobs: object[] = []) {
  const manifests = new Map<string, { body: Buffer; mediaType: string }>();
  for (const d of docs) {
    const body = Buffer.from(JSON.stringify(d.manifest));
    manifests.set(d.tag, { body, mediaType: d.mediaType });
    manifests.set(sha(body), { body, mediaType: d.mediaType });
  }
  const blobMap = new Map(
    blobs.map((b) => [sha(Buffer.from(JSON.stringify(b))), Buffer.from(JSON.stringify(b))]),
  );
  const requests: string[] = [];
  const transport: HttpTransport = async (request): Promise<HttpResponse> => {
    requests.push(`${request.method} ${request.url}`);
    const path = new URL(request.url).pathname;
    const [, , , , kind, reference] = path.split('/'); // /v2/octo/app/<kind>/<ref>
    const found = kind === 'manifests' ? manifests.get(reference!) : undefined;
    if (found) {
      return {
        status: 200,
        headers: { 'content-type': found.mediaType, 'docker-content-digest': sha(found.body) },
        body: request.method === 'HEAD' ? Buffer.alloc(0) : found.body,
      };
    }
    const blob = kind === 'blobs' ? blobMap.get(reference!) : undefined;
    if (blob) return { status: 200, headers: {}, body: blob };
    return { status: 404, headers: {}, body: Buffer.from('{}') };
  };
  const open: ImageOpener = async (reference) => {
    const client = new RegistryClient({
      registry: reference.registry,
      repository: reference.repository,
      transport,
    });
    const head = await client.headManifest(reference.digest ?? reference.tag ?? 'latest');
    if (!head) throw new UserError(`no manifest for ${reference.tag}`);
    return { client, resolved: { digest: head.digest } };
  };
  return { open, requests, digestOf: (tag: string) => sha(manifests.get(tag)!.body) };
}

const config = {
  os: 'linux',
  architecture: 'arm64',
  variant: 'v8',
  rootfs: { type: 'layers', diff_ids: [] },
};
const configDigest = sha(Buffer.from(JSON.stringify(config)));
const image = {
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: 1 },
  layers: [],
};
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const index = {
  schemaVersion: 2,
  mediaType: OCI_INDEX,
  manifests: [
    { mediaType: OCI_MANIFEST, digest: A, size: 1, platform: { os: 'linux', architecture: 'amd64' } },
    {
      mediaType: OCI_MANIFEST,
      digest: B,
      size: 1,
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    },
  ],
};

function logs() {
  const lines: string[] = [];
  return {
    lines,
    log: {
      info: (l: string) => lines.push(`info: ${l}`),
      notice: (l: string) => lines.push(`notice: ${l}`),
    },
  };
}

describe('imageIndexTargets', () => {
  const host = '127.0.0.1:5000';

  it('an index by tag: each platform image pinned by its digest, looked up by the index digest', async () => {
    const r = registry([{ tag: '1.0', manifest: index, mediaType: OCI_INDEX }]);
    const { log, lines } = logs();
    const targets = await imageIndexTargets(`${host}/octo/app:1.0`, 'all', {
      open: r.open,
      log,
      input: 'target',
    });
    const indexDigest = r.digestOf('1.0');
    expect(targets).toEqual({
      digest: indexDigest,
      pinned: `${host}/octo/app@${indexDigest}`,
      targets: [
        { digest: A, platform: 'linux/amd64', slug: 'linux-amd64', ref: `${host}/octo/app@${A}` },
        { digest: B, platform: 'linux/arm64/v8', slug: 'linux-arm64-v8', ref: `${host}/octo/app@${B}` },
      ],
      skipped: [],
    });
    expect(r.requests).toEqual([
      `HEAD http://${host}/v2/octo/app/manifests/1.0`,
      `GET http://${host}/v2/octo/app/manifests/${indexDigest}`,
    ]);
    expect(lines).toEqual([]);
  });

  it('a single image is scanned as given (undefined); with a platform list its config platform must be listed', async () => {
    const r = registry([{ tag: 'v1', manifest: image, mediaType: OCI_MANIFEST }], [config]);
    const { log, lines } = logs();
    const o = { open: r.open, log, input: 'image' };
    expect(await imageIndexTargets(`${host}/octo/app:v1`, 'all', o)).toBeUndefined();
    expect(
      await imageIndexTargets(`${host}/octo/app:v1`, [parsePlatform('linux/arm64')!], o),
    ).toBeUndefined();
    await expect(
      imageIndexTargets(`${host}/octo/app:v1`, [parsePlatform('linux/amd64')!], o),
    ).rejects.toThrow(
      `${host}/octo/app@${r.digestOf('v1')} is a single image for linux/arm64/v8, not one of the listed platforms linux/amd64.`,
    );
    expect(lines).toEqual([]);
  });

  it('with `all`, an image the registry cannot show is scanned as given, with a notice', async () => {
    const r = registry([]);
    const { log, lines } = logs();
    expect(
      await imageIndexTargets(`${host}/octo/app:local`, 'all', { open: r.open, log, input: 'target' }),
    ).toBeUndefined();
    expect(lines).toEqual([
      `notice: Could not ask the registry whether ${host}/octo/app:local is a multi-platform image (no manifest for local); scanning it as given, which covers one platform only.`,
    ]);
    expect(
      await imageIndexTargets('Not A Reference', 'all', { open: r.open, log, input: 'target' }),
    ).toBeUndefined();
    expect(lines[1]).toMatch(
      /^notice: Not A Reference is not a registry image reference Slipway can look up/,
    );
  });

  it('with a platform list, a failed lookup is an error naming the input', async () => {
    const r = registry([]);
    const { log } = logs();
    await expect(
      imageIndexTargets(`${host}/octo/app:local`, [parsePlatform('linux/amd64')!], {
        open: r.open,
        log,
        input: 'image',
      }),
    ).rejects.toThrow(
      `Cannot list the platforms of ${host}/octo/app:local (input 'image'), which the input 'platforms' requires: no manifest for local`,
    );
  });
});
