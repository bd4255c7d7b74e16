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
  certificateSourceRepository,
  derUtf8String,
} from './certificate-claims.ts';

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
