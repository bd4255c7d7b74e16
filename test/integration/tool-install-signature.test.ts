/**
 * Sigstore verification of release assets for tool versions outside the lock
 * file, with bundles made offline against @sigstore/mock's Fulcio and Rekor (the
 * shared sigstore double) and verified against that double's trusted root, with
 * one SCT required as in production.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleToJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { DSSEBundleBuilder, FulcioSigner, MessageSignatureBundleBuilder, RekorWitness } from '@sigstore/sign';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  actionsToolDirectoryCache,
  createReleaseHttp,
  createSigstoreVerifier,
  DirectoryCache,
  installToolWithReport,
  parseToolsLock,
  releaseSigner,
  SignatureRefusedError,
} from '@slipway/supply-chain/tools';
import { buildRelease, lockFor, type BuiltRelease } from '../doubles/release-assets/release-assets.ts';
import { startReleaseServer, type ReleaseServer } from '../doubles/release-assets/release-server.ts';
import { startSigstoreServices, type SigstoreServices } from '../doubles/sigstore/sigstore-services.ts';

const ASSET = 'trivy_0.75.0_Linux-64bit.tar.gz';
const BUNDLE_PATH = `/aquasecurity/trivy/releases/download/v0.75.0/${ASSET}.sigstore.json`;
const COSIGN_ASSET = 'cosign-linux-amd64';
const COSIGN_BUNDLE_PATH = `/sigstore/cosign/releases/download/v3.2.0/${COSIGN_ASSET}.sigstore.json`;

let sigstore: SigstoreServices;
let server: ReleaseServer;
let release: BuiltRelease;
let cosignRelease: BuiltRelease;
let scratch: string;
const warnings: string[] = [];

async function identityToken(): Promise<string> {
  const response = await fetch(`${sigstore.oidcEnv.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=sigstore`, {
    headers: { authorization: `Bearer ${sigstore.oidcEnv.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
  });
  return ((await response.json()) as { value: string }).value;
}

async function builders() {
  const token = await identityToken();
  const signer = new FulcioSigner({
    fulcioBaseURL: sigstore.fulcioUrl,
    identityProvider: { getToken: async () => token },
  });
  const witnesses = [new RekorWitness({ rekorBaseURL: sigstore.rekorUrl, entryType: 'intoto' })];
  return {
    message: (data: Buffer) => new MessageSignatureBundleBuilder({ signer, witnesses }).create({ data }),
    statement: (sha256: string) =>
      new DSSEBundleBuilder({ signer, witnesses }).create({
        type: 'application/vnd.in-toto+json',
        data: Buffer.from(
          JSON.stringify({
            _type: 'https://in-toto.io/Statement/v1',
            subject: [{ name: ASSET, digest: { sha256 } }],
            predicateType: 'https://slsa.dev/provenance/v1',
            predicate: {},
          }),
        ),
      }),
  };
}

/** Signs as trivy's release workflow at the given tag (or another workflow). */
function signAs(tag: string, workflowPath = '.github/workflows/reusable-release.yaml') {
  sigstore.setClaims({ repository: 'aquasecurity/trivy', ref: `refs/tags/${tag}`, workflowPath });
}

const served = () => release.files.find((f) => f.name === ASSET)!.body;
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  sigstore = await startSigstoreServices();
  release = buildRelease('trivy', '0.75.0');
  cosignRelease = buildRelease('cosign', '3.2.0');
  server = await startReleaseServer([release, cosignRelease]);
});
afterAll(async () => {
  await server.close();
  await sigstore.stop();
});
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tool-sig-'));
  process.env.RUNNER_TOOL_CACHE = join(scratch, 'tool-cache');
  warnings.length = 0;
});

async function install(bundle: object, tool: 'trivy' | 'cosign' = 'trivy') {
  const target =
    tool === 'trivy'
      ? { version: '0.75.0', asset: ASSET, path: BUNDLE_PATH, owner: 'aquasecurity' }
      : { version: '3.2.0', asset: COSIGN_ASSET, path: COSIGN_BUNDLE_PATH, owner: 'sigstore' };
  server.add([
    { path: target.path, name: `${target.asset}.sigstore.json`, body: Buffer.from(JSON.stringify(bundle)) },
  ]);
  return installToolWithReport({
    tool,
    version: target.version,
    platform: 'linux',
    arch: 'x64',
    baseUrl: server.baseUrl(target.owner, tool),
    http: createReleaseHttp(),
    cache: new DirectoryCache(join(scratch, 'cache')),
    toolCache: actionsToolDirectoryCache,
    log: { info: () => {}, warning: (l) => warnings.push(l) },
    lock: parseToolsLock(
      lockFor([
        buildRelease('trivy', '0.74.0'),
        buildRelease('syft', '1.51.0'),
        buildRelease('cosign', '3.1.3'),
      ]),
      'test lock',
    ),
    workDir: join(scratch, 'work'),
    verifySignature: createSigstoreVerifier(async () => TrustedRoot.fromJSON(sigstore.trustedRoot())),
  });
}

describe('unlocked versions: the Sigstore bundle decides', () => {
  it('installs when a message-signature bundle from trivy’s release workflow at v0.75.0 signs the asset', async () => {
    signAs('v0.75.0');
    const bundle = bundleToJSON(await (await builders()).message(served()));
    const result = await install(bundle);
    expect(result.verifiedBy).toBe('signature');
    expect(result.sha256).toBe(sha(served()));
    expect(warnings).toEqual([]);
    expect(sigstore.identity).toBe(releaseSigner('trivy', '0.75.0').identity);
  });

  it('installs when a DSSE bundle’s in-toto statement names the asset digest', async () => {
    signAs('v0.75.0');
    const bundle = bundleToJSON(await (await builders()).statement(sha(served())));
    expect((await install(bundle)).verifiedBy).toBe('signature');
  });

  it('refuses a DSSE statement about other bytes', async () => {
    signAs('v0.75.0');
    const bundle = bundleToJSON(await (await builders()).statement('0'.repeat(64)));
    await expect(install(bundle)).rejects.toThrow(
      `The Sigstore bundle of ${ASSET} does not verify: its statement does not name sha256 ${sha(served())}. Nothing from it was run.`,
    );
  });

  it.each([
    ['the same workflow at another tag (a re-pointed tag)', 'v0.74.0', undefined],
    ['another workflow of the repository', 'v0.75.0', '.github/workflows/pr.yaml'],
  ])('refuses a valid signature by %s, and installs nothing', async (_name, tag, workflow) => {
    signAs(tag, workflow);
    const bundle = bundleToJSON(await (await builders()).message(served()));
    const error = await install(bundle).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignatureRefusedError);
    const signedBy = `https://github.com/aquasecurity/trivy/${workflow ?? '.github/workflows/reusable-release.yaml'}@refs/tags/${tag}`;
    expect((error as Error).message).toBe(
      `The Sigstore bundle of ${ASSET} does not verify: certificate identity error - expected ` +
        `${releaseSigner('trivy', '0.75.0').identity}, got ${signedBy}. Nothing from it was run.`,
    );
    expect(actionsToolDirectoryCache.find('trivy', '0.75.0', 'linux-x64')).toBe('');
  });

  it('refuses a bundle that signs other bytes', async () => {
    signAs('v0.75.0');
    const bundle = bundleToJSON(await (await builders()).message(Buffer.from('something else')));
    await expect(install(bundle)).rejects.toBeInstanceOf(SignatureRefusedError);
  });

  it('refuses something that is not a bundle', async () => {
    await expect(install({ hello: 'world' })).rejects.toThrow(
      /^The Sigstore bundle of trivy_0\.75\.0_Linux-64bit\.tar\.gz does not verify: it is not a Sigstore bundle/,
    );
  });
});

describe("unlocked cosign: signed by cosign's release identity, a Google service account", () => {
  const cosignBytes = () => cosignRelease.files.find((f) => f.name === COSIGN_ASSET)!.body;
  const signAsGoogle = (subject: string) =>
    sigstore.setClaims({ subject, issuer: 'https://accounts.google.com' });

  it('installs when the asset bundle is signed by keyless@projectsigstore.iam.gserviceaccount.com', async () => {
    signAsGoogle('keyless@projectsigstore.iam.gserviceaccount.com');
    const bundle = bundleToJSON(await (await builders()).message(cosignBytes()));
    const result = await install(bundle, 'cosign');
    expect(result.verifiedBy).toBe('signature');
    expect(result.sha256).toBe(sha(cosignBytes()));
    expect(releaseSigner('cosign', '3.2.0')).toEqual({
      identity: 'keyless@projectsigstore.iam.gserviceaccount.com',
      issuer: 'https://accounts.google.com',
    });
  });

  it.each([
    [
      'another Google account',
      'someone@example.com',
      'https://accounts.google.com',
      'certificate identity error',
    ],
    [
      'the right address from another issuer',
      'keyless@projectsigstore.iam.gserviceaccount.com',
      'https://github.com/login/oauth',
      'invalid certificate extension - expected issuer=https://accounts.google.com, got issuer=https://github.com/login/oauth',
    ],
  ])('refuses %s', async (_name, subject, issuer, reason) => {
    sigstore.setClaims({ subject, issuer });
    const bundle = bundleToJSON(await (await builders()).message(cosignBytes()));
    await expect(install(bundle, 'cosign')).rejects.toThrow(
      `The Sigstore bundle of ${COSIGN_ASSET} does not verify: ${reason}`,
    );
    expect(actionsToolDirectoryCache.find('cosign', '3.2.0', 'linux-x64')).toBe('');
  });
});
