/**
 * The committed dist/verify bundle through the runner harness, engine native:
 * an image on a real loopback registry is signed and attested by dist/sign
 * against the @sigstore/mock services, then verified with the mock's trust root
 * (a TrustedRoot JSON file: the `trusted-root` input). The double's Fulcio embeds
 * an SCT from its CT log, so verification requires one, as in production.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { node24Path } from '../harness/node-versions.ts';
import { runAction } from '../harness/run-action.ts';
import type { RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import { simulatedRunner, type ToolReleases } from '../doubles/release-assets/action-env.ts';
import {
  GITHUB_ISSUER,
  startSigstoreServices,
  type SigstoreServices,
} from '../doubles/sigstore/sigstore-services.ts';
import { startSigningServices, stopSigningServices } from './support/signing-services.ts';
import { sharedFixture } from '../shared-fixtures.ts';

const signAction = resolve(import.meta.dirname, '../../actions/sign');
const verifyAction = resolve(import.meta.dirname, '../../actions/verify');
let registry: RegistryServer;
let sigstore: SigstoreServices;
let digest: string;
let unsignedDigest: string;
let workspace: string;
let tools: ToolReleases;

beforeAll(async () => {
  ({ registry, sigstore, tools, digest } = await startSigningServices());
  unsignedDigest = await registry.pushImage('octo-org/app', 'unsigned');
  workspace = mkdtempSync(join(tmpdir(), 'verify-ws-'));
  copyFileSync(sharedFixture('syft/image.cyclonedx.json'), join(workspace, 'bom.json'));
  writeFileSync(join(workspace, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot()));
  const signed = await runAction({
    actionDir: signAction,
    workspace,
    inputs: {
      image: `${registry.host}/octo-org/app:v1`,
      engine: 'native',
      predicate: 'bom.json',
      'predicate-type': 'cyclonedx',
      'fulcio-url': sigstore.fulcioUrl,
      'rekor-url': sigstore.rekorUrl,
    },
    env: sigstore.oidcEnv,
  });
  if (signed.exitCode !== 0) throw new Error(`signing for the verify tests failed:\n${signed.log}`);
});
afterAll(() => stopSigningServices({ registry, sigstore, tools }));

const verify = (inputs: Record<string, string>, node?: string) =>
  runAction({
    actionDir: verifyAction,
    ...(node ? { node } : {}),
    workspace,
    inputs: {
      engine: 'native',
      'trusted-root': 'trusted_root.json',
      ...inputs,
    },
  });
const errors = (result: Awaited<ReturnType<typeof verify>>) =>
  result.annotations.filter((a) => a.level === 'error').map((a) => a.message);

describe('verify (engine native)', () => {
  it('passes with the signing identity (tag resolved to the digest)', async () => {
    const result = await verify({
      image: `${registry.host}/octo-org/app:v1`,
      'certificate-identity': sigstore.identity,
    });
    expect(errors(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({
      digest,
      image: `${registry.host}/octo-org/app@${digest}`,
      verified: '1',
      identities: sigstore.identity,
    });
    expect(result.log).toContain(`Verified bundle sha256:`);
    expect(result.log).toContain(`signed by ${sigstore.identity} (issuer ${GITHUB_ISSUER})`);
  });

  it("passes under node 24, the runner's node", async () => {
    const result = await verify(
      {
        image: `${registry.host}/octo-org/app:v1`,
        'certificate-identity': sigstore.identity,
        type: 'cyclonedx',
      },
      node24Path(),
    );
    expect(errors(result)).toEqual([]);
    expect(result.outputs.verified).toBe('1');
  }, 240_000);

  it('passes with an identity regexp, and verifies the CycloneDX attestation', async () => {
    const result = await verify({
      image: `${registry.host}/octo-org/app@${digest}`,
      'certificate-identity-regexp':
        '^https://github\\.com/octo-org/octo-repo/\\.github/workflows/release\\.yml@refs/heads/main$',
      type: 'cyclonedx',
    });
    expect(errors(result)).toEqual([]);
    expect(result.outputs.verified).toBe('1');
  });

  it('fails with the wrong identity and says whose signature it found', async () => {
    const wrong = 'https://github.com/octo-org/octo-repo/.github/workflows/other.yml@refs/heads/main';
    const result = await verify({ image: `${registry.host}/octo-org/app:v1`, 'certificate-identity': wrong });
    expect(result.exitCode).toBe(1);
    const [message] = errors(result);
    expect(message).toMatch(
      new RegExp(
        `^None of the 1 Sigstore bundle\\(s\\) attached to ${registry.host}/octo-org/app@${digest} is a valid signature for the required identity:\n  - sha256:[0-9a-f]{64}: signed by '${sigstore.identity}', not '${wrong}'\n`,
      ),
    );
  });

  it('checks the workflow repository claim, and names it in the summary', async () => {
    const result = await verify({
      image: `${registry.host}/octo-org/app:v1`,
      'certificate-identity': sigstore.identity,
      'certificate-github-workflow-repository': 'octo-org/octo-repo',
    });
    expect(errors(result)).toEqual([]);
    expect(result.outputs.verified).toBe('1');
    expect(result.summary).toContain(`${sigstore.identity}, run in octo-org/octo-repo`);
  });

  it('tells two callers of one shared signing workflow apart by their repository', async () => {
    // A reusable signing workflow gives every caller's certificate the same SAN; the
    // repository claims are the only difference. Another repository signs its own image
    // with the shared workflow, then the attacker's digest is offered for deployment.
    const shared =
      'slipway/slipway/.github/workflows/build-sign-push.yml@0123456789abcdef0123456789abcdef01234567';
    const otherDigest = await registry.pushImage('octo-org/app', 'from-fork');
    sigstore.setClaims({ repository: 'evil-org/fork', jobWorkflowRef: shared });
    try {
      const signed = await runAction({
        actionDir: signAction,
        workspace,
        inputs: {
          image: `${registry.host}/octo-org/app@${otherDigest}`,
          engine: 'native',
          'fulcio-url': sigstore.fulcioUrl,
          'rekor-url': sigstore.rekorUrl,
        },
        env: sigstore.oidcEnv,
      });
      expect(signed.exitCode, signed.log).toBe(0);
    } finally {
      sigstore.setClaims({});
    }
    const image = `${registry.host}/octo-org/app@${otherDigest}`;
    const identityOnly = await verify({ image, 'certificate-identity': `https://github.com/${shared}` });
    expect(identityOnly.exitCode).toBe(0);
    const constrained = await verify({
      image,
      'certificate-identity': `https://github.com/${shared}`,
      'certificate-github-workflow-repository': 'octo-org/app',
    });
    expect(constrained.exitCode).toBe(1);
    expect(errors(constrained)[0]).toContain(
      "signed by a workflow run of 'evil-org/fork', not 'octo-org/app'",
    );
  });

  it('requires an SCT in the certificate unless insecure-ignore-sct is set', async () => {
    const noCtLog = await startSigstoreServices({ ctLog: false });
    try {
      const bare = await registry.pushImage('octo-org/app', 'no-sct');
      const image = `${registry.host}/octo-org/app@${bare}`;
      const signed = await runAction({
        actionDir: signAction,
        workspace,
        inputs: { image, engine: 'native', 'fulcio-url': noCtLog.fulcioUrl, 'rekor-url': noCtLog.rekorUrl },
        env: noCtLog.oidcEnv,
      });
      expect(signed.exitCode, signed.log).toBe(0);
      writeFileSync(join(workspace, 'no_ct_root.json'), JSON.stringify(noCtLog.trustedRoot()));
      const inputs = { image, 'certificate-identity': noCtLog.identity, 'trusted-root': 'no_ct_root.json' };
      const strict = await verify(inputs);
      expect(strict.exitCode).toBe(1);
      expect(errors(strict)[0]).toMatch(/: .*SCT/);
      const lenient = await verify({ ...inputs, 'insecure-ignore-sct': 'true' });
      expect(errors(lenient)).toEqual([]);
      expect(lenient.outputs.verified).toBe('1');
    } finally {
      await noCtLog.stop();
    }
  });

  it('fails with the wrong issuer', async () => {
    const result = await verify({
      image: `${registry.host}/octo-org/app:v1`,
      'certificate-identity': sigstore.identity,
      'certificate-oidc-issuer': 'https://accounts.google.com',
    });
    expect(result.exitCode).toBe(1);
    expect(errors(result)[0]).toContain(`issued by '${GITHUB_ISSUER}', not 'https://accounts.google.com'`);
  });

  it('fails for an attestation type that was never attested, and for an unsigned image', async () => {
    const spdx = await verify({
      image: `${registry.host}/octo-org/app:v1`,
      'certificate-identity': sigstore.identity,
      type: 'spdxjson',
    });
    expect(spdx.exitCode).toBe(1);
    expect(errors(spdx)[0]).toContain(
      'predicate type https://cyclonedx.org/bom, not https://spdx.dev/Document',
    );
    const unsigned = await verify({
      image: `${registry.host}/octo-org/app:unsigned`,
      'certificate-identity': sigstore.identity,
    });
    expect(unsigned.exitCode).toBe(1);
    expect(errors(unsigned)[0]).toBe(
      `No Sigstore signature bundle is attached to ${registry.host}/octo-org/app@${unsignedDigest}.\nCheck certificate-identity and certificate-oidc-issuer against the workflow that signed the image.`,
    );
  });

  it('fails when the trust root is not the one that issued the certificate', async () => {
    const other = await startSigstoreServices();
    writeFileSync(join(workspace, 'other_root.json'), JSON.stringify(other.trustedRoot()));
    await other.stop();
    const result = await verify({
      image: `${registry.host}/octo-org/app:v1`,
      'certificate-identity': sigstore.identity,
      'trusted-root': 'other_root.json',
    });
    expect(result.exitCode).toBe(1);
    expect(errors(result)[0]).toMatch(
      /is a valid signature for the required identity:\n {2}- sha256:[0-9a-f]{64}: failed to verify certificate chain/i,
    );
  });

  it('refuses to run without an identity constraint, before any network call', async () => {
    const result = await verify({ image: `${registry.host}/octo-org/does-not-exist:v1` });
    expect(result.exitCode).toBe(1);
    expect(errors(result)).toEqual([
      "Input 'certificate-identity' is not set (nor certificate-identity-regexp); verifying without an identity constraint would accept a signature by anyone. Expected the signing workflow identity, e.g. `https://github.com/OWNER/REPO/.github/workflows/release.yml@refs/heads/main`.",
    ]);
  });

  it.each([
    [
      { 'certificate-identity': 'x', 'certificate-identity-regexp': 'y' },
      "Input 'certificate-identity-regexp' is set together with certificate-identity",
    ],
    [
      { 'certificate-identity-regexp': '(' },
      "Input 'certificate-identity-regexp' is not a valid regular expression",
    ],
    [{ key: 'awskms:///alias/x' }, "Input 'key' is set with engine native"],
    [
      { 'certificate-identity': 'x', 'certificate-github-workflow-repository': 'https://github.com/o/r' },
      "Input 'certificate-github-workflow-repository' is 'https://github.com/o/r'. Expected a repository as OWNER/REPO",
    ],
    [{ 'certificate-identity': 'x', type: 'spdx' }, "Input 'type' has the value 'spdx'"],
    [{ 'certificate-identity': 'x', 'trusted-root': 'nope.json' }, 'The trusted root file'],
    [
      { 'certificate-identity': 'x', 'insecure-ignore-tlog': 'true' },
      "Input 'insecure-ignore-tlog' is true without key; a keyless signature is only trusted through its transparency-log entry",
    ],
  ])('rejects %j', async (inputs, message) => {
    const result = await verify({ image: `${registry.host}/octo-org/app:v1`, ...inputs });
    expect(result.exitCode).toBe(1);
    expect(errors(result)[0]).toContain(message);
  });
});

describe('verify (engine cosign, stand-in binary)', () => {
  it('runs cosign verify-attestation with exact argv by digest, and fails when it vouches for nothing', async () => {
    const runner = simulatedRunner(tools);
    const result = await runAction({
      actionDir: verifyAction,
      workspace,
      inputs: {
        image: `${registry.host}/octo-org/app:v1`,
        'certificate-identity-regexp': '^https://github\\.com/octo-org/',
        'certificate-github-workflow-repository': 'octo-org/app',
        type: 'cyclonedx',
        'trusted-root': 'trusted_root.json',
      },
      env: runner.env(),
    });
    const pinned = `${registry.host}/octo-org/app@${digest}`;
    const calls = runner
      .calls()
      .filter((c) => c.tool === 'cosign' && !['version', '--version'].includes(c.argv[0] ?? ''));
    expect(calls.map((c) => c.argv)).toEqual([
      [
        'verify-attestation',
        '--type',
        'cyclonedx',
        '--certificate-identity-regexp',
        '^https://github\\.com/octo-org/',
        '--certificate-oidc-issuer',
        GITHUB_ISSUER,
        '--certificate-github-workflow-repository',
        'octo-org/app',
        '--trusted-root',
        join(workspace, 'trusted_root.json'),
        '--output',
        'json',
        '--',
        pinned,
      ],
    ]);
    // the stand-in exits 0 and prints nothing: that must not pass as verified
    expect(result.exitCode).toBe(1);
    expect(errors(result)).toEqual([
      `Verification failed: cosign verify-attestation printed no statement about ${digest} (stdout: )\ncosign reported success but printed nothing about the requested digest; the step fails rather than trust that.`,
    ]);
  });
});
