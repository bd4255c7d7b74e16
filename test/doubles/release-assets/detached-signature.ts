/**
 * A syft-style detached keyless signature over a release's checksums file, made
 * for real with @sigstore/sign against the sigstore double (mock Fulcio + Rekor):
 * `<checksums>.sig` is the base64 signature and `<checksums>.pem` the Fulcio
 * certificate, as `cosign sign-blob --output-signature --output-certificate`
 * writes them (PEM text, or base64 of the PEM text as some cosign versions do).
 * The Rekor entry the signing logged is returned in Rekor's wire shape for the
 * rekor-index double.
 */
import { X509Certificate } from 'node:crypto';
import { bundleToJSON } from '@sigstore/bundle';
import { FulcioSigner, MessageSignatureBundleBuilder, RekorWitness } from '@sigstore/sign';
import type { SigstoreServices } from '../sigstore/sigstore-services.ts';
import { rekorEntryFromBundle, type RekorWireEntry } from '../rekor-index/rekor-index.ts';
import type { BuiltRelease, ReleaseFile } from './release-assets.ts';

export interface DetachedSignature {
  /** Content of `<checksums>.sig`. */
  sig: Buffer;
  /** Content of `<checksums>.pem` as PEM text. */
  pem: Buffer;
  /** The same certificate as base64 of the PEM text. */
  pemBase64: Buffer;
  /** The entry Rekor logged, as GET /api/v1/log/entries/{uuid} returns it. */
  rekorEntry: RekorWireEntry;
}

async function identityToken(sigstore: SigstoreServices): Promise<string> {
  const response = await fetch(`${sigstore.oidcEnv.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=sigstore`, {
    headers: { authorization: `Bearer ${sigstore.oidcEnv.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
  });
  return ((await response.json()) as { value: string }).value;
}

/** Signs `data` with the identity the sigstore double's current claims give. */
export async function signDetached(sigstore: SigstoreServices, data: Buffer): Promise<DetachedSignature> {
  const token = await identityToken(sigstore);
  const builder = new MessageSignatureBundleBuilder({
    signer: new FulcioSigner({
      fulcioBaseURL: sigstore.fulcioUrl,
      identityProvider: { getToken: async () => token },
    }),
    witnesses: [new RekorWitness({ rekorBaseURL: sigstore.rekorUrl })],
  });
  const bundle = bundleToJSON(await builder.create({ data })) as unknown as {
    messageSignature: { signature: string };
    verificationMaterial: {
      certificate?: { rawBytes: string };
      x509CertificateChain?: { certificates: { rawBytes: string }[] };
      tlogEntries: Parameters<typeof rekorEntryFromBundle>[0]['verificationMaterial']['tlogEntries'];
    };
  };
  const material = bundle.verificationMaterial;
  const der = material.certificate?.rawBytes ?? material.x509CertificateChain?.certificates[0]?.rawBytes;
  if (!der) throw new Error('detached-signature: the bundle carries no certificate');
  const pem = new X509Certificate(Buffer.from(der, 'base64')).toString();
  return {
    sig: Buffer.from(bundle.messageSignature.signature),
    pem: Buffer.from(pem),
    pemBase64: Buffer.from(Buffer.from(pem).toString('base64')),
    rekorEntry: rekorEntryFromBundle(bundle),
  };
}

/** The `.sig` and `.pem` release files for a release's checksums file. */
export function signatureFiles(
  release: BuiltRelease,
  signature: { sig: Buffer; pem: Buffer },
): ReleaseFile[] {
  const checksums = release.files.find((f) => f.name.endsWith('checksums.txt'));
  if (!checksums)
    throw new Error(`detached-signature: ${release.tool} ${release.version} has no checksums file`);
  return [
    { path: `${checksums.path}.sig`, name: `${checksums.name}.sig`, body: signature.sig },
    { path: `${checksums.path}.pem`, name: `${checksums.name}.pem`, body: signature.pem },
  ];
}
