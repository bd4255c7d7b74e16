import { X509Certificate, createHash, generateKeyPairSync, sign } from 'node:crypto';
import { BUNDLE_V01_MEDIA_TYPE, bundleFromJSON, type SerializedBundle } from '@sigstore/bundle';
import { initializeCA, initializeTLog } from '@sigstore/mock';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assembleBundle,
  decodeCertificateFile,
  decodeSignatureFile,
  entryLogsSignature,
  type DetachedSignature,
} from './detached-signature-bundle.ts';
import { parseEntryResponse, type RekorLogEntry } from './rekor-client.ts';

const ecKeys = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const data = Buffer.from('0123  syft_1.52.0_linux_amd64.tar.gz\n');
const digest = createHash('sha256').update(data).digest('hex');

let certificate: Buffer;
let otherCertificate: Buffer;
let pem: string;
let signature: Buffer;
let signed: DetachedSignature;
let entry: RekorLogEntry;

async function issue(ca: Awaited<ReturnType<typeof initializeCA>>, key: ReturnType<typeof ecKeys>) {
  return ca.issueCertificate({
    publicKey: key.publicKey.export({ format: 'der', type: 'spki' }),
    subjectAltName: 'https://github.com/anchore/syft/.github/workflows/release.yaml@refs/heads/main',
  });
}

/** A hashedrekord entry as Rekor logs it (the mock's real wire shape), for the given material. */
async function logged(body: object): Promise<RekorLogEntry> {
  const tlog = await initializeTLog('http://rekor.test', ecKeys());
  const response = await tlog.log(body);
  const uuid = Object.keys(response)[0]!;
  return parseEntryResponse(JSON.parse(JSON.stringify(response)), uuid);
}

const hashedrekord = (sig: Buffer, certPem: string, hex = digest, extra: object = {}) => ({
  apiVersion: '0.0.1',
  kind: 'hashedrekord',
  spec: {
    data: { hash: { algorithm: 'sha256', value: hex } },
    signature: {
      content: sig.toString('base64'),
      publicKey: { content: Buffer.from(certPem).toString('base64') },
    },
  },
  ...extra,
});

beforeAll(async () => {
  const ca = await initializeCA(ecKeys());
  const signer = ecKeys();
  certificate = await issue(ca, signer);
  otherCertificate = await issue(ca, ecKeys());
  pem = new X509Certificate(certificate).toString();
  signature = sign('sha256', data, signer.privateKey);
  signed = { signature, certificate, digest };
  entry = await logged(hashedrekord(signature, pem));
});

describe('decodeSignatureFile', () => {
  it('decodes base64 with or without a trailing newline', () => {
    expect(decodeSignatureFile(Buffer.from(signature.toString('base64')))).toEqual(signature);
    expect(decodeSignatureFile(Buffer.from(`${signature.toString('base64')}\n`))).toEqual(signature);
    const wrapped = signature.toString('base64').replace(/(.{20})/g, '$1\r\n');
    expect(decodeSignatureFile(Buffer.from(wrapped))).toEqual(signature);
  });
  it.each(['', 'not base64!', '-----BEGIN SIGNATURE-----'])('rejects %j', (text) => {
    expect(decodeSignatureFile(Buffer.from(text))).toBeUndefined();
  });
});

describe('decodeCertificateFile', () => {
  it.each([
    ['PEM text', () => pem],
    ['PEM text with CRLF line ends', () => pem.replace(/\n/g, '\r\n')],
    ['base64 of the PEM text', () => Buffer.from(pem).toString('base64')],
    [
      'base64 of the PEM text, wrapped at 76 columns',
      () =>
        Buffer.from(pem)
          .toString('base64')
          .replace(/(.{76})/g, '$1\n'),
    ],
  ])('reads the DER certificate from %s', (_name, text) => {
    expect(decodeCertificateFile(Buffer.from(text()))).toEqual(certificate);
  });
  it.each([
    ['garbage', 'hello world'],
    [
      'a PEM block that is not a certificate',
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
    ],
    ['base64 of something else', Buffer.from('hello').toString('base64')],
  ])('rejects %s', (_name, text) => {
    expect(decodeCertificateFile(Buffer.from(text))).toBeUndefined();
  });
});

describe('entryLogsSignature', () => {
  it('matches the entry that logs this digest, signature and certificate', () => {
    expect(entryLogsSignature(entry, signed)).toBe(true);
  });
  it('does not match another signature, certificate or digest', () => {
    expect(entryLogsSignature(entry, { ...signed, signature: Buffer.from('other') })).toBe(false);
    expect(entryLogsSignature(entry, { ...signed, certificate: otherCertificate })).toBe(false);
    expect(entryLogsSignature(entry, { ...signed, digest: '0'.repeat(64) })).toBe(false);
  });
  it.each([
    ['another kind', { kind: 'rekord' }],
    ['another hashedrekord version', { apiVersion: '0.0.2' }],
  ])('does not match %s', async (_name, extra) => {
    expect(entryLogsSignature(await logged(hashedrekord(signature, pem, digest, extra)), signed)).toBe(false);
  });
});

describe('assembleBundle', () => {
  it('writes a v0.1 bundle with the certificate, the tlog entry (SET, proof, body) and the message signature', () => {
    const proof = entry.inclusionProof!;
    expect(proof.checkpoint).toMatch(/^rekor\.test - \d+\n1\n/);
    const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
    expect(assembleBundle(signed, entry)).toEqual({
      mediaType: BUNDLE_V01_MEDIA_TYPE,
      verificationMaterial: {
        x509CertificateChain: { certificates: [{ rawBytes: certificate.toString('base64') }] },
        tlogEntries: [
          {
            logIndex: String(entry.logIndex),
            logId: { keyId: b64(entry.logID) },
            kindVersion: { kind: 'hashedrekord', version: '0.0.1' },
            integratedTime: String(entry.integratedTime),
            inclusionPromise: { signedEntryTimestamp: entry.signedEntryTimestamp },
            inclusionProof: {
              logIndex: '0',
              rootHash: b64(proof.rootHash),
              treeSize: '1',
              hashes: [],
              checkpoint: { envelope: proof.checkpoint },
            },
            canonicalizedBody: entry.body,
          },
        ],
        timestampVerificationData: { rfc3161Timestamps: [] },
      },
      messageSignature: {
        messageDigest: { algorithm: 'SHA2_256', digest: Buffer.from(digest, 'hex').toString('base64') },
        signature: signature.toString('base64'),
      },
    });
  });

  it('is a bundle @sigstore/bundle accepts, carrying the same bytes', () => {
    const bundle = bundleFromJSON(assembleBundle(signed, entry) as SerializedBundle);
    expect(bundle.mediaType).toBe(BUNDLE_V01_MEDIA_TYPE);
    const material = bundle.verificationMaterial.content;
    expect(
      material.$case === 'x509CertificateChain' && material.x509CertificateChain.certificates[0]?.rawBytes,
    ).toEqual(certificate);
    const tlog = bundle.verificationMaterial.tlogEntries[0]!;
    expect(tlog.canonicalizedBody).toEqual(Buffer.from(entry.body, 'base64'));
    expect(tlog.logId.keyId).toEqual(Buffer.from(entry.logID, 'hex'));
    expect(bundle.content.$case === 'messageSignature' && bundle.content.messageSignature.signature).toEqual(
      signature,
    );
  });

  it('leaves out an inclusion proof that has no checkpoint (it could not be checked); the SET remains', () => {
    const withoutCheckpoint = {
      ...entry,
      inclusionProof: { ...entry.inclusionProof!, checkpoint: undefined },
    };
    const tlog = (
      assembleBundle(signed, withoutCheckpoint) as { verificationMaterial: { tlogEntries: object[] } }
    ).verificationMaterial.tlogEntries[0]!;
    expect(tlog).not.toHaveProperty('inclusionProof');
    expect(tlog).toHaveProperty('inclusionPromise', { signedEntryTimestamp: entry.signedEntryTimestamp });
    expect(() => bundleFromJSON(assembleBundle(signed, withoutCheckpoint) as SerializedBundle)).not.toThrow();
  });
});
