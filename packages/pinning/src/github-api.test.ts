import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '@slipway/core';
import { createGitHubApi } from './github-api.ts';

let server: Server;
let url: string;
let requests = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    requests++;
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"boom"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const api = (apiUrl: string) =>
  createGitHubApi({ token: 'ghs_test', apiUrl, retries: 1, retryAfterUnitMs: 1 });

async function failure(call: Promise<unknown>): Promise<UserError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('createGitHubApi failures', () => {
  it('names the URL and the network error when no response came (a host that does not resolve)', async () => {
    const error = await failure(api('http://api.nowhere.invalid').graphql('{ viewer { login } }', {}));
    expect(error.message).toMatch(
      /^GitHub GraphQL request to http:\/\/api\.nowhere\.invalid\/graphql got no response: getaddrinfo (ENOTFOUND|EAI_AGAIN) api\.nowhere\.invalid$/,
    );
    expect(error.hint).toBe(
      'Check GITHUB_API_URL and the network; behind a proxy, HTTPS_PROXY/HTTP_PROXY and NO_PROXY.',
    );
  });

  it('names --api-url in the hint when the URL came from that flag', async () => {
    const error = await failure(
      createGitHubApi({
        token: 'ghs_test',
        apiUrl: 'http://api.nowhere.invalid',
        apiUrlSource: '--api-url',
        retries: 0,
      }).graphql('{ viewer { login } }', {}),
    );
    expect(error.message).toMatch(
      /^GitHub GraphQL request to http:\/\/api\.nowhere\.invalid\/graphql got no response: /,
    );
    expect(error.hint).toBe(
      'Check --api-url and the network; behind a proxy, HTTPS_PROXY/HTTP_PROXY and NO_PROXY.',
    );
  });

  it('still reports an answered 500 as HTTP 500, after retrying it', async () => {
    requests = 0;
    const error = await failure(api(url).compare('o', 'r', 'a', 'b'));
    expect(error.message).toBe('GitHub compare o/r a...b failed with HTTP 500');
    expect(requests).toBe(2);
  });
});
