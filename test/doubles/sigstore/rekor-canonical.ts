/**
 * What real Rekor (v1) does to a proposed `dsse` v0.0.1 entry before it logs it, which
 * @sigstore/mock's Rekor skips (it logs the proposed entry as sent): checks every envelope
 * signature against the proposed verifiers, and replaces `proposedContent` with the canonical
 * fields `envelopeHash` (sha256 of the envelope JSON as sent), `payloadHash` (sha256 of the
 * decoded payload) and `signatures` (each signature with the verifier that checks it, sorted by
 * signature). Verifiers (cosign/sigstore-go, sigstore-js) compare the logged body with the
 * bundle through these fields; a proposed body has none of them.
 *
 * The double runs every proposed entry through `canonicalRekorEntry` before the mock logs it;
 * other kinds (hashedrekord, intoto) pass unchanged, as their proposed form already carries
 * what verifiers read.
 */
import { X509Certificate, createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

interface ProposedDsse {
  apiVersion: string;
  kind: 'dsse';
  spec: { proposedContent?: { envelope?: string; verifiers?: string[] } };
}

interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: { sig: string; keyid?: string }[];
}

export class RekorEntryRejected extends Error {}

/** The body real Rekor would log for `body` (a proposed entry as JSON text). */
export function canonicalRekorEntry(body: string): string {
  const entry = JSON.parse(body) as { kind?: string; spec?: unknown };
  if (entry.kind !== 'dsse') return body;
  const proposed = (entry as ProposedDsse).spec.proposedContent;
  if (!proposed) return body; // already canonical
  if (typeof proposed.envelope !== 'string' || !Array.isArray(proposed.verifiers))
    throw new RekorEntryRejected('proposedContent needs envelope and verifiers');
  const envelope = JSON.parse(proposed.envelope) as DsseEnvelope;
  if (!Array.isArray(envelope.signatures) || envelope.signatures.length === 0)
    throw new RekorEntryRejected('DSSE envelope must contain 1 or more signatures');
  const payload = Buffer.from(envelope.payload, 'base64');
  const pae = preAuthEncoding(envelope.payloadType, payload);
  const verifiers = proposed.verifiers.map((v) => ({ encoded: v, key: publicKeyOf(v) }));
  const signatures = envelope.signatures.map(({ sig }) => {
    const verifier = verifiers.find((v) => verify('sha256', pae, v.key, Buffer.from(sig, 'base64')));
    if (!verifier) throw new RekorEntryRejected('could not verify envelope signature');
    return { signature: sig, verifier: verifier.encoded };
  });
  signatures.sort((a, b) => (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0));
  return JSON.stringify({
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256(Buffer.from(proposed.envelope, 'utf8')) },
      payloadHash: { algorithm: 'sha256', value: sha256(payload) },
      signatures,
    },
  });
}

/** DSSE v1 pre-authentication encoding: what the envelope signatures sign. */
function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${payload.length} `, 'utf8'),
    payload,
  ]);
}

/** A verifier is base64 of a PEM certificate or public key. */
function publicKeyOf(encoded: string): KeyObject {
  const pem = Buffer.from(encoded, 'base64').toString('utf8');
  return pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
