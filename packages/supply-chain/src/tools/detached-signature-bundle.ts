/**
 * Turns a detached keyless signature (what `cosign sign-blob --output-signature
 * --output-certificate` writes: a base64 `.sig` and a Fulcio certificate `.pem`)
 * plus its Rekor `hashedrekord` entry into a Sigstore bundle (v0.1), so the
 * regular bundle verifier checks it like any other: certificate chain to the
 * trusted root's Fulcio, SCT, the entry's signed timestamp against Rekor's key,
 * inclusion proof, identity.
 */
import { X509Certificate } from 'node:crypto';
import { BUNDLE_V01_MEDIA_TYPE, type SerializedBundle } from '@sigstore/bundle';
import type { RekorLogEntry } from './rekor-client.ts';

/** Decodes a `.sig` file: the signature in base64 (line breaks allowed). */
export function decodeSignatureFile(bytes: Buffer): Buffer | undefined {
  const text = bytes.toString('utf8').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const signature = Buffer.from(text, 'base64');
  return signature.length > 0 ? signature : undefined;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * Decodes a `.pem` file to the leaf certificate's DER bytes. cosign writes the
 * PEM text, or (some versions) the PEM text in base64; both are accepted.
 */
export function decodeCertificateFile(bytes: Buffer): Buffer | undefined {
  let text = bytes.toString('utf8');
  if (!PEM_CERTIFICATE.test(text)) {
    const compact = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
    text = Buffer.from(compact, 'base64').toString('utf8');
  }
  const pem = PEM_CERTIFICATE.exec(text)?.[0];
  if (!pem) return undefined;
  try {
    return new X509Certificate(pem).raw;
  } catch {
    return undefined;
  }
}

interface HashedRekordBody {
  kind?: unknown;
  apiVersion?: unknown;
  spec?: {
    data?: { hash?: { algorithm?: unknown; value?: unknown } };
    signature?: { content?: unknown; publicKey?: { content?: unknown } };
  };
}

export interface DetachedSignature {
  signature: Buffer;
  certificate: Buffer;
  /** sha256 of the signed file, hex. */
  digest: string;
}

/**
 * Whether a Rekor entry logs exactly this signature: a hashedrekord v0.0.1 whose
 * digest, signature bytes and certificate (DER) equal ours. The bundle verifier
 * compares signature and digest again but not the certificate, so it is done here.
 */
export function entryLogsSignature(entry: RekorLogEntry, expected: DetachedSignature): boolean {
  let body: HashedRekordBody;
  try {
    body = JSON.parse(Buffer.from(entry.body, 'base64').toString('utf8')) as HashedRekordBody;
  } catch {
    return false;
  }
  if (body.kind !== 'hashedrekord' || body.apiVersion !== '0.0.1') return false;
  const hash = body.spec?.data?.hash;
  if (hash?.algorithm !== 'sha256' || typeof hash.value !== 'string') return false;
  if (hash.value.toLowerCase() !== expected.digest) return false;
  const signature = body.spec?.signature?.content;
  if (typeof signature !== 'string' || !Buffer.from(signature, 'base64').equals(expected.signature))
    return false;
  const key = body.spec?.signature?.publicKey?.content;
  if (typeof key !== 'string') return false;
  const certificate = decodeCertificateFile(Buffer.from(key, 'base64'));
  return certificate !== undefined && certificate.equals(expected.certificate);
}

const b64 = (data: Buffer) => data.toString('base64');
const hexToB64 = (hex: string) => b64(Buffer.from(hex, 'hex'));

type SerializedTLogEntry = SerializedBundle['verificationMaterial']['tlogEntries'][number];
/** SerializedBundle types an absent inclusion proof as `undefined`; the JSON leaves the key out. */
type TLogEntryJson = Omit<SerializedTLogEntry, 'inclusionProof'> &
  Partial<Pick<SerializedTLogEntry, 'inclusionProof'>>;

/** The Sigstore bundle (v0.1 JSON) for a detached signature and the Rekor entry that logs it. */
export function assembleBundle(signed: DetachedSignature, entry: RekorLogEntry): SerializedBundle {
  const proof = entry.inclusionProof;
  const tlogEntry: TLogEntryJson = {
    logIndex: String(entry.logIndex),
    logId: { keyId: hexToB64(entry.logID) },
    kindVersion: { kind: 'hashedrekord', version: '0.0.1' },
    integratedTime: String(entry.integratedTime),
    inclusionPromise: { signedEntryTimestamp: entry.signedEntryTimestamp },
    // An inclusion proof is only checkable with its signed checkpoint; without one the SET stands alone.
    ...(proof?.checkpoint
      ? {
          inclusionProof: {
            logIndex: String(proof.logIndex),
            rootHash: hexToB64(proof.rootHash),
            treeSize: String(proof.treeSize),
            hashes: proof.hashes.map(hexToB64),
            checkpoint: { envelope: proof.checkpoint },
          },
        }
      : {}),
    canonicalizedBody: entry.body,
  };
  // SerializedBundle's one-of members name the ones not chosen as undefined; JSON leaves them out.
  return {
    mediaType: BUNDLE_V01_MEDIA_TYPE,
    verificationMaterial: {
      x509CertificateChain: { certificates: [{ rawBytes: b64(signed.certificate) }] },
      publicKey: undefined,
      certificate: undefined,
      tlogEntries: [tlogEntry as SerializedTLogEntry],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: hexToB64(signed.digest) },
      signature: b64(signed.signature),
    },
    dsseEnvelope: undefined,
  };
}
