/**
 * The verifier's bound on how many attached bundles it downloads and checks,
 * against a loopback server answering the referrers API as a registry would.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '@slipway/core';
import { httpClientTransport } from '../registry/http-transport.ts';
import { parseImageReference } from '../registry/image-reference.ts';
import { RegistryClient } from '../registry/registry-client.ts';
import { SIGSTORE_BUNDLE_MEDIA_TYPE } from './sigstore-endpoints.ts';
import { MAX_BUNDLES_CHECKED, verifyImageNative } from './native-verifier.ts';

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

const DIGEST = `sha256:${'d'.repeat(64)}`;

describe('verifyImageNative bounds', () => {
  it('refuses to download and verify more than MAX_BUNDLES_CHECKED bundles, before fetching any', async () => {
    const manifests = Array.from({ length: MAX_BUNDLES_CHECKED + 1 }, (_, i) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${i.toString(16).padStart(64, '0')}`,
      size: 1,
      artifactType: SIGSTORE_BUNDLE_MEDIA_TYPE,
    }));
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res
        .writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' })
        .end(JSON.stringify({ schemaVersion: 2, manifests }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => server.close());
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const reference = parseImageReference(`${host}/o/app@${DIGEST}`);
    const client = new RegistryClient({
      registry: host,
      repository: 'o/app',
      transport: httpClientTransport({ timeoutMs: 2000 }),
    });
    const pinned = `${host}/o/app@${DIGEST}`;
    const error = (await verifyImageNative({
      image: {
        reference,
        digest: DIGEST,
        pinned,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        resolvedFromTag: false,
      },
      client,
      trustedRoot: TrustedRoot.fromJSON({
        mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      }),
      policy: { identity: 'x', issuer: 'y' },
      kind: 'signature',
    }).catch((e: unknown) => e)) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      `${MAX_BUNDLES_CHECKED + 1} Sigstore bundles are attached to ${pinned}, more than the ${MAX_BUNDLES_CHECKED} verify checks; refusing to download and verify them all.`,
    );
    expect(seen).toHaveLength(1); // the referrers list only: no manifest or blob fetched
  });
});
