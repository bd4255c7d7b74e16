import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '@actions/http-client';
import { afterEach, describe, expect, it } from 'vitest';
import { proxyRefusal } from './proxy-refusal.ts';

let proxy: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve())));

/** A proxy that answers every CONNECT with `status`: the error http-client really raises. */
async function refusedTunnelError(status: number, url: string): Promise<unknown> {
  proxy = createServer();
  proxy.on('connect', (_req, socket) => socket.end(`HTTP/1.1 ${status} Refused\r\n\r\n`));
  await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  const saved = process.env.https_proxy;
  process.env.https_proxy = `http://127.0.0.1:${port}`;
  try {
    return await new HttpClient('slipway-test', [], { allowRetries: false })
      .get(url)
      .catch((e: unknown) => e);
  } finally {
    if (saved === undefined) delete process.env.https_proxy;
    else process.env.https_proxy = saved;
  }
}

describe('proxyRefusal', () => {
  it('names the tunnel target of a refused CONNECT (502: transient)', async () => {
    const error = await refusedTunnelError(502, 'https://registry.example.test/v2/');
    expect(proxyRefusal(error, 'https://registry.example.test/v2/')).toEqual({
      message: 'the proxy answered HTTP 502 to CONNECT registry.example.test:443',
      code: 'ECONNRESET',
    });
  });

  it('says what to do for a 407, which is not worth a retry', async () => {
    const error = await refusedTunnelError(407, 'https://sts.example.test:8443/');
    expect(proxyRefusal(error, 'https://sts.example.test:8443/')).toEqual({
      message:
        'the proxy answered HTTP 407 to CONNECT sts.example.test:8443: it wants credentials, or refused the ones given (http://user:password@proxy:port in HTTPS_PROXY/HTTP_PROXY)',
      code: 'EPROXYAUTH',
    });
  });

  it('is undefined for any other error', () => {
    expect(proxyRefusal(new Error('getaddrinfo ENOTFOUND x'), 'https://x/')).toBeUndefined();
    expect(proxyRefusal('text', 'https://x/')).toBeUndefined();
  });
});
