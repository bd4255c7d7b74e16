/**
 * The committed dist/sign bundle through the runner harness: a real registry on
 * loopback (tag resolution, referrer push), the @sigstore/mock Fulcio/Rekor and
 * OIDC token double for keyless signing (engine native), and the release-asset
 * double's stand-in cosign for the argv the cosign engine runs (it records argv;
 * it is not cosign: the real cosign runs in .github/workflows/e2e.yml).
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { node24Path } from '../harness/node-versions.ts';
import { findLeaks, runAction } from '../harness/run-action.ts';
import type { RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import type { SigstoreServices } from '../doubles/sigstore/sigstore-services.ts';
import { simulatedRunner, type ToolReleases } from '../doubles/release-assets/action-env.ts';
import { startSigningServices, stopSigningServices } from './support/signing-services.ts';
import { sharedFixture } from '../shared-fixtures.ts';

const actionDir = resolve(import.meta.dirname, '../../actions/sign');
const SBOM = sharedFixture('syft/image.spdx.json');
let registry: RegistryServer;
let sigstore: SigstoreServices;
let tools: ToolReleases;
let digest: string;

beforeAll(async () => {
  ({ registry, sigstore, tools, digest } = await startSigningServices());
});
afterAll(() => stopSigningServices({ registry, sigstore, tools }));

function workspaceWithSbom(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sign-ws-'));
  copyFileSync(SBOM, join(dir, 'sbom.spdx.json'));
  return dir;
}

const nativeInputs = () => ({
  engine: 'native',
  'fulcio-url': sigstore.fulcioUrl,
  'rekor-url': sigstore.rekorUrl,
  timeout: '20s',
});

describe('sign (engine native)', () => {
  it('resolves the tag, signs the digest, attests the SBOM and pushes both as referrers', async () => {
    const result = await runAction({
      actionDir,
      workspace: workspaceWithSbom(),
      inputs: {
        ...nativeInputs(),
        image: `${registry.host}/octo-org/app:v1`,
        predicate: 'sbom.spdx.json',
        'predicate-type': 'spdxjson',
      },
      env: { ...sigstore.oidcEnv, HOME: mkdtempSync(join(tmpdir(), 'home-')) },
    });
    expect(result.log).not.toContain('::error');
    expect(result.exitCode).toBe(0);
    expect(result.outputs.digest).toBe(digest);
    expect(result.outputs.image).toBe(`${registry.host}/octo-org/app@${digest}`);
    expect(result.outputs.signature).toMatch(
      new RegExp(`^${registry.host}/octo-org/app@sha256:[0-9a-f]{64}$`),
    );
    expect(result.outputs.attestation).toMatch(
      new RegExp(`^${registry.host}/octo-org/app@sha256:[0-9a-f]{64}$`),
    );
    expect(result.outputs.signature).not.toBe(result.outputs.attestation);
    expect(result.outputs['rekor-log-index']).toMatch(/^\d+$/);
    expect(result.outputs['attestation-rekor-log-index']).toMatch(/^\d+$/);
    expect(result.log).toContain(
      `Resolved ${registry.host}/octo-org/app:v1 to ${digest}; signing the digest.`,
    );
    // both bundles are in the sha256-<hex> referrers index (distribution 2.8 has no referrers API)
    const index = (await (
      await fetch(`${registry.url}/v2/octo-org/app/manifests/${digest.replace(':', '-')}`, {
        headers: { Accept: 'application/vnd.oci.image.index.v1+json' },
      })
    ).json()) as { manifests: { digest: string; artifactType: string }[] };
    expect(index.manifests.map((m) => `${registry.host}/octo-org/app@${m.digest}`).sort()).toEqual(
      [result.outputs.signature, result.outputs.attestation].sort(),
    );
    expect(sigstore.counts.oidc).toBeGreaterThan(0);
    expect(findLeaks(result, [sigstore.tokens.at(-1) as string])).toEqual([]);
    expect(result.summary).toContain(`Signed ${registry.host}/octo-org/app@${digest}`);
    expect(result.summary).toContain(`| signature | ${result.outputs.signature} |`);
  });

  it("signs under node 24, the runner's node (sigstore 4 supports 20.17+ and 22.9+)", async () => {
    const result = await runAction({
      actionDir,
      node: node24Path(),
      inputs: { ...nativeInputs(), image: `${registry.host}/octo-org/app:v1` },
      env: sigstore.oidcEnv,
    });
    expect(result.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(result.outputs.digest).toBe(digest);
    expect(result.outputs['rekor-log-index']).toMatch(/^\d+$/);
  }, 240_000);

  it('fails on a tag the registry cannot resolve, before any signing', async () => {
    const before = { ...sigstore.counts };
    const result = await runAction({
      actionDir,
      inputs: { ...nativeInputs(), image: `${registry.host}/octo-org/app:missing` },
      env: sigstore.oidcEnv,
    });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      `The image ${registry.host}/octo-org/app:missing cannot be resolved: the registry ${registry.host} has no manifest for 'missing'.\nPush the image first, or check the repository name and tag.`,
    ]);
    expect(sigstore.counts).toEqual(before);
  });

  it('rejects bad inputs before the first network call', async () => {
    const before = { ...sigstore.counts };
    const cases: [Record<string, string>, string][] = [
      [{ image: 'ghcr.io/Octo/app:1' }, "Input 'image' is not a valid image reference"],
      [
        { image: `${registry.host}/octo-org/app:v1`, predicate: 'sbom.json' },
        "Input 'predicate-type' is required when predicate is set",
      ],
      [
        { image: `${registry.host}/octo-org/app:v1`, key: 'awskms:///alias/x' },
        "Input 'key' is set with engine native, which signs keyless only",
      ],
      [
        { image: `${registry.host}/octo-org/app:v1`, key: 'file:///x' },
        "Input 'key' has the value 'file:///x', which is not valid",
      ],
      [
        { image: `${registry.host}/octo-org/app:v1`, sign: 'false' },
        "Input 'sign' is false and no predicate is set",
      ],
      [
        { image: `${registry.host}/octo-org/app:v1`, 'trusted-root': 'trusted_root.json' },
        "Input 'trusted-root' is set with engine native, which does not use one to sign",
      ],
    ];
    for (const [inputs, message] of cases) {
      const result = await runAction({
        actionDir,
        inputs: { ...nativeInputs(), ...inputs },
        env: sigstore.oidcEnv,
      });
      expect(result.exitCode).toBe(1);
      expect(result.annotations.find((a) => a.level === 'error')?.message).toContain(message);
    }
    expect(sigstore.counts).toEqual(before);
  });

  it('refuses plain-http Sigstore URLs off loopback, a private-key that is not PEM and line breaks, before any request', async () => {
    const before = { ...sigstore.counts };
    // a tag the registry cannot resolve: an input check that came after the registry call would
    // report that instead
    const image = `${registry.host}/octo-org/app:missing`;
    const cases: [Record<string, string>, string][] = [
      [
        { 'fulcio-url': 'http://fulcio.example.com' },
        "Input 'fulcio-url' is 'http://fulcio.example.com': plain http would send the OIDC token and the signature over the network unencrypted. Expected an https URL",
      ],
      [{ 'rekor-url': 'http://10.0.0.7:3000' }, "Input 'rekor-url' is 'http://10.0.0.7:3000': plain http"],
      [
        { 'rekor-url': 'ftp://rekor.example.com' },
        "Input 'rekor-url' has the value 'ftp://rekor.example.com'",
      ],
      [{ 'fulcio-url': 'https://user:pw@fulcio.example.com' }, "Input 'fulcio-url' has credentials in it"],
      [
        { engine: 'cosign', 'private-key': 'not a key' },
        "Input 'private-key' is not a PEM key. Expected the key file contents",
      ],
      [{ image: `${image}\nsignature=forged` }, "Input 'image' contains a line break (CR or LF)"],
      [
        { predicate: 'sbom.json\r\nx', 'predicate-type': 'spdxjson' },
        "Input 'predicate' contains a line break (CR or LF)",
      ],
    ];
    for (const [inputs, message] of cases) {
      const result = await runAction({
        actionDir,
        inputs: { ...nativeInputs(), image, ...inputs },
        env: sigstore.oidcEnv,
      });
      expect(result.exitCode).toBe(1);
      const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
      expect(error).toContain(message);
      expect(result.log).not.toContain('cannot be resolved');
      expect(error).not.toContain('not a key');
    }
    expect(sigstore.counts).toEqual(before);
  });

  it('accepts http for a loopback Sigstore (the double here)', () => {
    expect(sigstore.fulcioUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('says what to add when the job has no id-token permission', async () => {
    const result = await runAction({
      actionDir,
      inputs: { ...nativeInputs(), image: `${registry.host}/octo-org/app:v1` },
    });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.find((a) => a.level === 'error')?.message).toBe(
      'Keyless signing needs the job OIDC token, and this job cannot request one.\nAdd `permissions: id-token: write` to the job (or the workflow).',
    );
  });
});

describe('sign (engine cosign, stand-in binary)', () => {
  it('installs cosign from the lock file and runs it with exact argv, by digest', async () => {
    const runner = simulatedRunner(tools);
    const workspace = workspaceWithSbom();
    const result = await runAction({
      actionDir,
      workspace,
      inputs: {
        image: `${registry.host}/octo-org/app:v1`,
        predicate: 'sbom.spdx.json',
        'predicate-type': 'spdxjson',
        'fulcio-url': sigstore.fulcioUrl,
        'rekor-url': sigstore.rekorUrl,
      },
      env: runner.env(),
    });
    expect(result.log).not.toContain('::error');
    expect(result.exitCode).toBe(0);
    const pinned = `${registry.host}/octo-org/app@${digest}`;
    const calls = runner
      .calls()
      .filter((c) => c.tool === 'cosign' && c.argv[0] !== 'version' && c.argv[0] !== '--version');
    const bundleOf = (argv: string[]) => argv[argv.indexOf('--bundle') + 1] as string;
    expect(calls.map((c) => c.argv)).toEqual([
      [
        'sign',
        '--yes',
        '--use-signing-config=false',
        '--fulcio-url',
        sigstore.fulcioUrl,
        '--rekor-url',
        sigstore.rekorUrl,
        '--bundle',
        bundleOf(calls[0]!.argv),
        '--',
        pinned,
      ],
      [
        'attest',
        '--yes',
        '--type',
        'spdxjson',
        '--predicate',
        join(workspace, 'sbom.spdx.json'),
        '--use-signing-config=false',
        '--fulcio-url',
        sigstore.fulcioUrl,
        '--rekor-url',
        sigstore.rekorUrl,
        '--bundle',
        bundleOf(calls[1]!.argv),
        '--',
        pinned,
      ],
    ]);
    expect(bundleOf(calls[0]!.argv).startsWith(join(runner.root, 'temp', 'slipway-cosign-'))).toBe(true);
    expect(result.outputs.digest).toBe(digest);
  });
});

describe('sign (engine native) behind a token-authenticated registry', () => {
  it('signs in with the docker config credentials (Bearer challenge) to resolve and to push', async () => {
    const { startTokenAuthProxy } = await import('../doubles/oci-registry/token-auth-proxy.ts');
    const proxy = await startTokenAuthProxy({
      upstream: registry.url,
      username: 'octocat',
      password: 'reg-secret-pw',
    });
    try {
      const dockerConfig = mkdtempSync(join(tmpdir(), 'docker-config-'));
      const auth = Buffer.from('octocat:reg-secret-pw').toString('base64');
      writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [proxy.host]: { auth } } }));
      const result = await runAction({
        actionDir,
        inputs: { ...nativeInputs(), image: `${proxy.host}/octo-org/app:v1` },
        env: { ...sigstore.oidcEnv, DOCKER_CONFIG: dockerConfig },
      });
      expect(result.annotations.filter((a) => a.level === 'error')).toEqual([]);
      expect(result.outputs.digest).toBe(digest);
      expect(result.outputs.signature).toMatch(
        new RegExp(`^${proxy.host}/octo-org/app@sha256:[0-9a-f]{64}$`),
      );
      // the referrer manifests were pushed with tokens the token service minted for these credentials
      const manifestPuts = proxy.requests.filter((r) => r.method === 'PUT' && r.path.includes('/manifests/'));
      expect(manifestPuts.length).toBeGreaterThan(0);
      for (const put of manifestPuts) {
        expect(proxy.tokens.map((t) => `Bearer ${t}`)).toContain(put.authorization);
      }
      expect(findLeaks(result, ['reg-secret-pw', ...proxy.tokens.slice(0, 1)])).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('fails with a user error naming the registry when the credentials are wrong', async () => {
    const { startTokenAuthProxy } = await import('../doubles/oci-registry/token-auth-proxy.ts');
    const proxy = await startTokenAuthProxy({
      upstream: registry.url,
      username: 'octocat',
      password: 'right',
    });
    try {
      const result = await runAction({
        actionDir,
        inputs: {
          ...nativeInputs(),
          image: `${proxy.host}/octo-org/app:v1`,
          'registry-username': 'octocat',
          'registry-password': 'wrong-password',
        },
        env: sigstore.oidcEnv,
      });
      expect(result.exitCode).toBe(1);
      expect(result.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
        `The registry token service ${proxy.url}/token refused a token for octo-org/app (HTTP 401).\nCheck the registry credentials and that they may pull this repository.`,
      ]);
      expect(findLeaks(result, ['wrong-password'])).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });
});
