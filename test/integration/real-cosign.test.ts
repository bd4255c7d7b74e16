/**
 * The committed dist/sign and dist/verify bundles with `engine: cosign` running the REAL cosign
 * v3.1.3 (built from its Go module by scripts/real-tools.js), installed by the actions from the
 * release-asset double with a lock file holding the real binary's sha256: key-pair signing
 * (`cosign generate-key-pair`, the key passed as a secret), attestations with spdxjson,
 * cyclonedx and slsaprovenance predicates, keyless signing against the Sigstore double (Fulcio CA
 * and Rekor on loopback, its trusted root), and `verify` / `verify-attestation` of all of them,
 * on a real registry (docker-registry on loopback, which has no referrers API: cosign and Slipway
 * use the `sha256-<hex>` tag index).
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLeaks, runAction, type ActionRunResult } from '../harness/run-action.ts';
import type { RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import type { SigstoreServices } from '../doubles/sigstore/sigstore-services.ts';
import type { ToolReleases } from '../doubles/release-assets/action-env.ts';
import { startSigningServices, stopSigningServices } from './support/signing-services.ts';
import {
  SLSA_V02_PREDICATE,
  generateKeyPair,
  realCosignJobEnv,
  serveRealCosign,
  type RealCosign,
} from './support/real-cosign.ts';
import { sharedFixture } from '../shared-fixtures.ts';

const signAction = resolve(import.meta.dirname, '../../actions/sign');
const verifyAction = resolve(import.meta.dirname, '../../actions/verify');
const TIMEOUT = 120_000;

let registry: RegistryServer;
let sigstore: SigstoreServices;
let tools: ToolReleases;
let cosign: RealCosign;
let runnerRoot: string;
let workspace: string;
let keys: Awaited<ReturnType<typeof generateKeyPair>>;

beforeAll(async () => {
  ({ registry, sigstore, tools } = await startSigningServices());
  cosign = serveRealCosign(tools);
  runnerRoot = mkdtempSync(join(tmpdir(), 'real-cosign-runner-'));
  workspace = mkdtempSync(join(tmpdir(), 'real-cosign-ws-'));
  copyFileSync(sharedFixture('syft/image.spdx.json'), join(workspace, 'sbom.spdx.json'));
  copyFileSync(sharedFixture('syft/image.cyclonedx.json'), join(workspace, 'bom.cdx.json'));
  writeFileSync(join(workspace, 'provenance.json'), JSON.stringify(SLSA_V02_PREDICATE));
  writeFileSync(join(workspace, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot()));
  keys = await generateKeyPair(cosign, 'k3y-pa55word');
}, TIMEOUT);
afterAll(async () => {
  await stopSigningServices({ registry, sigstore, tools });
  // each job installs the real cosign (about 100 MB) into its tool and cache folders: leave nothing behind
  for (const dir of [runnerRoot, workspace]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const job = (extra: Record<string, string> = {}) => realCosignJobEnv(cosign, tools, runnerRoot, extra);
const errors = (result: ActionRunResult) =>
  result.annotations.filter((a) => a.level === 'error').map((a) => a.message);

const sign = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runAction({ actionDir: signAction, workspace, inputs: { engine: 'cosign', ...inputs }, env: job(env) });
const verify = (inputs: Record<string, string>) =>
  runAction({ actionDir: verifyAction, workspace, inputs: { engine: 'cosign', ...inputs }, env: job() });

/** The key-pair inputs of sign: the private key and its password come from secrets. */
const keyPair = () => ({
  'private-key': keys.privateKey,
  'private-key-password': keys.password,
  'tlog-upload': 'false',
});

describe('sign and verify with a cosign key pair (real cosign 3.1.3, no Rekor)', () => {
  let digest: string;
  let image: string;
  beforeAll(async () => {
    digest = await registry.pushImage('octo-org/keyed', 'v1');
    image = `${registry.host}/octo-org/keyed`;
  }, TIMEOUT);

  it(
    'installs the real cosign by its locked sha256, signs the digest and attests an SPDX SBOM',
    async () => {
      const result = await sign({
        image: `${image}:v1`,
        ...keyPair(),
        predicate: 'sbom.spdx.json',
        'predicate-type': 'spdxjson',
      });
      expect(errors(result)).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(result.log).toContain(`cosign ${cosign.version}: download`);
      expect(result.outputs.digest).toBe(digest);
      expect(result.outputs.signature).toMatch(new RegExp(`^${image}@sha256:[0-9a-f]{64}$`));
      expect(result.outputs.attestation).toMatch(new RegExp(`^${image}@sha256:[0-9a-f]{64}$`));
      expect(result.outputs.signature).not.toBe(result.outputs.attestation);
      expect(result.outputs['rekor-log-index']).toBeUndefined();
      const keyLines = keys.privateKey.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
      expect(findLeaks(result, [keys.password, ...keyLines])).toEqual([]);
    },
    TIMEOUT,
  );

  it.each([
    ['cyclonedx', 'bom.cdx.json'],
    ['slsaprovenance', 'provenance.json'],
  ])(
    'attests a %s predicate with the key pair',
    async (type, file) => {
      const result = await sign({
        image: `${image}@${digest}`,
        ...keyPair(),
        sign: 'false',
        predicate: file,
        'predicate-type': type,
      });
      expect(errors(result)).toEqual([]);
      expect(result.outputs.attestation).toMatch(new RegExp(`^${image}@sha256:[0-9a-f]{64}$`));
    },
    TIMEOUT,
  );

  it(
    'cosign verify passes with the public key',
    async () => {
      const result = await verify({
        image: `${image}:v1`,
        key: keys.publicKey,
        'insecure-ignore-tlog': 'true',
      });
      expect(errors(result)).toEqual([]);
      expect(result.outputs.verified).toBe('1');
    },
    TIMEOUT,
  );

  it.each(['spdxjson', 'cyclonedx', 'slsaprovenance'])(
    'cosign verify-attestation --type %s passes with the public key',
    async (type) => {
      const result = await verify({
        image: `${image}@${digest}`,
        key: keys.publicKey,
        'insecure-ignore-tlog': 'true',
        type,
      });
      expect(errors(result)).toEqual([]);
      expect(result.outputs.verified).toBe('1');
    },
    TIMEOUT,
  );

  it(
    'fails with another public key, and for a predicate type never attested',
    async () => {
      const other = await generateKeyPair(cosign, 'other');
      const wrongKey = await verify({
        image: `${image}@${digest}`,
        key: other.publicKey,
        'insecure-ignore-tlog': 'true',
      });
      expect(wrongKey.exitCode).toBe(1);
      expect(errors(wrongKey)[0]).toMatch(/^cosign verify failed \(exit 1\):\n/);
      const neverAttested = await verify({
        image: `${image}@${digest}`,
        key: keys.publicKey,
        'insecure-ignore-tlog': 'true',
        type: 'slsaprovenance1',
      });
      expect(neverAttested.exitCode).toBe(1);
      expect(errors(neverAttested)[0]).toContain('none of the attestations matched the predicate type');
    },
    TIMEOUT,
  );
});

describe('keyless sign and verify against the Sigstore double (real cosign 3.1.3)', () => {
  let digest: string;
  let image: string;
  beforeAll(async () => {
    digest = await registry.pushImage('octo-org/keyless', 'v1');
    image = `${registry.host}/octo-org/keyless`;
  }, TIMEOUT);

  const keyless = () => ({
    'fulcio-url': sigstore.fulcioUrl,
    'rekor-url': sigstore.rekorUrl,
    'trusted-root': 'trusted_root.json',
  });

  it(
    'signs and attests a CycloneDX SBOM with a Fulcio certificate for the job token, logged in Rekor',
    async () => {
      const before = { ...sigstore.counts };
      const result = await sign(
        { image: `${image}:v1`, ...keyless(), predicate: 'bom.cdx.json', 'predicate-type': 'cyclonedx' },
        sigstore.oidcEnv,
      );
      expect(errors(result)).toEqual([]);
      expect(result.outputs.digest).toBe(digest);
      expect(result.outputs['rekor-log-index']).toMatch(/^\d+$/);
      expect(result.outputs['attestation-rekor-log-index']).toMatch(/^\d+$/);
      expect(result.outputs.signature).toMatch(new RegExp(`^${image}@sha256:[0-9a-f]{64}$`));
      expect(result.outputs.attestation).toMatch(new RegExp(`^${image}@sha256:[0-9a-f]{64}$`));
      expect(sigstore.counts.fulcio - before.fulcio).toBe(2);
      expect(sigstore.counts.rekor - before.rekor).toBe(2);
      // cosign fetched the job tokens itself: none of them reached the log or the outputs
      const printed = `${result.log}${JSON.stringify(result.outputs)}${result.summary}`;
      expect(sigstore.tokens.filter((token) => printed.includes(token))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'cosign verify and verify-attestation pass for the signing identity with the double’s trusted root',
    async () => {
      const signature = await verify({
        image: `${image}:v1`,
        'certificate-identity': sigstore.identity,
        'certificate-github-workflow-repository': 'octo-org/octo-repo',
        'trusted-root': 'trusted_root.json',
      });
      expect(errors(signature)).toEqual([]);
      expect(signature.outputs.verified).toBe('1');
      const attestation = await verify({
        image: `${image}@${digest}`,
        'certificate-identity-regexp': '^https://github\\.com/octo-org/octo-repo/.*',
        'trusted-root': 'trusted_root.json',
        type: 'cyclonedx',
      });
      expect(errors(attestation)).toEqual([]);
      expect(attestation.outputs.verified).toBe('1');
    },
    TIMEOUT,
  );

  it(
    'fails for another identity, and with a trusted root that did not issue the certificate',
    async () => {
      const wrongIdentity = await verify({
        image: `${image}@${digest}`,
        'certificate-identity':
          'https://github.com/octo-org/octo-repo/.github/workflows/other.yml@refs/heads/main',
        'trusted-root': 'trusted_root.json',
      });
      expect(wrongIdentity.exitCode).toBe(1);
      expect(errors(wrongIdentity)[0]).toMatch(/^cosign verify failed \(exit 1\):\n/);
      const { startSigstoreServices } = await import('../doubles/sigstore/sigstore-services.ts');
      const other = await startSigstoreServices();
      writeFileSync(join(workspace, 'other_root.json'), JSON.stringify(other.trustedRoot()));
      await other.stop();
      const wrongRoot = await verify({
        image: `${image}@${digest}`,
        'certificate-identity': sigstore.identity,
        'trusted-root': 'other_root.json',
      });
      expect(wrongRoot.exitCode).toBe(1);
      expect(errors(wrongRoot)[0]).toMatch(/^cosign verify failed \(exit 1\):\n/);
    },
    TIMEOUT,
  );

  it(
    'cosign checks what it signed against trusted-root: a root that did not issue the certificate fails the step',
    async () => {
      const { startSigstoreServices } = await import('../doubles/sigstore/sigstore-services.ts');
      const other = await startSigstoreServices();
      writeFileSync(join(workspace, 'unrelated_root.json'), JSON.stringify(other.trustedRoot()));
      await other.stop();
      const fresh = await registry.pushImage('octo-org/keyless', 'wrong-root');
      const result = await sign(
        { image: `${image}@${fresh}`, ...keyless(), 'trusted-root': 'unrelated_root.json' },
        sigstore.oidcEnv,
      );
      expect(result.exitCode).toBe(1);
      expect(errors(result)[0]).toMatch(/^cosign sign failed \(exit 1\):\n/);
    },
    TIMEOUT,
  );

  it(
    'fails `verify` for an image that carries only an attestation (cosign v3 itself exits 0 there)',
    async () => {
      const attestedOnly = await registry.pushImage('octo-org/keyless', 'attested-only');
      const signed = await sign(
        {
          image: `${image}@${attestedOnly}`,
          ...keyless(),
          sign: 'false',
          predicate: 'bom.cdx.json',
          'predicate-type': 'cyclonedx',
        },
        sigstore.oidcEnv,
      );
      expect(errors(signed)).toEqual([]);
      const result = await verify({
        image: `${image}@${attestedOnly}`,
        'certificate-identity': sigstore.identity,
        'trusted-root': 'trusted_root.json',
      });
      expect(result.exitCode).toBe(1);
      expect(errors(result)[0]).toContain(
        `Verification failed: cosign verify printed no signature payload for ${attestedOnly} (only attestations of type https://cyclonedx.org/bom)`,
      );
    },
    TIMEOUT,
  );
});
