/**
 * The registry client and digest resolution against a real registry
 * (docker-registry on loopback, images built with umoci and pushed with skopeo),
 * directly and behind a Bearer-token front like GHCR's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  httpClientTransport,
  parseImageReference,
  RegistryClient,
  resolveDigest,
  snapshotReferrers,
} from '@slipway/supply-chain/registry';
import { attachArtifactToImage, type Credentials } from '@sigstore/oci';
import { startRegistry, type RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import { startTokenAuthProxy, type TokenAuthProxy } from '../doubles/oci-registry/token-auth-proxy.ts';

const fast = { baseDelayMs: 1, maxDelayMs: 5, totalTimeoutMs: 5_000 };
let registry: RegistryServer;
let proxy: TokenAuthProxy;
let digest: string;

beforeAll(async () => {
  registry = await startRegistry();
  digest = await registry.pushImage('octo-org/app', 'v1');
  proxy = await startTokenAuthProxy({
    upstream: registry.url,
    username: 'octocat',
    password: 'registry-pass',
  });
});
afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});

const client = (
  host: string,
  repository: string,
  extra: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {},
) =>
  new RegistryClient({
    registry: host,
    repository,
    transport: httpClientTransport({ timeoutMs: 5_000 }),
    retry: fast,
    mask: () => {},
    ...extra,
  });

describe('resolveDigest on a real registry', () => {
  it('resolves a tag to the digest skopeo pushed', async () => {
    const ref = parseImageReference(`${registry.host}/octo-org/app:v1`);
    const resolved = await resolveDigest(ref, client(registry.host, 'octo-org/app'));
    expect(resolved).toEqual({
      reference: ref,
      digest,
      pinned: `${registry.host}/octo-org/app@${digest}`,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      resolvedFromTag: true,
    });
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('accepts an existing digest as is', async () => {
    const ref = parseImageReference(`${registry.host}/octo-org/app@${digest}`);
    const resolved = await resolveDigest(ref, client(registry.host, 'octo-org/app'));
    expect(resolved.pinned).toBe(`${registry.host}/octo-org/app@${digest}`);
    expect(resolved.resolvedFromTag).toBe(false);
  });

  it('fails on a tag or digest the registry does not have', async () => {
    const missingTag = parseImageReference(`${registry.host}/octo-org/app:nope`);
    await expect(resolveDigest(missingTag, client(registry.host, 'octo-org/app'))).rejects.toThrow(
      `The image ${registry.host}/octo-org/app:nope cannot be resolved: the registry ${registry.host} has no manifest for 'nope'.`,
    );
    const missingDigest = parseImageReference(`${registry.host}/octo-org/app@sha256:${'0'.repeat(64)}`);
    await expect(resolveDigest(missingDigest, client(registry.host, 'octo-org/app'))).rejects.toThrow(
      /cannot be resolved/,
    );
  });

  it('reads a manifest and its blobs with verified digests', async () => {
    const c = client(registry.host, 'octo-org/app');
    const manifest = await c.getManifest('v1');
    expect(manifest?.descriptor.digest).toBe(digest);
    const config = (JSON.parse(manifest!.body.toString()) as { config: { digest: string } }).config;
    const blob = await c.getBlob(config.digest);
    expect(JSON.parse(blob.toString()).config.Labels).toEqual({ 'org.example.test': 'octo-org/app:v1' });
  });

  it('returns no referrers for an image nobody attached anything to', async () => {
    expect(await client(registry.host, 'octo-org/app').referrers(digest)).toEqual([]);
  });
});

describe('Bearer token flow (GHCR-style challenge)', () => {
  it('answers the challenge with the credentials, masks the token and resolves', async () => {
    const masked: string[] = [];
    const before = proxy.requests.length;
    const ref = parseImageReference(`${proxy.host}/octo-org/app:v1`);
    const resolved = await resolveDigest(
      ref,
      client(proxy.host, 'octo-org/app', {
        credentials: { username: 'octocat', password: 'registry-pass' },
        mask: (v) => masked.push(v),
      }),
    );
    expect(resolved.digest).toBe(digest);
    const token = proxy.tokens.at(-1) as string;
    expect(masked).toContain(token);
    expect(masked).toContain(Buffer.from('octocat:registry-pass').toString('base64'));
    expect(
      proxy.requests.slice(before).map((r) => [r.method, r.path.replace(/\?.*/, '?…'), r.authorization]),
    ).toEqual([
      ['HEAD', '/v2/octo-org/app/manifests/v1', undefined],
      ['GET', '/token?…', `Basic ${Buffer.from('octocat:registry-pass').toString('base64')}`],
      ['HEAD', '/v2/octo-org/app/manifests/v1', `Bearer ${token}`],
    ]);
    const tokenRequest = new URL(`http://x${proxy.requests[before + 1]!.path}`);
    expect(Object.fromEntries(tokenRequest.searchParams)).toEqual({
      service: 'slipway-test',
      scope: 'repository:octo-org/app:pull,push',
    });
  });

  it('fails with a user error when the token service refuses the credentials', async () => {
    const ref = parseImageReference(`${proxy.host}/octo-org/app:v1`);
    await expect(
      resolveDigest(
        ref,
        client(proxy.host, 'octo-org/app', { credentials: { username: 'octocat', password: 'wrong' } }),
      ),
    ).rejects.toThrow(
      `The registry token service ${proxy.url}/token refused a token for octo-org/app (HTTP 401).`,
    );
  });

  it('retries a 503 and then succeeds', async () => {
    proxy.failNext(2);
    const retries: number[] = [];
    const ref = parseImageReference(`${proxy.host}/octo-org/app:v1`);
    const resolved = await resolveDigest(
      ref,
      client(proxy.host, 'octo-org/app', {
        credentials: { username: 'octocat', password: 'registry-pass' },
        retry: { ...fast, onRetry: ({ attempt }) => retries.push(attempt) },
      }),
    );
    expect(resolved.digest).toBe(digest);
    expect(retries).toEqual([1, 2]);
  });
});

describe('snapshotReferrers', () => {
  it('reports exactly the referrers pushed after the snapshot, once', async () => {
    const c = client(registry.host, 'octo-org/app');
    const type = 'application/vnd.example.test+json';
    const attach = (n: number) =>
      attachArtifactToImage({
        imageName: `${registry.host}/octo-org/app`,
        imageDigest: digest,
        artifact: Buffer.from(JSON.stringify({ n })),
        mediaType: type,
        credentials: undefined as unknown as Credentials,
      });
    const old = await attach(1);
    const snapshot = await snapshotReferrers(c, digest, type);
    expect(await snapshot.added()).toEqual([]);
    const first = await attach(2);
    const second = await attach(3);
    expect((await snapshot.added()).map((d) => d.digest).sort()).toEqual(
      [first.digest, second.digest].sort(),
    );
    expect(await snapshot.added()).toEqual([]);
    expect((await c.referrers(digest, type)).map((d) => d.digest)).toContain(old.digest);
  });
});
