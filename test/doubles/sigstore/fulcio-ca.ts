/**
 * A Fulcio-style certificate authority with a certificate-transparency log, for
 * the Sigstore double. It implements the `CA` interface that @sigstore/mock's
 * `fulcioHandler` calls, so the HTTP side stays the mock's; what differs is the
 * certificate it issues:
 *
 * - the embedded SCT list is encoded as RFC 6962 section 3.3 says (a uint16
 *   list length, then each SCT with its own uint16 length, inside an OCTET
 *   STRING). @sigstore/mock 0.11 omits the per-SCT length, which
 *   @sigstore/core 3 cannot parse ("request past end of buffer"), so tests had
 *   to run without the SCT check;
 * - the SCT's signature covers the precertificate TBS (the final TBS without
 *   the SCT extension) and the issuer key hash, as RFC 6962 section 3.2 defines
 *   it, which is what @sigstore/verify reconstructs and checks;
 * - a subject that is an email address becomes an rfc822Name SAN (cosign's own
 *   releases are signed by a Google service account), anything else a URI.
 *
 * `ctLog: false` issues certificates with no SCT at all, for testing that a
 * verifier requires one.
 */
import { createHash, createPublicKey, randomBytes, sign, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';

const OID_SCT_LIST = '1.3.6.1.4.1.11129.2.4.2';
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-384' } as const;
const LEAF_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const TEN_MINUTES = 10 * 60 * 1000;

// Node's WebCrypto for @peculiar/x509 (its types expect the DOM `Crypto`, which this project's lib omits).
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);

/** What @sigstore/mock's fulcioHandler asks of a CA (its `CA` interface). */
export interface CertificateRequestOptions {
  publicKey: Buffer;
  subjectAltName: string;
  extensions?: { oid: string; value: string; legacy?: boolean }[];
}

export interface FulcioCA {
  rootCertificate: Buffer;
  issueCertificate(request: CertificateRequestOptions): Promise<Buffer>;
  /** DER SubjectPublicKeyInfo of the CT log key, when there is a log. */
  ctLogPublicKey: Buffer | undefined;
}

export async function createFulcioCA(options: { ctLogKey?: KeyObject | undefined }): Promise<FulcioCA> {
  const subtle = webcrypto.subtle;
  const caKeys = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: positiveSerial(),
    name: 'CN=sigstore,O=sigstore.mock',
    notBefore: new Date(now - 60 * 60 * 1000),
    notAfter: new Date(now + 7 * 24 * 60 * 60 * 1000),
    keys: caKeys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false),
    ],
  });
  const issuerKeyHash = createHash('sha256').update(Buffer.from(root.publicKey.rawData)).digest();
  const ctLogPublicKey = options.ctLogKey
    ? createPublicKey(options.ctLogKey).export({ format: 'der', type: 'spki' })
    : undefined;

  return {
    rootCertificate: Buffer.from(root.rawData),
    ctLogPublicKey,
    async issueCertificate(request: CertificateRequestOptions): Promise<Buffer> {
      const publicKey = await subtle.importKey('spki', request.publicKey, LEAF_KEY, true, ['verify']);
      const issued = new Date();
      const base = {
        serialNumber: positiveSerial(),
        issuer: root.subject,
        notBefore: issued,
        notAfter: new Date(issued.getTime() + TEN_MINUTES),
        publicKey,
        signingKey: caKeys.privateKey,
        signingAlgorithm: SIGNING_ALGORITHM,
      };
      const extensions = [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning]),
        new x509.SubjectAlternativeNameExtension([subjectAltName(request.subjectAltName)], true),
        await x509.SubjectKeyIdentifierExtension.create(publicKey, false),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey, false),
        ...(request.extensions ?? []).map(
          (e) =>
            new x509.Extension(
              e.oid,
              false,
              e.legacy === true ? Buffer.from(e.value) : derOf(0x0c, Buffer.from(e.value, 'utf8')),
            ),
        ),
      ];
      if (!options.ctLogKey) {
        const cert = await x509.X509CertificateGenerator.create({ ...base, extensions });
        return Buffer.from(cert.rawData);
      }
      const preCertificate = await x509.X509CertificateGenerator.create({ ...base, extensions });
      const sct = signedCertificateTimestamp(
        options.ctLogKey,
        ctLogPublicKey as Buffer,
        issuerKeyHash,
        tbsOf(Buffer.from(preCertificate.rawData)),
        issued.getTime(),
      );
      const sctList = Buffer.concat([uint16(sct.length + 2), uint16(sct.length), sct]);
      const final = await x509.X509CertificateGenerator.create({
        ...base,
        extensions: [...extensions, new x509.Extension(OID_SCT_LIST, false, derOf(0x04, sctList))],
      });
      return Buffer.from(final.rawData);
    },
  };
}

/** An RFC 6962 v1 SCT for a precertificate entry, signed with the log's ECDSA P-256 key. */
function signedCertificateTimestamp(
  logKey: KeyObject,
  logPublicKey: Buffer,
  issuerKeyHash: Buffer,
  tbs: Buffer,
  timestamp: number,
): Buffer {
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(BigInt(timestamp));
  const noExtensions = uint16(0);
  const signed = Buffer.concat([
    Buffer.from([0, 0]), // sct_version v1, signature_type certificate_timestamp
    time,
    uint16(1), // entry_type precert_entry
    issuerKeyHash,
    uint24(tbs.length),
    tbs,
    noExtensions,
  ]);
  const signature = sign('sha256', signed, logKey);
  return Buffer.concat([
    Buffer.from([0]),
    createHash('sha256').update(logPublicKey).digest(), // log id
    time,
    noExtensions,
    Buffer.from([4, 3]), // hash sha256, signature ecdsa
    uint16(signature.length),
    signature,
  ]);
}

function subjectAltName(subject: string): x509.JsonGeneralName {
  return !subject.includes('://') && subject.includes('@')
    ? { type: 'email', value: subject }
    : { type: 'url', value: subject };
}

/** The DER tbsCertificate: the first element of the Certificate SEQUENCE. */
function tbsOf(certificate: Buffer): Buffer {
  const outer = derHeader(certificate, 0);
  const inner = derHeader(certificate, outer.headerLength);
  return certificate.subarray(outer.headerLength, outer.headerLength + inner.headerLength + inner.length);
}

function derHeader(der: Buffer, offset: number): { headerLength: number; length: number } {
  const first = der[offset + 1] as number;
  if (!(first & 0x80)) return { headerLength: 2, length: first };
  const octets = first & 0x7f;
  let length = 0;
  for (let i = 0; i < octets; i++) length = length * 256 + (der[offset + 2 + i] as number);
  return { headerLength: 2 + octets, length };
}

function derOf(tag: number, body: Buffer): Buffer {
  const length =
    body.length < 0x80
      ? Buffer.from([body.length])
      : body.length < 0x100
        ? Buffer.from([0x81, body.length])
        : Buffer.from([0x82, body.length >> 8, body.length & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}

const uint16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const uint24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);
/** A random 64-bit serial with the top bit clear (DER INTEGERs are signed). */
const positiveSerial = () => {
  const bytes = randomBytes(8);
  bytes[0] = (bytes[0] as number) & 0x7f;
  return bytes.toString('hex');
};
