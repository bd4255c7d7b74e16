/**
 * Registry credentials go only to the registry's own token service: a Bearer
 * challenge (from the OCI registry double's token front) that names a realm on
 * another host gets nothing, unless that host is listed in
 * SLIPWAY_REGISTRY_TOKEN_REALMS. The "other host" is a loopback server that
 * records what it is sent.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '@slipway/core';
import { openImage, parseImageReference } from '@slipway/supply-chain/registry';
import { startTokenAuthProxy, type TokenAuthProxy } from '../doubles/oci-registry/token-auth-proxy.ts';

let collector: { host: string; seen: IncomingHttpHeaders[]; close(): void };
let front: TokenAuthProxy;
const credentials = { username: 'octocat', password: 'reg-secret-pw' };

beforeAll(async () => {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"from-elsewhere"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  collector = {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => server.close(),
  };
  front = await startTokenAuthProxy({
    upstream: 'http://127.0.0.1:9', // never reached: no token it minted is ever presented
    ...credentials,
    realm: `http://${collector.host}/token`,
  });
});
afterAll(async () => {
  collector.close();
  await front.stop();
});

const open = (env: NodeJS.ProcessEnv, withCredentials = true) =>
  openImage(parseImageReference(`${front.host}/octo-org/app:v1`), {
    ...(withCredentials ? { credentials } : {}),
    env: { HOME: '/nonexistent', ...env },
    timeoutMs: 5000,
    mask: () => {},
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });

describe('token realm of a registry challenge', () => {
  it('sends no credentials to a realm on another host, and says what to do', async () => {
    collector.seen.length = 0;
    const error = (await open({}).catch((e: unknown) => e)) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      `The registry ${front.host} asked for its credentials to be sent to the token service http://${collector.host}, which is not the registry's own host; they were not sent.`,
    );
    expect(error.hint).toContain(`list it in SLIPWAY_REGISTRY_TOKEN_REALMS`);
    expect(collector.seen).toEqual([]);
  });

  it('without credentials the foreign realm is asked anonymously (nothing to leak)', async () => {
    collector.seen.length = 0;
    await expect(open({}, false)).rejects.toThrow(UserError);
    expect(collector.seen).toHaveLength(1);
    expect(collector.seen[0]!.authorization).toBeUndefined();
  });

  it('a host listed in SLIPWAY_REGISTRY_TOKEN_REALMS gets them', async () => {
    collector.seen.length = 0;
    await expect(open({ SLIPWAY_REGISTRY_TOKEN_REALMS: `other.example, ${collector.host}` })).rejects.toThrow(
      UserError,
    );
    expect(collector.seen.map((h) => h.authorization)).toEqual([
      `Basic ${Buffer.from('octocat:reg-secret-pw').toString('base64')}`,
    ]);
  });
});
