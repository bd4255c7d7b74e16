/**
 * The `engine: native` verification path: finds the Sigstore bundles attached
 * to an image digest as OCI referrers, verifies each with @sigstore/verify
 * against the trust root (certificate chain, SCT, Rekor entry, signature), and
 * accepts it only when the certificate identity and issuer satisfy the policy
 * and the signed content is about this digest: for signatures an in-toto
 * statement of cosign's signature predicate type (what cosign v3 and Slipway
 * sign) or a message signature over the simple-signing payload (what Slipway
 * signed before); for attestations an in-toto statement with this subject (and
 * predicate type, when asked). Passes when at least one bundle verifies.
 */
import { bundleFromJSON, type SerializedBundle } from '@sigstore/bundle';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { UserError, errorMessage } from '@slipway/core';
import { repositoryName } from '../registry/image-reference.ts';
import type { RegistryClient } from '../registry/registry-client.ts';
import type { ResolvedImage } from '../registry/resolve-digest.ts';
import { certificateWorkflowClaims, type WorkflowClaims } from './certificate-claims.ts';
import { identityMismatch, type IdentityPolicy } from './identity-policy.ts';
import { SIGSTORE_BUNDLE_MEDIA_TYPE } from './sigstore-endpoints.ts';
import {
  COSIGN_SIGN_PREDICATE_TYPE,
  parseStatement,
  simpleSigningPayload,
  statementCoversDigest,
  type InTotoStatement,
} from './signed-payloads.ts';

/** Bundles of the wanted kind verified at most; each costs two registry reads and a verification. */
export const MAX_BUNDLES_CHECKED = 100;

export interface NativeVerifyRequest {
  image: ResolvedImage;
  client: RegistryClient;
  trustedRoot: TrustedRoot;
  policy: IdentityPolicy;
  /** `signature` checks message signatures; `attestation` checks DSSE in-toto statements. */
  kind: 'signature' | 'attestation';
  /** For attestations: the predicateType URI that must match. */
  predicateType?: string | undefined;
  /** Skip the certificate-transparency (SCT) check, as cosign's --insecure-ignore-sct. */
  ignoreSct?: boolean;
  /** For attestations: why a verified statement's predicate is not acceptable, or undefined. */
  rejectStatement?: ((statement: InTotoStatement) => string | undefined) | undefined;
}

export interface VerifiedBundle {
  /** Digest of the referrer manifest that carried the bundle. */
  manifestDigest: string;
  identity: string;
  issuer: string;
  /** The certificate's GitHub workflow claims (repository, ref, trigger, caller workflow, IDs). */
  claims: WorkflowClaims;
  logIndex?: string;
  statement?: InTotoStatement;
}

export interface NativeVerifyResult {
  verified: VerifiedBundle[];
  /** Bundles that did not verify, with the reason (reported, not fatal while one verifies). */
  rejected: { manifestDigest: string; reason: string }[];
}

export async function verifyImageNative(request: NativeVerifyRequest): Promise<NativeVerifyResult> {
  const { image, client, kind } = request;
  const verifier = new Verifier(toTrustMaterial(request.trustedRoot), {
    tlogThreshold: 1,
    ctlogThreshold: request.ignoreSct ? 0 : 1,
  });
  const referrers = (await client.referrers(image.digest, SIGSTORE_BUNDLE_MEDIA_TYPE)).filter((d) =>
    mayHold(kind, d.annotations),
  );
  if (referrers.length > MAX_BUNDLES_CHECKED) {
    throw new UserError(
      `${referrers.length} Sigstore bundles are attached to ${image.pinned}, more than the ${MAX_BUNDLES_CHECKED} verify checks; refusing to download and verify them all.`,
      {
        hint: 'Delete stale signatures and attestations of this digest from the registry (anyone with push rights can attach bundles to it), or sign a fresh digest.',
      },
    );
  }
  const result: NativeVerifyResult = { verified: [], rejected: [] };
  for (const referrer of referrers) {
    try {
      result.verified.push(await verifyOne(referrer.digest));
    } catch (error) {
      result.rejected.push({ manifestDigest: referrer.digest, reason: errorMessage(error) });
    }
  }
  if (result.verified.length === 0) {
    const what =
      kind === 'signature'
        ? 'signature'
        : `attestation${request.predicateType ? ` of type ${request.predicateType}` : ''}`;
    const reasons = result.rejected.map((r) => `\n  - ${r.manifestDigest}: ${r.reason}`).join('');
    throw new UserError(
      referrers.length === 0
        ? `No Sigstore ${what} bundle is attached to ${image.pinned}.`
        : `None of the ${referrers.length} Sigstore bundle(s) attached to ${image.pinned} is a valid ${what} for the required identity:${reasons}`,
      {
        hint: 'Check certificate-identity and certificate-oidc-issuer against the workflow that signed the image, and the run constraints (certificate-github-workflow-repository, source-repository-ref, allowed-triggers, caller-workflow, source-repository-id, source-repository-owner-id) against the run that built it.',
      },
    );
  }
  return result;

  async function verifyOne(manifestDigest: string): Promise<VerifiedBundle> {
    const manifest = await client.getManifest(manifestDigest);
    if (!manifest) throw new Error('the referrer manifest is gone');
    const layer = (JSON.parse(manifest.body.toString('utf8')) as { layers?: { digest: string }[] })
      .layers?.[0];
    if (!layer) throw new Error('the referrer manifest has no layer');
    const serialized = JSON.parse((await client.getBlob(layer.digest)).toString('utf8')) as SerializedBundle;
    const bundle = bundleFromJSON(serialized);
    // a message signature is over the simple-signing payload (what Slipway signed before it
    // followed cosign v3); a DSSE signature carries its statement
    const payload =
      bundle.content.$case === 'messageSignature'
        ? simpleSigningPayload(repositoryName(image.reference), image.digest)
        : undefined;
    if (kind === 'attestation' && bundle.content.$case !== 'dsseEnvelope')
      throw new Error('not a DSSE attestation');
    const signer = verifier.verify(toSignedEntity(bundle, payload));
    const identity = signer.identity?.subjectAlternativeName ?? '';
    const issuer = signer.identity?.extensions?.issuer ?? '';
    const claims = certificateWorkflowClaims(signer.identity?.oids);
    const mismatch = identityMismatch(request.policy, {
      subjectAlternativeName: identity,
      issuer,
      ...claims,
    });
    if (mismatch) throw new Error(mismatch);
    const verified: VerifiedBundle = { manifestDigest, identity, issuer, claims };
    const logIndex = serialized.verificationMaterial.tlogEntries[0]?.logIndex;
    if (logIndex !== undefined) verified.logIndex = logIndex;
    if (bundle.content.$case === 'dsseEnvelope') {
      const statement = parseStatement(bundle.content.dsseEnvelope.payload);
      if (!statement) throw new Error('the DSSE payload is not an in-toto statement');
      if (!statementCoversDigest(statement, image.digest))
        throw new Error(`the statement is not about ${image.digest}`);
      const wanted = kind === 'signature' ? COSIGN_SIGN_PREDICATE_TYPE : request.predicateType;
      if (wanted && statement.predicateType !== wanted)
        throw new Error(`predicate type ${statement.predicateType}, not ${wanted}`);
      const rejection = request.rejectStatement?.(statement);
      if (rejection) throw new Error(rejection);
      verified.statement = statement;
    }
    return verified;
  }
}

/**
 * Whether a referrer can hold a bundle of this kind, from its annotations (cosign v3 and Slipway
 * set `dev.sigstore.bundle.content` and, for DSSE, `dev.sigstore.bundle.predicateType`; a
 * referrer without them is checked). Signatures: message signatures, and DSSE bundles of cosign's
 * signature predicate type; attestations: DSSE bundles of any other predicate type.
 */
function mayHold(
  kind: NativeVerifyRequest['kind'],
  annotations: Record<string, string> | undefined,
): boolean {
  const content = annotations?.['dev.sigstore.bundle.content'];
  const predicateType = annotations?.['dev.sigstore.bundle.predicateType'];
  if (content === undefined) return true;
  if (content === 'message-signature') return kind === 'signature';
  if (content !== 'dsse-envelope') return false;
  if (predicateType === undefined) return true;
  return (predicateType === COSIGN_SIGN_PREDICATE_TYPE) === (kind === 'signature');
}
