/**
 * The stand-ins refuse inputs the real actions would reject or misread, and do what the real
 * action does to the job (a sparse checkout at a commit, a docker config entry, a scoped token).
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TokenRegistry } from '../doubles/github/index.ts';
import type { StandInCall } from './stand-in.ts';
import { checkoutStandIn } from './stand-ins/checkout.ts';
import { createGitHubAppTokenStandIn } from './stand-ins/create-github-app-token.ts';
import { dockerLoginStandIn } from './stand-ins/docker-login.ts';
import { uploadArtifactStandIn } from './stand-ins/upload-artifact.ts';
import { uploadSarifStandIn } from './stand-ins/upload-sarif.ts';
import { repoWithFiles } from './local-repos.ts';

const call = (
  uses: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): StandInCall => {
  const workspace = mkdtempSync(join(tmpdir(), 'stand-in-ws-'));
  return {
    uses,
    ref: uses.split('@')[1] ?? '',
    with: inputs,
    workspace,
    runnerTemp: mkdtempSync(join(tmpdir(), 'stand-in-temp-')),
    env: { HOME: workspace, ...env },
    github: {
      repository: 'acme/web',
      sha: 'a'.repeat(40),
      ref: 'refs/heads/main',
      token: 'ghs_t',
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
      actor: 'octocat',
    },
  };
};

describe('checkout stand-in', () => {
  const repo = repoWithFiles({ 'a/x.txt': 'x\n', 'b/y.txt': 'y\n', 'top.txt': 't\n' });
  const { standIn, calls } = checkoutStandIn({ 'Acme/Tools': repo.dir });

  it('checks out the commit sparsely (cone mode keeps top-level files) and keeps the token when asked', async () => {
    const c = call('actions/checkout@v', {
      repository: 'acme/tools',
      ref: repo.sha,
      path: 'out',
      'sparse-checkout': 'a\n',
    });
    expect(await standIn(c)).toMatchObject({ outputs: { ref: repo.sha, commit: repo.sha } });
    expect(existsSync(join(c.workspace, 'out', 'a', 'x.txt'))).toBe(true);
    expect(existsSync(join(c.workspace, 'out', 'top.txt'))).toBe(true);
    expect(existsSync(join(c.workspace, 'out', 'b'))).toBe(false);
    expect(readFileSync(join(c.workspace, 'out', '.git', 'config'), 'utf8')).toContain(
      `extraheader = AUTHORIZATION: basic ${Buffer.from('x-access-token:ghs_t').toString('base64')}`,
    );
    expect(calls.at(-1)).toMatchObject({ sparse: ['a'], persistCredentials: true });
  });

  it.each([
    [{ repository: 'acme/tools', path: '../escape' }, "input 'path' must be a folder under the workspace"],
    [{ repository: 'acme' }, "input 'repository' must be owner/name"],
    [{ repository: 'acme/other' }, 'no local repository for acme/other'],
    [
      { repository: 'acme/tools', 'persist-credentials': 'no' },
      "input 'persist-credentials' must be true or false",
    ],
    [{ repository: 'acme/tools', 'fetch-depth': '0' }, 'not supported by the local runner: fetch-depth 0'],
    [
      { repository: 'acme/tools', 'sparse-checkout-cone-mode': 'false', 'sparse-checkout': 'a' },
      'sparse-checkout-cone-mode false',
    ],
    [{ repository: 'acme/tools', paht: 'x' }, "unexpected input 'paht'"],
  ])('refuses %j', (inputs, message) => {
    expect(() => standIn(call('actions/checkout@v', inputs))).toThrow(message);
  });
});

describe('docker/login-action stand-in', () => {
  it('writes the auth entry into $DOCKER_CONFIG and masks the password', async () => {
    const dockerConfig = mkdtempSync(join(tmpdir(), 'docker-config-'));
    const { standIn } = dockerLoginStandIn();
    const result = await standIn(
      call(
        'docker/login-action@v',
        { registry: 'ghcr.io', username: 'u', password: 'p4ss' },
        { DOCKER_CONFIG: dockerConfig },
      ),
    );
    expect(result).toMatchObject({ masks: ['p4ss'] });
    expect(JSON.parse(readFileSync(join(dockerConfig, 'config.json'), 'utf8'))).toEqual({
      auths: { 'ghcr.io': { auth: Buffer.from('u:p4ss').toString('base64') } },
    });
  });
  it.each([
    [
      { registry: 'https://ghcr.io', username: 'u', password: 'p' },
      "input 'registry' must be a registry host[:port]",
    ],
    [{ registry: 'ghcr.io', username: 'u', password: '' }, 'Username and password required'],
    [{ registry: '1234.dkr.ecr.eu-west-1.amazonaws.com' }, 'Amazon ECR login without AWS credentials'],
  ])('refuses %j', (inputs, message) => {
    expect(() => dockerLoginStandIn().standIn(call('docker/login-action@v', inputs))).toThrow(message);
  });
});

describe('upload-sarif stand-in', () => {
  const sarif = (uri: string) =>
    JSON.stringify({
      version: '2.1.0',
      runs: [{ results: [{ locations: [{ physicalLocation: { artifactLocation: { uri } } }] }] }],
    });
  it('records a SARIF file with relative locations', async () => {
    const c = call('github/codeql-action/upload-sarif@v', { sarif_file: 'r.sarif', category: 'c' });
    writeFileSync(join(c.workspace, 'r.sarif'), sarif('src/a.ts'));
    const { standIn, uploads } = uploadSarifStandIn();
    await standIn(c);
    expect(uploads).toEqual([
      {
        files: [join(c.workspace, 'r.sarif')],
        sarif: [JSON.parse(sarif('src/a.ts'))],
        checkoutPath: c.workspace,
        category: 'c',
        outsideCheckout: [],
      },
    ]);
  });
  it('refuses a missing file and non-SARIF JSON; lists absolute locations outside the checkout', async () => {
    const { standIn, uploads } = uploadSarifStandIn();
    const c = call('github/codeql-action/upload-sarif@v', { sarif_file: 'r.sarif' });
    expect(() => standIn(c)).toThrow('Path does not exist: r.sarif');
    writeFileSync(join(c.workspace, 'r.sarif'), '{"version":"2.0.0"}');
    expect(() => standIn(c)).toThrow('is not SARIF 2.1.0');
    writeFileSync(join(c.workspace, 'r.sarif'), sarif('/abs/a.ts'));
    await standIn(c);
    writeFileSync(join(c.workspace, 'r.sarif'), sarif(join(c.workspace, 'src/a.ts')));
    await standIn(c);
    expect(uploads.map((u) => u.outsideCheckout)).toEqual([['/abs/a.ts'], []]);
  });
});

describe('upload-artifact stand-in', () => {
  it('records the files, fails like the action when if-no-files-found is error, refuses bad names', async () => {
    const { standIn, artifacts } = uploadArtifactStandIn();
    const c = call('actions/upload-artifact@v', {
      name: 'res',
      path: 'out/r.json',
      'retention-days': '1',
      'if-no-files-found': 'error',
    });
    expect(await standIn(c)).toEqual({
      failed: 'No files were found with the provided path: out/r.json. No artifacts will be uploaded.',
    });
    mkdirSync(join(c.workspace, 'out'));
    writeFileSync(join(c.workspace, 'out', 'r.json'), '{}');
    await standIn(c);
    expect(artifacts).toEqual([{ name: 'res', files: { 'r.json': Buffer.from('{}') }, retentionDays: 1 }]);
    expect(() => standIn(call('actions/upload-artifact@v', { name: 'a/b', path: 'x' }))).toThrow(
      'invalid artifact name',
    );
    expect(() =>
      standIn(call('actions/upload-artifact@v', { name: 'n', path: 'x', 'retention-days': '91' })),
    ).toThrow('invalid retention-days 91');
  });
});

describe('create-github-app-token stand-in', () => {
  const key = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
    type: 'pkcs1',
    format: 'pem',
  }) as string;
  it('mints a token scoped to the repositories and permissions asked for', async () => {
    const tokens = new TokenRegistry();
    const { standIn, minted } = createGitHubAppTokenStandIn({ tokens, appId: '7', privateKey: key });
    const result = await standIn(
      call('actions/create-github-app-token@v', {
        'app-id': '7',
        'private-key': key,
        owner: 'acme',
        repositories: 'ops',
        'permission-contents': 'write',
      }),
    );
    expect(minted).toEqual([
      {
        token: minted[0]!.token,
        owner: 'acme',
        repositories: ['acme/ops'],
        permissions: { metadata: 'read', contents: 'write' },
      },
    ]);
    expect(result).toMatchObject({ outputs: { token: minted[0]!.token }, masks: [minted[0]!.token] });
  });
  it.each([
    [{ 'app-id': 'x', 'private-key': 'k' }, "input 'app-id' must be an App ID"],
    [{ 'app-id': '7', 'private-key': 'not a key' }, "input 'private-key' is not a PEM private key"],
    [
      { 'app-id': '7', 'private-key': '', repositories: 'acme/ops' },
      "input 'private-key' is not a PEM private key",
    ],
    [{ 'app-id': '7', 'permission-actions': 'read' }, 'a permission the GitHub double does not model'],
  ])('refuses %j', (inputs, message) => {
    const { standIn } = createGitHubAppTokenStandIn({
      tokens: new TokenRegistry(),
      appId: '7',
      privateKey: key,
    });
    expect(() => standIn(call('actions/create-github-app-token@v', inputs))).toThrow(message);
  });
  it('refuses owner/name in repositories', () => {
    const { standIn } = createGitHubAppTokenStandIn({
      tokens: new TokenRegistry(),
      appId: '7',
      privateKey: key,
    });
    expect(() =>
      standIn(
        call('actions/create-github-app-token@v', {
          'app-id': '7',
          'private-key': key,
          repositories: 'acme/ops',
        }),
      ),
    ).toThrow("input 'repositories' must be repository names without the owner");
  });
});
