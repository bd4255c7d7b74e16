/**
 * The registry host and tag checks of build-sign-push's plan step and deploy-gate's host check, run
 * with bash as the runner does: credentials of one cloud go only to that cloud's registry host, a tag
 * is one OCI tag, and no input that reaches GITHUB_OUTPUT carries a line break.
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findStep, runStep } from './run-step.ts';

const root = resolve(import.meta.dirname, '../..');
const wf = (name: string) => join(root, '.github', 'workflows', name);
const DIGEST = `sha256:${'b'.repeat(64)}`;

/** Hosts each cloud accepts, and hosts it refuses (another cloud's, look-alikes, ports). */
const HOSTS: Record<string, { good: string[]; bad: string[] }> = {
  ghcr: {
    good: ['ghcr.io', 'GHCR.io'],
    bad: ['ghcr.io.evil.example', 'evil.example', 'ghcr.io:443', 'docker.pkg.github.com', '127.0.0.1:5000'],
  },
  aws: {
    good: [
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn',
    ],
    bad: [
      '12345678901.dkr.ecr.eu-west-1.amazonaws.com',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example',
      'evil.example/123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      'ghcr.io',
    ],
  },
  gcp: {
    good: ['europe-west1-docker.pkg.dev', 'gcr.io', 'eu.gcr.io'],
    bad: ['docker.pkg.dev', 'europe-west1-docker.pkg.dev.evil.example', 'evil.example', 'acme.azurecr.io'],
  },
  azure: {
    good: ['acme.azurecr.io', 'AcmeProd.azurecr.io'],
    bad: ['acme.azurecr.io.evil.example', 'evil.example', 'acme.azurecr.cn', 'ghcr.io', 'acme-x.azurecr.io'],
  },
};
const cases = (kind: 'good' | 'bad') =>
  Object.entries(HOSTS).flatMap(([cloud, hosts]) => hosts[kind].map((host) => [cloud, host] as const));

describe('build-sign-push plan: registry host per cloud, tag, line breaks', () => {
  const step = findStep(wf('build-sign-push.yml'), 'plan', 'apps');
  const run = (change: Record<string, string>) =>
    runStep(step, {
      APPS: '[{"name":"api"}]',
      CLOUD: 'ghcr',
      SBOM_FORMAT: 'spdx-json',
      REGISTRY: 'ghcr.io/acme',
      TAG: '',
      SERVER_URL: 'https://github.com',
      ...change,
    });

  it.each(cases('good'))('cloud %s accepts %s', (cloud, host) => {
    const result = run({ CLOUD: cloud, REGISTRY: `${host}/acme` });
    expect(result.stdout).toBe('');
    expect(result.outputs.registry).toBe(`${host.toLowerCase()}/acme`);
  });

  it.each(cases('bad'))('cloud %s refuses %s, naming the input, before any output', (cloud, host) => {
    const result = run({ CLOUD: cloud, REGISTRY: `${host}/acme` });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(
        `^::error::input 'registry': ${host.toLowerCase().split('/')[0]!.replace(/\./g, '\\.')} is not a registry of cloud '${cloud}' \\(expected `,
      ),
    );
    expect(result.outputs).toEqual({});
  });

  it("ghcr on GHES or GHE.com: the server's containers. host, not ghcr.io", () => {
    const ghes = { SERVER_URL: 'https://github.example.com' };
    expect(run({ ...ghes, REGISTRY: 'containers.github.example.com/acme' }).outputs.registry).toBe(
      'containers.github.example.com/acme',
    );
    expect(run({ ...ghes, REGISTRY: 'ghcr.io/acme' }).stdout).toBe(
      "::error::input 'registry': ghcr.io is not a registry of cloud 'ghcr' (expected containers.github.example.com); the build job would hand it the ghcr credentials\n",
    );
  });

  it.each(['v1.2.3', '1.0', 'main_2024-01-01', '_x', 'A'.repeat(128)])('tag %s is one tag', (tag) => {
    expect(run({ TAG: tag }).code).toBe(0);
  });

  it.each(['v1,latest', 'v1 latest', '.v1', '-v1', 'v1:2', 'A'.repeat(129), 'v1\nlatest'])(
    'tag %j is refused, naming the input',
    (tag) => {
      const result = run({ TAG: tag });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^::error::input 'tag' must be one (tag|line)/);
      expect(result.outputs).toEqual({});
    },
  );

  it.each([
    ['REGISTRY', 'ghcr.io/acme\nkey=x', 'registry'],
    ['REGISTRY', 'ghcr.io/acme\r', 'registry'],
    ['TAG', 'v1\r\napps=[]', 'tag'],
  ])('%s with a line break is refused as one line', (name, value, input) => {
    const result = run({ [name]: value });
    expect(result.stdout).toBe(`::error::input '${input}' must be one line\n`);
    expect(result.outputs).toEqual({});
  });
});

describe('deploy-gate: registry host for the cloud login, line breaks', () => {
  const step = findStep(
    wf('deploy-gate.yml'),
    'verify',
    'Check the registry host for the cloud login and the inputs for line breaks',
  );
  const run = (change: Record<string, string>) =>
    runStep(step, {
      IMAGE: `ghcr.io/acme/api@${DIGEST}`,
      CLOUD: 'ghcr',
      SERVER_URL: 'https://github.com',
      IDENTITY: '',
      IDENTITY_REGEXP: '',
      OIDC_ISSUER: 'https://token.actions.githubusercontent.com',
      SOURCE_REPOSITORY: '',
      ...change,
    });

  it.each(cases('good'))('cloud %s accepts %s', (cloud, host) => {
    const result = run({ CLOUD: cloud, IMAGE: `${host}/acme/api@${DIGEST}` });
    expect([result.code, result.stdout]).toEqual([0, '']);
  });

  it.each(cases('bad'))('cloud %s refuses %s, naming the input', (cloud, host) => {
    const result = run({ CLOUD: cloud, IMAGE: `${host}/acme/api@${DIGEST}` });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `::error::input 'image': ${host.toLowerCase().split('/')[0]} is not a registry of cloud '${cloud}'`,
    );
  });

  it('cloud none logs in nowhere: any host', () => {
    expect(run({ CLOUD: 'none', IMAGE: `127.0.0.1:5000/acme/api@${DIGEST}` }).code).toBe(0);
  });

  it.each([
    ['IMAGE', `ghcr.io/acme/api@${DIGEST}\nhost=evil.example`, 'image'],
    ['IDENTITY', 'https://github.com/acme/x.yml@refs/heads/main\nimage=evil', 'certificate-identity'],
    ['IDENTITY_REGEXP', '^https://\r', 'certificate-identity-regexp'],
    ['OIDC_ISSUER', 'https://token.actions.githubusercontent.com\n', 'certificate-oidc-issuer'],
    ['SOURCE_REPOSITORY', 'acme/api\nx=y', 'source-repository'],
  ])('%s with a line break is refused (cloud none too)', (name, value, input) => {
    const result = run({ CLOUD: 'none', [name]: value });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`::error::input '${input}' must be one line\n`);
  });
});
