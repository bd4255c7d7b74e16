import { describe, expect, it } from 'vitest';
import { credentialsFromDockerConfig, dockerConfigPath } from './registry-credentials.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const config = JSON.stringify({
  auths: {
    'ghcr.io': { auth: b64('octocat:ghp_secret:with:colons') },
    'https://index.docker.io/v1/': { auth: b64('hubuser:hubpass') },
    'https://123.dkr.ecr.eu-west-1.amazonaws.com': { auth: b64('AWS:ecrpass') },
    'myacr.azurecr.io': { auth: b64('00000000-0000-0000-0000-000000000000:'), identitytoken: 'acr-refresh' },
    'plain.example.com': { username: 'u', password: 'p' },
    'helper-only.example.com': {},
  },
});
const read = (file: string) => {
  if (file === '/cfg/config.json') return config;
  if (file === '/bad/config.json') return '{not json';
  throw new Error('ENOENT');
};

describe('credentialsFromDockerConfig', () => {
  it.each([
    ['ghcr.io', { username: 'octocat', password: 'ghp_secret:with:colons' }],
    ['docker.io', { username: 'hubuser', password: 'hubpass' }],
    ['123.dkr.ecr.eu-west-1.amazonaws.com', { username: 'AWS', password: 'ecrpass' }],
    ['myacr.azurecr.io', { username: '00000000-0000-0000-0000-000000000000', password: 'acr-refresh' }],
    ['plain.example.com', { username: 'u', password: 'p' }],
    ['helper-only.example.com', undefined],
    ['quay.io', undefined],
  ])('%s', (registry, expected) => {
    expect(credentialsFromDockerConfig(registry, '/cfg/config.json', read)).toEqual(expected);
  });

  it('treats a missing file as anonymous and a broken one as a user error', () => {
    expect(credentialsFromDockerConfig('ghcr.io', '/none/config.json', read)).toBeUndefined();
    expect(() => credentialsFromDockerConfig('ghcr.io', '/bad/config.json', read)).toThrow(
      'The docker config /bad/config.json is not valid JSON.',
    );
  });

  it('finds the file through DOCKER_CONFIG, else HOME', () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/d', HOME: '/h' })).toBe('/d/config.json');
    expect(dockerConfigPath({ HOME: '/h' })).toBe('/h/.docker/config.json');
  });
});
