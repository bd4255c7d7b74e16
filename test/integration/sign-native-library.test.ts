/**
 * The native engine end to end at library level: keyless signing against the
 * @sigstore/mock Fulcio/Rekor on loopback, bundles pushed to a real registry as
 * referrers (tag fallback: distribution 2.8 has no referrers API), then found
 * and verified offline with the mock's trust root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import {
  httpClientTransport,
  parseImageReference,
  RegistryClient,
  resolveDigest,
  type ResolvedImage,
} from '@slipway/supply-chain/registry';
import {
  attestImageNative,
  readPredicate,
  signImageNative,
  verifyImageNative,
} from '@slipway/supply-chain/signing';
import { startRegistry, type RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import {
  GITHUB_ISSUER,
  startSigstoreServices,
  type SigstoreServices,
} from '../doubles/sigstore/sigstore-services.ts';
import { sharedFixture } from '../shared-fixtures.ts';

// The double's Fulcio embeds an SCT from its CT log, so verification requires one, as in production.
const ignoreSct = false;
let registry: RegistryServer;
let sigstore: SigstoreServices;
let image: ResolvedImage;
let client: RegistryClient;

async function token(services: SigstoreServices): Promise<string> {
  const response = await fetch(`${services.oidcEnv.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=sigstore`, {
    headers: { Authorization: `Bearer ${services.oidcEnv.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
  });
  return ((await response.json()) as { value: string }).value;
}

beforeAll(async () => {
  [registry, sigstore] = await Promise.all([startRegistry(), startSigstoreServices()]);
  await registry.pushImage('octo-org/app', 'v1');
  client = new RegistryClient({
    registry: registry.host,
    repository: 'octo-org/app',
    transport: httpClientTransport({ timeoutMs: 5_000 }),
    retry: { totalTimeoutMs: 5_000 },
  });
  image = await resolveDigest(parseImageReference(`${registry.host}/octo-org/app:v1`), client);
});
afterAll(async () => {
  await Promise.all([registry?.stop(), sigstore?.stop()]);
});

const options = () => ({
  fulcioUrl: sigstore.fulcioUrl,
  rekorUrl: sigstore.rekorUrl,
  tlogUpload: true,
  timeoutMs: 5_000,
});

describe('native sign, attest and verify', () => {
  it('signs, attests an SPDX SBOM and verifies both with the signing identity', async () => {
    const signed = await signImageNative(image, { ...options(), identityToken: await token(sigstore) });
    expect(signed.reference).toBe(`${registry.host}/octo-org/app@${signed.manifestDigest}`);
    expect(signed.logIndex).toMatch(/^\d+$/);
    expect(signed.bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    // what cosign v3 signs: a DSSE envelope over a statement of its signature predicate type
    const envelope = signed.bundle.dsseEnvelope;
    expect(envelope?.payloadType).toBe('application/vnd.in-toto+json');
    expect(JSON.parse(Buffer.from(envelope?.payload ?? '', 'base64').toString())).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: `${registry.host}/octo-org/app`, digest: { sha256: image.digest.slice(7) } }],
      predicateType: 'https://sigstore.dev/cosign/sign/v1',
      predicate: {},
    });

    const predicate = readPredicate(sharedFixture('syft/image.spdx.json'), 'spdxjson');
    const attested = await attestImageNative(image, predicate, {
      ...options(),
      identityToken: await token(sigstore),
    });
    expect(attested.manifestDigest).not.toBe(signed.manifestDigest);

    // distribution 2.8: the referrers index lives under the sha256-<hex> tag
    const fallback = await client.getManifest(image.digest.replace(':', '-'));
    expect(fallback).toBeDefined();
    const referrers = await client.referrers(image.digest, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(referrers.map((r) => r.digest).sort()).toEqual(
      [signed.manifestDigest, attested.manifestDigest].sort(),
    );

    const trustedRoot = TrustedRoot.fromJSON(sigstore.trustedRoot());
    const policy = { identity: sigstore.identity, issuer: GITHUB_ISSUER };
    const signature = await verifyImageNative({
      image,
      client,
      trustedRoot,
      policy,
      kind: 'signature',
      ignoreSct,
    });
    expect(signature.verified).toEqual([
      {
        manifestDigest: signed.manifestDigest,
        identity: sigstore.identity,
        issuer: GITHUB_ISSUER,
        claims: {
          sourceRepository: 'octo-org/octo-repo',
          sourceRepositoryRef: 'refs/heads/main',
          trigger: 'push',
          buildConfigUri:
            'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main',
          sourceRepositoryId: '700001',
          sourceRepositoryOwnerId: '900001',
        },
        logIndex: signed.logIndex,
        statement: JSON.parse(Buffer.from(envelope?.payload ?? '', 'base64').toString()),
      },
    ]);
    const attestation = await verifyImageNative({
      image,
      client,
      trustedRoot,
      policy,
      kind: 'attestation',
      predicateType: 'https://spdx.dev/Document',
      ignoreSct,
    });
    expect(attestation.verified).toHaveLength(1);
    expect(attestation.verified[0]?.statement?.subject).toEqual([
      { name: `${registry.host}/octo-org/app`, digest: { sha256: image.digest.slice(7) } },
    ]);
    expect(attestation.verified[0]?.statement?.predicate).toEqual(predicate.content);

    await expect(
      verifyImageNative({
        image,
        client,
        trustedRoot,
        policy: {
          identity: 'https://github.com/evil/repo/.github/workflows/x.yml@refs/heads/main',
          issuer: GITHUB_ISSUER,
        },
        kind: 'signature',
        ignoreSct,
      }),
    ).rejects.toThrow(
      `None of the 1 Sigstore bundle(s) attached to ${image.pinned} is a valid signature for the required identity:\n  - ${signed.manifestDigest}: signed by '${sigstore.identity}', not 'https://github.com/evil/repo/.github/workflows/x.yml@refs/heads/main'`,
    );
    await expect(
      verifyImageNative({
        image,
        client,
        trustedRoot,
        policy,
        kind: 'attestation',
        predicateType: 'https://cyclonedx.org/bom',
        ignoreSct,
      }),
    ).rejects.toThrow('predicate type https://spdx.dev/Document, not https://cyclonedx.org/bom');
  });
});
