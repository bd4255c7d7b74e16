/**
 * RegistryClient edge cases a real distribution registry does not produce on
 * demand, against a small loopback server speaking the same HTTP: no
 * Docker-Content-Digest header, Basic challenges, Retry-After on 429, bytes that
 * do not match the requested digest, the referrers API and its tag fallback.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ResponseTooLargeError, httpClientTransport } from './http-transport.ts';
import { UserError } from '@slipway/core';
import {
  MAX_MANIFEST_BYTES,
  MAX_REFERRERS,
  RegistryClient,
  RegistryError,
  realmMayGetCredentials,
} from './registry-client.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function serve(
  handler: Handler,
): Promise<{ host: string; seen: { method: string; url: string; auth?: string }[] }> {
  const seen: { method: string; url: string; auth?: string }[] = [];
  const server = createServer((req, res) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
    });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const MANIFEST = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}');
const DIGEST = `sha256:${createHash('sha256').update(MANIFEST).digest('hex')}`;
const client = (host: string, extra: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {}) =>
  new RegistryClient({
    registry: host,
    repository: 'o/app',
    transport: httpClientTransport({ timeoutMs: 2000 }),
    retry: { baseDelayMs: 1, maxDelayMs: 5, totalTimeoutMs: 5000 },
    mask: () => {},
    ...extra,
  });

describe('RegistryClient', () => {
  it('hashes the manifest itself when HEAD has no Docker-Content-Digest', async () => {
    const { host, seen } = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
      res.end(req.method === 'HEAD' ? undefined : MANIFEST);
    });
    expect(await client(host).headManifest('v1')).toEqual({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: DIGEST,
      size: MANIFEST.length,
    });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'HEAD /v2/o/app/manifests/v1',
      'GET /v2/o/app/manifests/v1',
    ]);
  });

  it('answers a Basic challenge with the credentials, once', async () => {
    const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
    const { host, seen } = await serve((req, res) => {
      if (req.headers.authorization !== basic) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="Registry Realm"' }).end();
        return;
      }
      res.writeHead(200, { 'docker-content-digest': DIGEST, 'content-type': 'x' }).end();
    });
    expect(
      (await client(host, { credentials: { username: 'u', password: 'p' } }).headManifest('v1'))?.digest,
    ).toBe(DIGEST);
    expect(seen.map((s) => s.auth ?? '-')).toEqual(['-', basic]);
    await expect(
      client(host, { credentials: { username: 'u', password: 'bad' } }).headManifest('v1'),
    ).rejects.toThrow(`The registry ${host} denied HEAD http://${host}/v2/o/app/manifests/v1 (HTTP 401).`);
  });

  it('waits for Retry-After on 429 and then succeeds', async () => {
    let calls = 0;
    const delays: number[] = [];
    const { host } = await serve((_req, res) => {
      if (calls++ === 0) {
        res.writeHead(429, { 'retry-after': '1' }).end();
        return;
      }
      res.writeHead(200, { 'docker-content-digest': DIGEST }).end();
    });
    const c = client(host, {
      retry: {
        baseDelayMs: 1,
        maxDelayMs: 5,
        totalTimeoutMs: 5000,
        sleep: async (ms) => void delays.push(ms),
      },
    });
    expect((await c.headManifest('v1'))?.digest).toBe(DIGEST);
    expect(delays).toEqual([1000]);
  });

  it('refuses manifest or blob bytes that do not hash to the requested digest', async () => {
    const { host } = await serve((_req, res) => res.writeHead(200, { 'content-type': 'x' }).end('tampered'));
    await expect(client(host).getManifest(DIGEST)).rejects.toThrow(/is not the requested/);
    await expect(client(host).getBlob(DIGEST)).rejects.toThrow(/registry returned blob bytes with digest/);
  });

  it('reads the referrers API when the registry has it, filtered by artifactType', async () => {
    const index = {
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'm',
          digest: 'sha256:a',
          size: 1,
          artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        },
        { mediaType: 'm', digest: 'sha256:b', size: 1, artifactType: 'application/spdx+json' },
      ],
    };
    const { host, seen } = await serve((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' })
        .end(JSON.stringify(index));
    });
    const found = await client(host).referrers(DIGEST, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(found.map((d) => d.digest)).toEqual(['sha256:a']);
    expect(seen.map((s) => s.url)).toEqual([
      `/v2/o/app/referrers/${DIGEST}?artifactType=application%2Fvnd.dev.sigstore.bundle.v0.3%2Bjson`,
    ]);
  });

  it('falls back to the sha256-<hex> tag when the referrers API is missing', async () => {
    const { host, seen } = await serve((req, res) => {
      if (req.url?.includes('/referrers/')) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' });
      res.end(JSON.stringify({ manifests: [{ mediaType: 'm', digest: 'sha256:c', size: 1 }] }));
    });
    expect((await client(host).referrers(DIGEST)).map((d) => d.digest)).toEqual(['sha256:c']);
    expect(seen[1]?.url).toBe(`/v2/o/app/manifests/${DIGEST.replace(':', '-')}`);
  });

  it('uses https for anything but loopback, and registry-1.docker.io for docker.io', async () => {
    const urls: string[] = [];
    const transport = async (request: { url: string }) => {
      urls.push(request.url);
      return { status: 404, headers: {}, body: Buffer.alloc(0) };
    };
    for (const registry of ['ghcr.io', 'docker.io', 'localhost:5000']) {
      await new RegistryClient({ registry, repository: 'o/app', transport }).headManifest('v1');
    }
    expect(urls).toEqual([
      'https://ghcr.io/v2/o/app/manifests/v1',
      'https://registry-1.docker.io/v2/o/app/manifests/v1',
      'http://localhost:5000/v2/o/app/manifests/v1',
    ]);
  });

  it('reports a registry that keeps failing as a user error naming the request, not a Slipway bug', async () => {
    const { host, seen } = await serve((_req, res) => res.writeHead(503).end());
    const error = await client(host, { retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 } })
      .headManifest('v1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      `The registry ${host} kept failing: HEAD http://${host}/v2/o/app/manifests/v1 answered HTTP 503.`,
    );
    expect(seen).toHaveLength(3);
  });

  it('reports a registry nobody answers for as a user error with a network hint', async () => {
    const { host } = await serve(() => {});
    servers.splice(0).forEach((s) => s.close());
    const error = await client(host, { retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 2 } })
      .headManifest('v1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      new RegExp(`^HEAD http://${host}/v2/o/app/manifests/v1 to the registry ${host} failed: .*ECONNREFUSED`),
    );
    expect((error as UserError).hint).toContain('HTTPS_PROXY and NO_PROXY');
  });

  it('keeps a status the registry gives for a bad request as a RegistryError, which is a user error', async () => {
    const { host } = await serve((_req, res) =>
      res.writeHead(400).end('{"errors":[{"code":"NAME_INVALID"}]}'),
    );
    const error = await client(host)
      .headManifest('v1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toBeInstanceOf(UserError);
    expect((error as RegistryError).status).toBe(400);
  });
});

describe('realmMayGetCredentials', () => {
  const may = (registry: string, realm: string, allowed?: string[]) =>
    realmMayGetCredentials(
      registry,
      registry === 'docker.io' ? 'registry-1.docker.io' : registry,
      new URL(realm),
      allowed,
    );

  it('allows the registry itself over https, Docker Hub its auth host, and listed hosts', () => {
    expect(may('ghcr.io', 'https://ghcr.io/token')).toBe(true);
    expect(may('docker.io', 'https://auth.docker.io/token')).toBe(true);
    expect(may('registry.gitlab.com', 'https://gitlab.com/jwt/auth')).toBe(false);
    expect(may('registry.gitlab.com', 'https://gitlab.com/jwt/auth', ['gitlab.com'])).toBe(true);
    expect(may('127.0.0.1:5000', 'http://127.0.0.1:5000/token')).toBe(true);
  });

  it('refuses another host, a look-alike, and plain http off loopback', () => {
    expect(may('ghcr.io', 'https://ghcr.io.evil.example/token')).toBe(false);
    expect(may('ghcr.io', 'https://auth.docker.io/token')).toBe(false);
    expect(may('ghcr.io', 'http://ghcr.io/token')).toBe(false);
    expect(may('127.0.0.1:5000', 'http://127.0.0.1:5001/token')).toBe(false);
  });
});

describe('RegistryClient bounds', () => {
  it('refuses a manifest over 4 MiB, declared or streamed, once (not retried)', async () => {
    const big = Buffer.alloc(MAX_MANIFEST_BYTES + 1, 0x20);
    const { host, seen } = await serve((req, res) => {
      if (req.url?.endsWith('/declared')) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': big.length }).end(big);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length to go by
      for (let i = 0; i < big.length; i += 1 << 20) res.write(big.subarray(i, i + (1 << 20)));
      res.end();
    });
    for (const reference of ['declared', 'streamed']) {
      await expect(client(host).getManifest(reference)).rejects.toThrow(
        new ResponseTooLargeError(`http://${host}/v2/o/app/manifests/${reference}`, MAX_MANIFEST_BYTES)
          .message,
      );
    }
    expect(seen).toHaveLength(2);
  });

  it('refuses a referrers index with more entries than MAX_REFERRERS', async () => {
    const manifests = Array.from({ length: MAX_REFERRERS + 1 }, (_, i) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${i.toString(16).padStart(64, '0')}`,
      size: 1,
    }));
    const { host } = await serve((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' })
        .end(JSON.stringify({ schemaVersion: 2, manifests }));
    });
    const error = (await client(host)
      .referrers(DIGEST)
      .catch((e: unknown) => e)) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      `${host}/o/app@${DIGEST} has ${MAX_REFERRERS + 1} referrers, more than the ${MAX_REFERRERS} Slipway reads; refusing to go through them.`,
    );
  });
});
