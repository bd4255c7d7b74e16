/**
 * Proves where a sealed plan came from before anything else looks at it: the Sigstore bundle
 * verifies against the trust root (certificate chain, SCT, Rekor entry, DSSE signature), the
 * signer satisfies the identity policy (the plan workflow), and the signed statement is a
 * sealed-plan manifest about exactly this encrypted file.
 */
import { bundleFromJSON, type SerializedBundle } from '@sigstore/bundle';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { UserError, errorMessage } from '@slipway/core';
import {
  certificateWorkflowClaims,
  identityMismatch,
  type IdentityPolicy,
  parseStatement,
  statementCoversDigest,
} from '@slipway/supply-chain/signing';
import { PLAN_SEAL_PREDICATE_TYPE, parseManifest, sha256Hex, type PlanManifest } from './plan-manifest.ts';

export class ProvenanceError extends UserError {
  constructor(
    readonly check: string,
    reason: string,
    hint = 'Re-run tf-plan for this commit, or use on-mismatch: replan to plan again at apply time.',
  ) {
    super(`The sealed plan's provenance is not proven (${check}): ${reason}.`, { hint });
    this.name = 'ProvenanceError';
  }
}

export interface VerifiedSeal {
  manifest: PlanManifest;
  identity: string;
  sealedSha256: string;
}

export function verifySealedPlan(
  sealed: Buffer,
  bundleJson: string,
  trustedRoot: TrustedRoot,
  policy: IdentityPolicy,
): VerifiedSeal {
  let bundle;
  try {
    bundle = bundleFromJSON(JSON.parse(bundleJson) as SerializedBundle);
  } catch (error) {
    throw new ProvenanceError('bundle', `the bundle is not a Sigstore bundle (${errorMessage(error)})`);
  }
  if (bundle.content.$case !== 'dsseEnvelope')
    throw new ProvenanceError('bundle', 'the bundle holds no DSSE envelope');
  const verifier = new Verifier(toTrustMaterial(trustedRoot), { tlogThreshold: 1, ctlogThreshold: 1 });
  let signer;
  try {
    signer = verifier.verify(toSignedEntity(bundle));
  } catch (error) {
    throw new ProvenanceError('signature', errorMessage(error));
  }
  const identity = signer.identity?.subjectAlternativeName ?? '';
  const mismatch = identityMismatch(policy, {
    subjectAlternativeName: identity,
    issuer: signer.identity?.extensions?.issuer ?? '',
    ...certificateWorkflowClaims(signer.identity?.oids),
  });
  if (mismatch)
    throw new ProvenanceError(
      'identity',
      mismatch,
      'Set certificate-identity to the workflow that runs tf-plan (https://github.com/OWNER/REPO/.github/workflows/FILE@REF).',
    );
  const statement = parseStatement(bundle.content.dsseEnvelope.payload);
  if (!statement || statement.predicateType !== PLAN_SEAL_PREDICATE_TYPE)
    throw new ProvenanceError('statement', 'the signed statement is not a sealed-plan manifest');
  const sealedSha256 = sha256Hex(sealed);
  if (!statementCoversDigest(statement, `sha256:${sealedSha256}`))
    throw new ProvenanceError('digest', `the bundle is not about this sealed plan (sha256 ${sealedSha256})`);
  const manifest = parseManifest(statement.predicate);
  if (!manifest) throw new ProvenanceError('statement', 'the manifest in the statement is malformed');
  return { manifest, identity, sealedSha256 };
}
