/**
 * The certificate authority of an intercepting (TLS-terminating) corporate
 * proxy: a self-signed root that the job trusts through NODE_EXTRA_CA_CERTS, and
 * one server certificate per host name the proxy answers for (DNS SAN, ECDSA
 * P-256, serverAuth), issued when a tunnel to that name first opens.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// Node's WebCrypto for @peculiar/x509 (its types expect the DOM `Crypto`, which this project's lib omits).
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
const HOUR = 60 * 60 * 1000;

export interface ServerCredentials {
  /** PEM certificate chain: the leaf, then the root. */
  cert: string;
  /** PEM PKCS#8 private key. */
  key: string;
}

export interface InterceptionCA {
  /** PEM of the root certificate. */
  rootPem: string;
  /** A file holding `rootPem`, for NODE_EXTRA_CA_CERTS. */
  rootFile: string;
  /** Certificate and key for `hostname` (cached per name). */
  credentialsFor(hostname: string): Promise<ServerCredentials>;
}

function pem(label: string, der: ArrayBuffer): string {
  const body = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${body.replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** A positive serial number (the first byte's top bit clear). */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] as number) & 0x7f;
  return bytes.toString('hex');
}

export async function createInterceptionCA(): Promise<InterceptionCA> {
  const subtle = webcrypto.subtle;
  const rootKeys = (await subtle.generateKey(KEY_ALGORITHM, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=Slipway test interception proxy CA,O=forward-proxy double',
    notBefore: new Date(now - HOUR),
    notAfter: new Date(now + 24 * HOUR),
    keys: rootKeys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey, false),
    ],
  });
  const rootPem = root.toString('pem') + '\n';
  const rootFile = join(mkdtempSync(join(tmpdir(), 'forward-proxy-ca-')), 'ca.pem');
  writeFileSync(rootFile, rootPem);

  const issued = new Map<string, Promise<ServerCredentials>>();
  const issue = async (hostname: string): Promise<ServerCredentials> => {
    const keys = (await subtle.generateKey(KEY_ALGORITHM, true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair;
    const leaf = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: `CN=${hostname}`,
      issuer: root.subject,
      notBefore: new Date(Date.now() - HOUR),
      notAfter: new Date(Date.now() + 24 * HOUR),
      publicKey: keys.publicKey,
      signingKey: rootKeys.privateKey,
      signingAlgorithm: SIGNING_ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: hostname }], false),
        await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey, false),
      ],
    });
    return {
      cert: leaf.toString('pem') + '\n' + rootPem,
      key: pem('PRIVATE KEY', await subtle.exportKey('pkcs8', keys.privateKey)),
    };
  };
  return {
    rootPem,
    rootFile,
    credentialsFor(hostname) {
      let credentials = issued.get(hostname);
      if (!credentials) {
        credentials = issue(hostname);
        issued.set(hostname, credentials);
      }
      return credentials;
    },
  };
}
