import { describe, expect, it } from 'vitest';
import { parseAuthChallenge } from './auth-challenge.ts';

describe('parseAuthChallenge', () => {
  it.each([
    [
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:octo-org/app:pull"',
      {
        scheme: 'bearer',
        params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:octo-org/app:pull' },
      },
    ],
    [
      'Bearer realm="https://auth.docker.io/token", service="registry.docker.io", scope="repository:library/alpine:pull,push"',
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/alpine:pull,push',
        },
      },
    ],
    ['Basic realm="Registry Realm"', { scheme: 'basic', params: { realm: 'Registry Realm' } }],
    ['basic', { scheme: 'basic', params: {} }],
    [
      'Bearer realm=https://x/token,service=x',
      { scheme: 'bearer', params: { realm: 'https://x/token', service: 'x' } },
    ],
    ['Bearer realm="a\\"b"', { scheme: 'bearer', params: { realm: 'a"b' } }],
  ])('%s', (header, expected) => {
    expect(parseAuthChallenge(header)).toEqual(expected);
  });

  it.each([undefined, '', 'Negotiate abc', 'Digest realm="x"'])('ignores %s', (header) => {
    expect(parseAuthChallenge(header)).toBeUndefined();
  });
});
