import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RekorEntryRejected, canonicalRekorEntry } from './rekor-canonical.ts';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const payloadType = 'application/vnd.in-toto+json';
const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1","subject":[]}');
const pae = Buffer.concat([
  Buffer.from(`DSSEv1 ${payloadType.length} ${payloadType} ${payload.length} `),
  payload,
]);

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, verifier: Buffer.from(pem).toString('base64') };
}

/** A proposed dsse entry as sigstore-go sends it. */
function proposed(signers: ReturnType<typeof keyPair>[], verifiers = signers.map((s) => s.verifier)) {
  const envelope = JSON.stringify({
    payloadType,
    payload: payload.toString('base64'),
    signatures: signers.map((s) => ({ sig: sign('sha256', pae, s.privateKey).toString('base64') })),
  });
  return {
    envelope,
    body: JSON.stringify({
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: { proposedContent: { envelope, verifiers } },
    }),
  };
}

describe('canonicalRekorEntry', () => {
  it('replaces proposedContent with the hashes and the verified, sorted signatures', () => {
    const a = keyPair();
    const b = keyPair();
    const { envelope, body } = proposed([a, b]);
    const sigs = (JSON.parse(envelope) as { signatures: { sig: string }[] }).signatures.map((s) => s.sig);
    const expected = [
      { signature: sigs[0], verifier: a.verifier },
      { signature: sigs[1], verifier: b.verifier },
    ].sort((x, y) => (x.signature! < y.signature! ? -1 : 1));
    expect(JSON.parse(canonicalRekorEntry(body))).toEqual({
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        envelopeHash: { algorithm: 'sha256', value: sha256(envelope) },
        payloadHash: { algorithm: 'sha256', value: sha256(payload) },
        signatures: expected,
      },
    });
  });

  it('refuses a signature no proposed verifier checks, as Rekor does', () => {
    const signer = keyPair();
    const { body } = proposed([signer], [keyPair().verifier]);
    expect(() => canonicalRekorEntry(body)).toThrow(RekorEntryRejected);
  });

  it('leaves other kinds, and an already canonical dsse entry, as they are', () => {
    const hashedrekord = '{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{}}';
    expect(canonicalRekorEntry(hashedrekord)).toBe(hashedrekord);
    const canonical = canonicalRekorEntry(proposed([keyPair()]).body);
    expect(canonicalRekorEntry(canonical)).toBe(canonical);
  });
});
