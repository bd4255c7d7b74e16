import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot, type ObjectIdentifierValuePair } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { describe, expect, it } from 'vitest';
import { sharedFixture } from '../../../../test/shared-fixtures.ts';
import {
  OID_GITHUB_WORKFLOW_REPOSITORY,
  OID_SOURCE_REPOSITORY_URI,
  OID_BUILD_TRIGGER,
  OID_SOURCE_REPOSITORY_REF,
  certificateSourceRepository,
  certificateWorkflowClaims,
  derUtf8String,
} from './certificate-claims.ts';
import { mintGithubCertificate } from '../../../../test/doubles/sigstore/github-certificate.ts';

/**
 * The public-good trusted root that @sigstore/tuf ships as its TUF seed: the real
 * Fulcio CA, Rekor key and CT log key, so real bundles verify offline, SCT included.
 */
function seededPublicGoodRoot(): TrustedRoot {
  const seeds = createRequire(import.meta.url)('@sigstore/tuf/seeds.json') as Record<
    string,
    { targets: Record<string, string> }
  >;
  const encoded = seeds['https://tuf-repo-cdn.sigstore.dev']?.targets['trusted_root.json'];
  if (!encoded) throw new Error('@sigstore/tuf no longer seeds trusted_root.json');
  return TrustedRoot.fromJSON(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')));
}

/** Verifies the sigstore-conformance bundle (a GitHub Actions certificate) and returns its signer OIDs. */
function conformanceSignerOids(): ObjectIdentifierValuePair[] {
  const bundle = bundleFromJSON(
    JSON.parse(readFileSync(sharedFixture('cosign/message-signature.sigstore.json'), 'utf8')),
  );
  const artifact = readFileSync(sharedFixture('cosign/message-signature.artifact.txt'));
  const verifier = new Verifier(toTrustMaterial(seededPublicGoodRoot()), {
    tlogThreshold: 1,
    ctlogThreshold: 1,
  });
  return verifier.verify(toSignedEntity(bundle, artifact)).identity?.oids ?? [];
}

const oid = (dotted: string) => ({ id: dotted.split('.').map(Number) });
const utf8Der = (text: string) => {
  const body = Buffer.from(text, 'utf8');
  const length = body.length < 128 ? Buffer.from([body.length]) : Buffer.from([0x81, body.length]);
  return Buffer.concat([Buffer.from([0x0c]), length, body]);
};

describe('certificateSourceRepository', () => {
  it('reads the workflow repository of a real Fulcio certificate (verified with its SCT)', () => {
    const oids = conformanceSignerOids();
    expect(certificateSourceRepository(oids)).toBe(
      'sigstore-conformance/extremely-dangerous-public-oidc-beacon',
    );
  });

  it('falls back to the Source Repository URI when the legacy extension is absent', () => {
    const oids = conformanceSignerOids().filter(
      (o) => o.oid?.id.join('.') !== OID_GITHUB_WORKFLOW_REPOSITORY,
    );
    expect(oids.some((o) => o.oid?.id.join('.') === OID_SOURCE_REPOSITORY_URI)).toBe(true);
    expect(certificateSourceRepository(oids)).toBe(
      'sigstore-conformance/extremely-dangerous-public-oidc-beacon',
    );
  });

  it('is undefined for a certificate without GitHub claims (an email identity)', () => {
    const bundle = bundleFromJSON(
      JSON.parse(readFileSync(sharedFixture('cosign/oci-attestation.sigstore.json'), 'utf8')),
    );
    const verifier = new Verifier(toTrustMaterial(seededPublicGoodRoot()), {
      tlogThreshold: 1,
      ctlogThreshold: 1,
    });
    const signer = verifier.verify(toSignedEntity(bundle));
    expect(signer.identity?.subjectAlternativeName).toBe('cody@soyland.com');
    expect(certificateSourceRepository(signer.identity?.oids)).toBeUndefined();
    expect(certificateSourceRepository(undefined)).toBeUndefined();
  });

  it('ignores a Source Repository URI that is not a DER UTF8String URL', () => {
    const pair = (value: Buffer) => [{ oid: oid(OID_SOURCE_REPOSITORY_URI), value }];
    expect(certificateSourceRepository(pair(utf8Der('https://github.com/o/r')))).toBe('o/r');
    expect(certificateSourceRepository(pair(Buffer.from('https://github.com/o/r')))).toBeUndefined();
    expect(certificateSourceRepository(pair(utf8Der('not a url')))).toBeUndefined();
  });
});

describe('derUtf8String', () => {
  it.each([
    ['short form', utf8Der('abc'), 'abc'],
    ['long form', utf8Der('x'.repeat(200)), 'x'.repeat(200)],
    ['wrong tag', Buffer.from([0x13, 1, 0x41]), undefined],
    ['length past the end', Buffer.from([0x0c, 5, 0x41]), undefined],
    ['trailing bytes', Buffer.from([0x0c, 1, 0x41, 0x42]), undefined],
    ['indefinite length', Buffer.from([0x0c, 0x80, 0x41]), undefined],
    ['empty', Buffer.alloc(0), undefined],
  ])('%s', (_name, der, expected) => {
    expect(derUtf8String(der)).toBe(expected);
  });
});

describe('certificateWorkflowClaims', () => {
  // the claims of a GitHub token for a reusable workflow called from octo-org/app's release.yml
  const token = {
    fulcio_san:
      'https://github.com/slipway/slipway/.github/workflows/build-sign-push.yml@0123456789abcdef0123456789abcdef01234567',
    iss: 'https://token.actions.githubusercontent.com',
    repository: 'octo-org/app',
    repository_id: '700001',
    repository_owner: 'octo-org',
    repository_owner_id: '900001',
    ref: 'refs/heads/main',
    event_name: 'push',
    workflow_ref: 'octo-org/app/.github/workflows/release.yml@refs/heads/main',
    job_workflow_ref:
      'slipway/slipway/.github/workflows/build-sign-push.yml@0123456789abcdef0123456789abcdef01234567',
  };

  it('reads ref, trigger, caller workflow and IDs from a certificate minted by the Fulcio double', async () => {
    const { oids } = await mintGithubCertificate(token);
    expect(certificateWorkflowClaims(oids)).toEqual({
      sourceRepository: 'octo-org/app',
      sourceRepositoryRef: 'refs/heads/main',
      trigger: 'push',
      buildConfigUri: 'https://github.com/octo-org/app/.github/workflows/release.yml@refs/heads/main',
      sourceRepositoryId: '700001',
      sourceRepositoryOwnerId: '900001',
    });
  });

  it('falls back to the legacy ref and trigger extensions (raw bytes) when the v2 ones are absent', async () => {
    const { oids } = await mintGithubCertificate({
      ...token,
      ref: 'refs/heads/feature',
      event_name: 'pull_request',
    });
    const legacyOnly = oids.filter(
      (o) => ![OID_SOURCE_REPOSITORY_REF, OID_BUILD_TRIGGER].includes(o.oid?.id.join('.') ?? ''),
    );
    expect(legacyOnly.length).toBe(oids.length - 2);
    expect(certificateWorkflowClaims(legacyOnly)).toMatchObject({
      sourceRepositoryRef: 'refs/heads/feature',
      trigger: 'pull_request',
    });
  });

  it('reads the real Fulcio certificate of the conformance bundle (verified with its SCT)', () => {
    const claims = certificateWorkflowClaims(conformanceSignerOids());
    expect(claims.sourceRepository).toBe('sigstore-conformance/extremely-dangerous-public-oidc-beacon');
    expect(claims.sourceRepositoryRef).toMatch(/^refs\//);
    expect(claims.trigger).toMatch(/^[a-z_]+$/);
    expect(claims.buildConfigUri).toMatch(
      /^https:\/\/github\.com\/sigstore-conformance\/extremely-dangerous-public-oidc-beacon\/\.github\/workflows\/.+@refs\//,
    );
    expect(claims.sourceRepositoryId).toMatch(/^\d+$/);
    expect(claims.sourceRepositoryOwnerId).toMatch(/^\d+$/);
  });

  it('leaves out what the certificate does not carry, and ignores a v2 value that is not DER', () => {
    expect(certificateWorkflowClaims(undefined)).toEqual({});
    const raw = [{ oid: oid('1.3.6.1.4.1.57264.1.15'), value: Buffer.from('700001') }];
    expect(certificateWorkflowClaims(raw)).toEqual({});
  });
});
