import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  logIndexFromBundle,
  logIndexFromStderr,
  parseVerifyAttestationOutput,
  parseVerifyOutput,
} from './cosign-output.ts';
import { sharedFixture } from '../../../../test/shared-fixtures.ts';

const fixture = (name: string) => readFileSync(sharedFixture(`cosign/${name}`), 'utf8');

describe('log index', () => {
  it('reads it from a real cosign OCI attestation bundle (v0.3)', () => {
    expect(logIndexFromBundle(fixture('oci-attestation.sigstore.json'))).toBe('175508996');
  });

  it('reads it from a real message-signature bundle', () => {
    const bundle = JSON.parse(fixture('message-signature.sigstore.json')) as {
      verificationMaterial: { tlogEntries: { logIndex: string }[] };
    };
    expect(logIndexFromBundle(fixture('message-signature.sigstore.json'))).toBe(
      bundle.verificationMaterial.tlogEntries[0]?.logIndex,
    );
  });

  it('is undefined for no tlog entry or no JSON', () => {
    expect(logIndexFromBundle('{"verificationMaterial":{"tlogEntries":[]}}')).toBeUndefined();
    expect(logIndexFromBundle('nope')).toBeUndefined();
  });

  it('falls back to the stderr line, last one wins', () => {
    expect(
      logIndexFromStderr(
        'Generating ephemeral keys...\ntlog entry created with index: 12\nPushing signature to: x\ntlog entry created with index: 345678\n',
      ),
    ).toBe('345678');
    expect(logIndexFromStderr('no upload')).toBeUndefined();
  });
});

describe('parseVerifyOutput', () => {
  const digest = 'sha256:7a91c50d922925f152fec96ed1d84b7bc6b2079c169d68826f6cf307f22d40e6';

  it('parses the JSON cosign verify prints (from cosign README)', () => {
    expect(parseVerifyOutput(fixture('verify-output.json'), digest)).toEqual([
      { dockerReference: 'localhost:5000/tcpconnect', digest, optional: null },
    ]);
  });

  it('refuses output about another digest', () => {
    expect(() => parseVerifyOutput(fixture('verify-output.json'), `sha256:${'0'.repeat(64)}`)).toThrow(
      `cosign verify printed no signature payload for sha256:${'0'.repeat(64)}`,
    );
  });

  // stdout of the real `cosign verify --key … --output json` (v3.1.3, new bundle format) for an
  // image with one signature and one SPDX attestation, both by that key
  const v3 = (types: string[]) =>
    JSON.stringify(
      types.map((type) => ({
        critical: {
          identity: { 'docker-reference': `127.0.0.1:40863/octo-org/app@${digest}` },
          image: { 'docker-manifest-digest': digest },
          type,
        },
        optional: {},
      })),
    );

  it('counts only signatures in cosign v3 output, which lists every attestation about the digest too', () => {
    const out = v3(['https://sigstore.dev/cosign/sign/v1', 'https://spdx.dev/Document']);
    expect(parseVerifyOutput(out, digest)).toEqual([
      { dockerReference: `127.0.0.1:40863/octo-org/app@${digest}`, digest, optional: {} },
    ]);
  });

  it('fails when cosign v3 vouched only for attestations, naming their types', () => {
    expect(() =>
      parseVerifyOutput(v3(['https://spdx.dev/Document', 'https://cyclonedx.org/bom']), digest),
    ).toThrow(
      `cosign verify printed no signature payload for ${digest} (only attestations of type https://cyclonedx.org/bom, https://spdx.dev/Document)`,
    );
  });

  it('skips log lines mixed into stdout', () => {
    const out = `Verification for x --\nThe following checks were performed\n${fixture('verify-output.json')}`;
    expect(parseVerifyOutput(out, digest)).toHaveLength(1);
  });
});

describe('parseVerifyAttestationOutput', () => {
  it('decodes DSSE envelopes (one per line) and keeps statements about the digest', () => {
    const bundle = JSON.parse(fixture('oci-attestation.sigstore.json')) as {
      dsseEnvelope: { payload: string; payloadType: string; signatures: unknown[] };
    };
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString()) as {
      subject: { digest: { sha256: string } }[];
      predicateType: string;
    };
    const digest = `sha256:${statement.subject[0]?.digest.sha256}`;
    const stdout = `${JSON.stringify(bundle.dsseEnvelope)}\n${JSON.stringify(bundle.dsseEnvelope)}\n`;
    const parsed = parseVerifyAttestationOutput(stdout, digest);
    expect(parsed).toHaveLength(2);
    expect(parsed[0]?.predicateType).toBe('https://cosign.sigstore.dev/attestation/v1');
    expect(() => parseVerifyAttestationOutput(stdout, `sha256:${'0'.repeat(64)}`)).toThrow(
      /no statement about/,
    );
  });
});
