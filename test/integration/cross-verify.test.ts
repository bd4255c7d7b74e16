/**
 * Both engines speak the same Sigstore formats, checked both ways through the committed bundles:
 * a signature and an attestation made by dist/sign with `engine: native` (sigstore-js) verify with
 * the REAL `cosign verify` / `verify-attestation` (v3.1.3, installed by dist/verify from the
 * release double), and ones made by the real `cosign sign` / `cosign attest` (run by dist/sign)
 * verify with dist/verify `engine: native`. Keyless, against the Sigstore double (Fulcio CA with a
 * CT log, Rekor) and its trusted root, on a real registry on loopback.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction, type ActionRunResult } from '../harness/run-action.ts';
import type { RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import { GITHUB_ISSUER, type SigstoreServices } from '../doubles/sigstore/sigstore-services.ts';
import type { ToolReleases } from '../doubles/release-assets/action-env.ts';
import { startSigningServices, stopSigningServices } from './support/signing-services.ts';
import { realCosignJobEnv, serveRealCosign, type RealCosign } from './support/real-cosign.ts';
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

beforeAll(async () => {
  ({ registry, sigstore, tools } = await startSigningServices());
  cosign = serveRealCosign(tools);
  runnerRoot = mkdtempSync(join(tmpdir(), 'cross-verify-runner-'));
  workspace = mkdtempSync(join(tmpdir(), 'cross-verify-ws-'));
  copyFileSync(sharedFixture('syft/image.spdx.json'), join(workspace, 'sbom.spdx.json'));
  writeFileSync(join(workspace, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot()));
}, TIMEOUT);
afterAll(async () => {
  await stopSigningServices({ registry, sigstore, tools });
  // each job installs the real cosign (about 100 MB) into its tool and cache folders: leave nothing behind
  for (const dir of [runnerRoot, workspace]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const errors = (result: ActionRunResult) =>
  result.annotations.filter((a) => a.level === 'error').map((a) => a.message);

const run = (actionDir: string, inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runAction({ actionDir, workspace, inputs, env: realCosignJobEnv(cosign, tools, runnerRoot, env) });

/**
 * Pushes two images and has `engine` sign one (signature only) and attest an SPDX SBOM to the
 * other (attestation only), so that each verification below sees exactly one kind of bundle:
 * `cosign verify` also passes on an attestation alone, which would hide a signature it rejects.
 */
async function signAndAttest(engine: 'native' | 'cosign', repository: string) {
  const images = { signed: '', attested: '' };
  for (const kind of ['signed', 'attested'] as const) {
    const digest = await registry.pushImage(repository, kind);
    images[kind] = `${registry.host}/${repository}@${digest}`;
    const result = await run(
      signAction,
      {
        engine,
        image: images[kind],
        'fulcio-url': sigstore.fulcioUrl,
        'rekor-url': sigstore.rekorUrl,
        ...(engine === 'cosign' ? { 'trusted-root': 'trusted_root.json' } : {}),
        ...(kind === 'attested'
          ? { sign: 'false', predicate: 'sbom.spdx.json', 'predicate-type': 'spdxjson' }
          : {}),
      },
      sigstore.oidcEnv,
    );
    if (result.exitCode !== 0) throw new Error(`${engine} signing failed:\n${result.log}`);
  }
  return images;
}

const verifyWith = (engine: 'native' | 'cosign', image: string, type?: string) =>
  run(verifyAction, {
    engine,
    image,
    'certificate-identity': sigstore.identity,
    'certificate-github-workflow-repository': 'octo-org/octo-repo',
    'trusted-root': 'trusted_root.json',
    ...(type ? { type } : {}),
  });

describe('engine native signs, the real cosign verifies', () => {
  let images: Awaited<ReturnType<typeof signAndAttest>>;
  beforeAll(async () => {
    images = await signAndAttest('native', 'octo-org/native-signed');
  }, TIMEOUT);

  it(
    'cosign verify accepts the native signature',
    async () => {
      const result = await verifyWith('cosign', images.signed);
      expect(errors(result)).toEqual([]);
      expect(result.outputs.verified).toBe('1');
    },
    TIMEOUT,
  );

  it(
    'cosign verify-attestation --type spdxjson accepts the native attestation',
    async () => {
      const result = await verifyWith('cosign', images.attested, 'spdxjson');
      expect(errors(result)).toEqual([]);
      expect(result.outputs.verified).toBe('1');
    },
    TIMEOUT,
  );
});

describe('the real cosign signs, engine native verifies', () => {
  let images: Awaited<ReturnType<typeof signAndAttest>>;
  beforeAll(async () => {
    images = await signAndAttest('cosign', 'octo-org/cosign-signed');
  }, TIMEOUT);

  it(
    'engine native accepts the cosign signature',
    async () => {
      const result = await verifyWith('native', images.signed);
      expect(errors(result)).toEqual([]);
      expect(result.outputs.verified).toBe('1');
      expect(result.outputs.identities).toBe(sigstore.identity);
      expect(result.log).toContain(`signed by ${sigstore.identity} (issuer ${GITHUB_ISSUER})`);
    },
    TIMEOUT,
  );

  it(
    'engine native accepts the cosign attestation of type spdxjson',
    async () => {
      const result = await verifyWith('native', images.attested, 'spdxjson');
      expect(errors(result)).toEqual([]);
      expect(result.outputs.verified).toBe('1');
    },
    TIMEOUT,
  );
});
