/**
 * The Sigstore double's CA against the real verifier: a message signature made with
 * @sigstore/sign through the double verifies with @sigstore/verify requiring one SCT,
 * and fails when the SCT is missing or signed by a log the trust root does not know.
 */
import { bundleFromJSON, bundleToJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { FulcioSigner, MessageSignatureBundleBuilder, RekorWitness } from '@sigstore/sign';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { X509Certificate } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startSigstoreServices, type SigstoreServices } from './sigstore-services.ts';

const started: SigstoreServices[] = [];
afterAll(() => Promise.all(started.map((s) => s.stop())));

async function services(options?: { ctLog?: boolean }) {
  const s = await startSigstoreServices(options);
  started.push(s);
  return s;
}

async function sign(s: SigstoreServices, data: Buffer) {
  const response = await fetch(s.oidcEnv.ACTIONS_ID_TOKEN_REQUEST_URL + '&audience=sigstore', {
    headers: { authorization: `Bearer ${s.oidcEnv.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
  });
  const { value } = (await response.json()) as { value: string };
  const builder = new MessageSignatureBundleBuilder({
    signer: new FulcioSigner({
      fulcioBaseURL: s.fulcioUrl,
      identityProvider: { getToken: () => Promise.resolve(value) },
    }),
    witnesses: [new RekorWitness({ rekorBaseURL: s.rekorUrl })],
  });
  return bundleToJSON(await builder.create({ data }));
}

function verify(root: object, bundle: ReturnType<typeof bundleToJSON>, data: Buffer, ctlogThreshold = 1) {
  const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(root)), {
    tlogThreshold: 1,
    ctlogThreshold,
  });
  return verifier.verify(toSignedEntity(bundleFromJSON(bundle), data));
}

const leaf = (bundle: ReturnType<typeof bundleToJSON>) => {
  const material = bundle.verificationMaterial as {
    certificate?: { rawBytes: string };
    x509CertificateChain?: { certificates: { rawBytes: string }[] };
  };
  const raw = material.certificate?.rawBytes ?? material.x509CertificateChain?.certificates[0]?.rawBytes;
  return new X509Certificate(Buffer.from(raw as string, 'base64'));
};

describe('Sigstore double CA', () => {
  const data = Buffer.from('release checksums\n');

  it('issues certificates whose embedded SCT verifies, with the identity and repository claims', async () => {
    const s = await services();
    const bundle = await sign(s, data);
    const signer = verify(s.trustedRoot(), bundle, data);
    expect(signer.identity?.subjectAlternativeName).toBe(s.identity);
    expect(signer.identity?.extensions?.issuer).toBe('https://token.actions.githubusercontent.com');
    expect(leaf(bundle).subjectAltName).toBe(`URI:${s.identity}`);
  });

  it('fails the SCT check when the trust root lists another CT log', async () => {
    const s = await services();
    const other = await services();
    const bundle = await sign(s, data);
    const root = s.trustedRoot() as { ctlogs: unknown[] };
    const foreign = { ...root, ctlogs: (other.trustedRoot() as { ctlogs: unknown[] }).ctlogs };
    expect(() => verify(foreign, bundle, data)).toThrow(/SCT verification failed/);
    expect(() => verify(s.trustedRoot(), bundle, data)).not.toThrow();
  });

  it('without a CT log: no SCT, which fails unless the threshold is 0', async () => {
    const s = await services({ ctLog: false });
    const bundle = await sign(s, data);
    expect((s.trustedRoot() as { ctlogs: unknown[] }).ctlogs).toEqual([]);
    expect(() => verify(s.trustedRoot(), bundle, data)).toThrow(/SCT/);
    expect(verify(s.trustedRoot(), bundle, data, 0).identity?.subjectAlternativeName).toBe(s.identity);
  });

  it('puts an email subject in an rfc822Name SAN (a Google service-account signer)', async () => {
    const s = await services();
    s.setClaims({
      subject: 'keyless@projectsigstore.iam.gserviceaccount.com',
      issuer: 'https://accounts.google.com',
    });
    const bundle = await sign(s, data);
    expect(leaf(bundle).subjectAltName).toBe('email:keyless@projectsigstore.iam.gserviceaccount.com');
    const signer = verify(s.trustedRoot(), bundle, data);
    expect(signer.identity?.subjectAlternativeName).toBe('keyless@projectsigstore.iam.gserviceaccount.com');
    expect(signer.identity?.extensions?.issuer).toBe('https://accounts.google.com');
  });
});
