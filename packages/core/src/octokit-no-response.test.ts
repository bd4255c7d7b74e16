import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '@octokit/request';
import { UserError } from './errors.ts';
import { NO_RESPONSE_HINT, octokitNoResponse, octokitNoResponseError } from './octokit-no-response.ts';

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"boom"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const failureOf = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('octokitNoResponse', () => {
  it('recognises a request to a host that does not resolve, with its URL and the network error', async () => {
    const error = await failureOf(request('GET /zen', { baseUrl: 'http://api.nowhere.invalid' }));
    const failed = octokitNoResponse(error);
    expect(failed?.url).toBe('http://api.nowhere.invalid/zen');
    expect(failed?.message).toMatch(/^getaddrinfo (ENOTFOUND|EAI_AGAIN) api\.nowhere\.invalid$/);
    const userError = octokitNoResponseError('GitHub zen request', error);
    expect(userError).toBeInstanceOf(UserError);
    expect(userError?.message).toBe(
      `GitHub zen request to http://api.nowhere.invalid/zen got no response: ${failed?.message}`,
    );
    expect(userError?.hint).toBe(NO_RESPONSE_HINT);
    expect(userError?.cause).toBe(error);
  });

  it('leaves an answered HTTP 500 alone, and errors that are not octokit request errors', async () => {
    const answered = await failureOf(request('GET /zen', { baseUrl: url }));
    expect((answered as { status?: number }).status).toBe(500);
    expect(octokitNoResponse(answered)).toBeUndefined();
    expect(octokitNoResponseError('x', answered)).toBeUndefined();
    expect(octokitNoResponse(new Error('plain'))).toBeUndefined();
    expect(octokitNoResponse({ status: 500 })).toBeUndefined();
  });
});
