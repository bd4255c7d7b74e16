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
  type TokenClaims,
} from '../doubles/sigstore/sigstore-services.ts';
import { startSigningServices, stopSigningServices } from './support/signing-services.ts';
import { pushMultiPlatformImage } from './support/multi-platform-image.ts';
import { startVouchingCosignReleases } from '../workflow-runner/vouching-cosign.ts';
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
      `No Sigstore signature bundle is attached to ${registry.host}/octo-org/app@${unsignedDigest}.\nCheck certificate-identity and certificate-oidc-issuer against the workflow that signed the image, and the run constraints (certificate-github-workflow-repository, source-repository-ref, allowed-triggers, caller-workflow, source-repository-id, source-repository-owner-id) against the run that built it.`,
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
        'certificate-identity-regexp': '^https://github\\.com/octo-org/.*',
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
        '^(?:^https://github\\.com/octo-org/.*)$',
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

/** Pushes a new image and signs it keyless (engine native) under the given token claims. */
async function signedUnder(tag: string, claims: Partial<TokenClaims>): Promise<string> {
  const pushed = await registry.pushImage('octo-org/app', tag);
  sigstore.setClaims(claims);
  try {
    const signed = await runAction({
      actionDir: signAction,
      workspace,
      inputs: {
        image: `${registry.host}/octo-org/app@${pushed}`,
        engine: 'native',
        'fulcio-url': sigstore.fulcioUrl,
        'rekor-url': sigstore.rekorUrl,
      },
      env: sigstore.oidcEnv,
    });
    if (signed.exitCode !== 0) throw new Error(`signing ${tag} failed:\n${signed.log}`);
  } finally {
    sigstore.setClaims({});
  }
  return `${registry.host}/octo-org/app@${pushed}`;
}

// What deploy-gate checks by default: a shared signing workflow (same SAN for every caller, branch
// and event), run by octo-org/octo-repo (IDs 700001/900001) from its release.yml on a push to main.
const SHARED =
  'slipway/slipway/.github/workflows/build-sign-push.yml@0123456789abcdef0123456789abcdef01234567';
const PRODUCTION: Partial<TokenClaims> = { jobWorkflowRef: SHARED };
const gatePolicy = {
  'certificate-identity': `https://github.com/${SHARED}`,
  'certificate-github-workflow-repository': 'octo-org/octo-repo',
  'source-repository-ref': 'refs/heads/main',
  'allowed-triggers': 'push',
  'caller-workflow': 'octo-org/octo-repo/.github/workflows/release.yml',
  'source-repository-id': '700001',
  'source-repository-owner-id': '900001',
};

describe('verify run constraints (engine native): who, where and why the shared workflow signed', () => {
  let production: string;
  beforeAll(async () => {
    production = await signedUnder('production', PRODUCTION);
  });

  it('the production run (push to main from release.yml, this repository and owner ID) passes', async () => {
    const result = await verify({ image: production, ...gatePolicy, type: '' });
    expect(errors(result)).toEqual([]);
    expect(result.outputs.verified).toBe('1');
    expect(result.summary).toContain(
      'run in octo-org/octo-repo, repository ID 700001, owner ID 900001, on refs/heads/main, triggered by push, from octo-org/octo-repo/.github/workflows/release.yml',
    );
  });

  it.each([
    [
      'a push to a feature branch',
      { ref: 'refs/heads/feature' },
      { 'source-repository-ref': 'refs/heads/main' },
      "signed by a run on 'refs/heads/feature', not 'refs/heads/main'",
    ],
    [
      'a pull_request run',
      { ref: 'refs/pull/7/merge', eventName: 'pull_request' },
      { 'allowed-triggers': 'push' },
      "signed by a run triggered by 'pull_request', not 'push'",
    ],
    [
      'a workflow_dispatch run on main (e.g. with fail-on: none)',
      { eventName: 'workflow_dispatch' },
      { 'allowed-triggers': 'push, release' },
      "signed by a run triggered by 'workflow_dispatch', not 'push' or 'release'",
    ],
    [
      'another caller workflow of the same repository, on main',
      { workflowRef: 'octo-org/octo-repo/.github/workflows/debug.yml@refs/heads/main' },
      { 'caller-workflow': 'octo-org/octo-repo/.github/workflows/release.yml' },
      "signed by a run of the workflow 'octo-org/octo-repo/.github/workflows/debug.yml@refs/heads/main', not 'octo-org/octo-repo/.github/workflows/release.yml'",
    ],
    [
      'a re-created repository of the same name (repo-jacking)',
      { repositoryId: '800002', repositoryOwnerId: '900002' },
      { 'source-repository-id': '700001' },
      'signed in repository ID 800002, not 700001',
    ],
    [
      'a repository of another owner that took the owner name',
      { repositoryOwnerId: '900002' },
      { 'source-repository-owner-id': '900001' },
      'signed in a repository of owner ID 900002, not 900001',
    ],
  ] as const)(
    '%s is refused by that one constraint, and by the whole gate policy',
    async (_what, claims, constraint, reason) => {
      const image = await signedUnder(
        `c-${Object.values(claims)
          .join('-')
          .replace(/[^a-z0-9-]/gi, '')
          .toLowerCase()}`.slice(0, 120),
        {
          ...PRODUCTION,
          ...claims,
        },
      );
      const identityOnly = await verify({ image, 'certificate-identity': `https://github.com/${SHARED}` });
      expect(errors(identityOnly)).toEqual([]);
      const one = await verify({
        image,
        'certificate-identity': `https://github.com/${SHARED}`,
        ...constraint,
      });
      expect(one.exitCode).toBe(1);
      expect(errors(one)[0]).toContain(reason);
      const whole = await verify({ image, ...gatePolicy });
      expect(whole.exitCode).toBe(1);
      expect(errors(whole)[0]).toMatch(
        /is a valid signature for the required identity:\n {2}- sha256:[0-9a-f]{64}: /,
      );
    },
  );

  it('the caller workflow may name its ref too', async () => {
    const pass = await verify({
      image: production,
      ...gatePolicy,
      'caller-workflow': 'octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main',
    });
    expect(errors(pass)).toEqual([]);
    const fail = await verify({
      image: production,
      ...gatePolicy,
      'caller-workflow': 'octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1',
    });
    expect(errors(fail)[0]).toContain(
      "signed by a run of the workflow 'octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main', not 'octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1'",
    );
  });

  it('an identity regexp matches the whole identity: a prefix that matched before no longer does', async () => {
    const result = await verify({
      image: production,
      'certificate-identity-regexp': 'https://github\\.com/slipway/',
    });
    expect(result.exitCode).toBe(1);
    expect(errors(result)[0]).toContain('which does not match /^(?:https:\\/\\/github\\.com\\/slipway\\/)$/');
    const whole = await verify({
      image: production,
      'certificate-identity-regexp': 'https://github\\.com/slipway/.*',
    });
    expect(errors(whole)).toEqual([]);
  });

  it.each([
    [
      { 'certificate-identity-regexp': 'https://github\\.com/(?!evil).*' },
      "Input 'certificate-identity-regexp' uses lookaround at offset 20",
    ],
    [
      { 'certificate-identity': 'x\nverified=99' },
      "Input 'certificate-identity' contains a line break (CR or LF)",
    ],
    [
      { 'certificate-identity': 'x', 'source-repository-ref': 'refs/heads/main\rrefs/heads/x' },
      "Input 'source-repository-ref' contains a line break",
    ],
    [
      { 'certificate-identity': 'x', 'source-repository-id': 'octo-org/octo-repo' },
      "Input 'source-repository-id' is 'octo-org/octo-repo'",
    ],
    [
      { 'certificate-identity': 'x', 'caller-workflow': 'release.yml' },
      "Input 'caller-workflow' is 'release.yml'",
    ],
    [
      { 'certificate-identity': 'x', 'allowed-triggers': 'push\npull request' },
      "Input 'allowed-triggers' is 'pull request'",
    ],
  ])('rejects %j before any network call', async (inputs, message) => {
    const result = await verify({ image: `${registry.host}/octo-org/does-not-exist:v1`, ...inputs });
    expect(result.exitCode).toBe(1);
    expect(errors(result)[0]).toContain(message);
    expect(result.log).not.toContain('does-not-exist@');
  });

  describe('engine cosign (vouching stand-in): what cosign cannot check is checked on the bundles', () => {
    let vouching: ToolReleases;
    beforeAll(async () => {
      vouching = await startVouchingCosignReleases();
    });
    afterAll(() => vouching?.server.close());
    const cosignVerify = (inputs: Record<string, string>) => {
      const runner = simulatedRunner(vouching);
      return {
        runner,
        result: runAction({
          actionDir: verifyAction,
          workspace,
          inputs: { engine: 'cosign', 'trusted-root': 'trusted_root.json', ...inputs },
          env: runner.env(),
        }),
      };
    };

    it('passes the production image; ref and trigger go to cosign, the rest is checked natively', async () => {
      const { runner, result } = cosignVerify({ image: production, ...gatePolicy });
      const done = await result;
      expect(errors(done)).toEqual([]);
      expect(done.outputs.verified).toBe('1');
      const argv = runner.calls().filter((c) => c.tool === 'cosign' && c.argv[0] === 'verify')[0]?.argv;
      expect(argv).toEqual([
        'verify',
        '--certificate-identity',
        `https://github.com/${SHARED}`,
        '--certificate-oidc-issuer',
        GITHUB_ISSUER,
        '--certificate-github-workflow-repository',
        'octo-org/octo-repo',
        '--certificate-github-workflow-ref',
        'refs/heads/main',
        '--certificate-github-workflow-trigger',
        'push',
        '--trusted-root',
        join(workspace, 'trusted_root.json'),
        '--output',
        'json',
        '--',
        production,
      ]);
      expect(done.log).toContain(
        'cosign cannot check caller-workflow, source-repository-id, source-repository-owner-id: verifying the Sigstore bundles',
      );
    });

    it('refuses an image from a re-created repository even though cosign vouched for it', async () => {
      const image = await signedUnder('cosign-rejacked', { ...PRODUCTION, repositoryId: '800003' });
      const done = await cosignVerify({ image, ...gatePolicy }).result;
      expect(done.exitCode).toBe(1);
      expect(errors(done)[0]).toMatch(
        /^cosign verified the signature, but the constraints it cannot check \(caller-workflow, source-repository-id, source-repository-owner-id\) failed: None of the 1 Sigstore bundle\(s\) .*\n {2}- sha256:[0-9a-f]{64}: signed in repository ID 800003, not 700001/s,
      );
    });

    it('an image without Sigstore bundles (another signature format) fails: the constraint is never skipped', async () => {
      const done = await cosignVerify({ image: `${registry.host}/octo-org/app:unsigned`, ...gatePolicy })
        .result;
      expect(done.exitCode).toBe(1);
      expect(errors(done)[0]).toContain(
        'cosign verified the signature, but the constraints it cannot check (caller-workflow, source-repository-id, source-repository-owner-id) failed: No Sigstore signature bundle is attached',
      );
    });
  });
});

describe('gate-policy attestation (sign and verify, engine native)', () => {
  const COUNTS = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
  /** Attests a gate-policy predicate to `image` (pinned), or to a new single image tagged `tag`. */
  const attestPolicy = async (
    tag: string,
    policy: object,
    { image, platforms }: { image?: string; platforms?: object[] } = {},
  ) => {
    const pinned = image ?? `${registry.host}/octo-org/app@${await registry.pushImage('octo-org/app', tag)}`;
    writeFileSync(
      join(workspace, `${tag}.json`),
      JSON.stringify({
        scanner: { name: 'trivy', version: '0.74.0', dbVersion: null },
        policy,
        result: { gate: 'pass', findings: 0, counts: COUNTS, ...(platforms ? { platforms } : {}) },
      }),
    );
    const attested = await runAction({
      actionDir: signAction,
      workspace,
      inputs: {
        image: pinned,
        engine: 'native',
        sign: 'false',
        predicate: `${tag}.json`,
        'predicate-type': 'gate-policy',
        'fulcio-url': sigstore.fulcioUrl,
        'rekor-url': sigstore.rekorUrl,
      },
      env: sigstore.oidcEnv,
    });
    expect(attested.exitCode, attested.log).toBe(0);
    return pinned;
  };

  it('accepts a scan gated at HIGH, refuses fail-on none unless max-fail-on is none', async () => {
    const strict = await attestPolicy('gate-high', { failOn: 'HIGH', ignoreUnfixed: false });
    const loose = await attestPolicy('gate-none', { failOn: 'none', ignoreUnfixed: false });
    const base = { 'certificate-identity': sigstore.identity, type: 'gate-policy' };
    const passed = await verify({ image: strict, ...base });
    expect(errors(passed)).toEqual([]);
    expect(passed.outputs.verified).toBe('1');
    expect(passed.summary).toContain('gate at HIGH or stricter');
    const refused = await verify({ image: loose, ...base });
    expect(refused.exitCode).toBe(1);
    expect(errors(refused)[0]).toContain(
      'the image was scanned with fail-on none (the gate never fails); at most HIGH is required',
    );
    const lenient = await verify({ image: loose, ...base, 'max-fail-on': 'none' });
    expect(errors(lenient)).toEqual([]);
    const critical = await verify({ image: strict, ...base, 'max-fail-on': 'MEDIUM' });
    expect(errors(critical)[0]).toContain(
      'the image was scanned with a gate at HIGH, weaker than the required MEDIUM',
    );
  });

  it('an image index: the gate policy must hold a passing verdict for every platform image (read from the registry); an SBOM attestation is verified on each platform image', async () => {
    // two copies of one buildx-shaped index (amd64, arm64/v8, an attestation manifest), one per repository
    const [full, partial] = await Promise.all(
      ['octo-org/multi-full', 'octo-org/multi-partial'].map((r) =>
        pushMultiPlatformImage(registry.host, r, '1.0'),
      ),
    );
    const verdict = (platform: string, digest: string) => ({
      platform,
      digest,
      gate: 'pass',
      findings: 0,
      counts: COUNTS,
    });
    const policy = { failOn: 'HIGH', ignoreUnfixed: false, severity: 'UNKNOWN' };
    await attestPolicy('index-full', policy, {
      image: full!.pinned,
      platforms: [verdict('linux/amd64', full!.amd64), verdict('linux/arm64/v8', full!.arm64)],
    });
    await attestPolicy('index-partial', policy, {
      image: partial!.pinned,
      platforms: [verdict('linux/amd64', partial!.amd64)],
    });
    const base = { 'certificate-identity': sigstore.identity, type: 'gate-policy' };
    const passed = await verify({ image: full!.tagged, ...base });
    expect(errors(passed), passed.log).toEqual([]);
    expect(passed.outputs.verified).toBe('1');
    expect(passed.log).toContain(
      `${full!.pinned} is an image index; its gate policy must cover linux/amd64, linux/arm64/v8.`,
    );
    const refused = await verify({ image: partial!.pinned, ...base });
    expect(refused.exitCode).toBe(1);
    expect(errors(refused)[0]).toContain(
      `the gate-policy predicate has no verdict for linux/arm64/v8 (${partial!.arm64}) of the index`,
    );
    // the attestation manifest of the index is not a platform image: never required
    expect(errors(refused)[0]).not.toContain(partial!.attestation);

    // an SBOM attestation of an index is verified on each platform image: the one without fails by name
    const bom = async (image: string) => {
      const attested = await runAction({
        actionDir: signAction,
        workspace,
        inputs: {
          image,
          engine: 'native',
          sign: 'false',
          predicate: 'bom.json',
          'predicate-type': 'cyclonedx',
          'fulcio-url': sigstore.fulcioUrl,
          'rekor-url': sigstore.rekorUrl,
        },
        env: sigstore.oidcEnv,
      });
      expect(attested.exitCode, attested.log).toBe(0);
    };
    const repo = (r: string) => `${registry.host}/octo-org/${r}`;
    await Promise.all([
      bom(`${repo('multi-full')}@${full!.amd64}`),
      bom(`${repo('multi-full')}@${full!.arm64}`),
      bom(`${repo('multi-partial')}@${partial!.amd64}`),
    ]);
    const sbomOf = (image: string) =>
      verify({ image, 'certificate-identity': sigstore.identity, type: 'cyclonedx' });
    const allPlatforms = await sbomOf(full!.pinned);
    expect(errors(allPlatforms), allPlatforms.log).toEqual([]);
    expect(allPlatforms.outputs.verified).toBe('1');
    expect(allPlatforms.log).toContain(
      `Verifying the cyclonedx attestation of linux/arm64/v8: ${repo('multi-full')}@${full!.arm64}.`,
    );
    const onePlatform = await sbomOf(partial!.pinned);
    expect(onePlatform.exitCode).toBe(1);
    expect(errors(onePlatform)[0]).toContain(
      `The cyclonedx attestation of linux/arm64/v8 (${repo('multi-partial')}@${partial!.arm64}) of the image index ${partial!.pinned} did not verify: No Sigstore attestation of type https://cyclonedx.org/bom bundle is attached to ${repo('multi-partial')}@${partial!.arm64}.`,
    );
  });

  it('refuses a gate-policy predicate of another shape before signing, and max-fail-on without type gate-policy', async () => {
    writeFileSync(join(workspace, 'not-a-policy.json'), '{"policy":{"failOn":"HIGH"}}');
    const signed = await runAction({
      actionDir: signAction,
      workspace,
      inputs: {
        image: `${registry.host}/octo-org/app:v1`,
        engine: 'native',
        sign: 'false',
        predicate: 'not-a-policy.json',
        'predicate-type': 'gate-policy',
        'fulcio-url': sigstore.fulcioUrl,
        'rekor-url': sigstore.rekorUrl,
      },
      env: sigstore.oidcEnv,
    });
    expect(signed.exitCode).toBe(1);
    expect(signed.annotations.find((a) => a.level === 'error')?.message).toContain(
      "(input 'predicate') is not a Slipway gate-policy predicate",
    );
    const misplaced = await verify({
      image: `${registry.host}/octo-org/app:v1`,
      'certificate-identity': sigstore.identity,
      type: 'spdxjson',
      'max-fail-on': 'HIGH',
    });
    expect(errors(misplaced)[0]).toBe(
      "Input 'max-fail-on' is set with type spdxjson. Expected it only with type gate-policy.",
    );
  });
});
