/**
 * One Fulcio certificate for a GitHub Actions token, minted without a server:
 * the token's claims go through @sigstore/mock's Fulcio handler (which maps
 * `ref`, `event_name`, `repository_id`, `workflow_ref`… to the Sigstore OID
 * extensions exactly as it does for the Sigstore double) and our CA
 * (fulcio-ca.ts). Returns the leaf's extensions as the `{ oid, value }` pairs
 * @sigstore/verify reports for a verified signer, for unit tests of the claim
 * checks.
 */
import { generateKeyPairSync } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { ObjectIdentifierValuePair } from '@sigstore/protobuf-specs';
import { fulcioHandler } from '@sigstore/mock';
import { createFulcioCA, type FulcioCA } from './fulcio-ca.ts';

let ca: Promise<FulcioCA> | undefined;

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function mintGithubCertificate(
  claims: Record<string, string>,
): Promise<{ san: string; oids: ObjectIdentifierValuePair[] }> {
  ca ??= createFulcioCA({});
  const handler = fulcioHandler(await ca, { subjectClaim: 'fulcio_san' });
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  // the handler decodes the token without checking its signature (the double's tokens are checked elsewhere)
  const token = `${base64url({ alg: 'none' })}.${base64url(claims)}.`;
  const body = JSON.stringify({
    credentials: { oidcIdentityToken: token },
    publicKeyRequest: { publicKey: { content: publicKey.export({ format: 'pem', type: 'spki' }) } },
  });
  const result = await handler.fn(body);
  if (result.statusCode !== 201) throw new Error(`the mock Fulcio refused: ${result.response}`);
  const chain = (
    JSON.parse(String(result.response)) as {
      signedCertificateEmbeddedSct: { chain: { certificates: string[] } };
    }
  ).signedCertificateEmbeddedSct.chain.certificates;
  const leaf = new x509.X509Certificate(chain[0] as string);
  return {
    san: leaf.getExtension(x509.SubjectAlternativeNameExtension)?.names.items[0]?.value ?? '',
    oids: leaf.extensions.map((e) => ({
      oid: { id: e.type.split('.').map(Number) },
      value: Buffer.from(e.value),
    })),
  };
}
