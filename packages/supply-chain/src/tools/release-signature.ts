/**
 * Verifies a release asset's Sigstore bundle (`<asset>.sigstore.json`) against
 * the project's signing identity, for tool versions that are not in the lock
 * file. Message-signature bundles are checked against the asset bytes; DSSE
 * bundles (in-toto statements) must name the asset's sha256 as a subject.
 */
import { bundleFromJSON, type SerializedBundle } from '@sigstore/bundle';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { getTrustedRoot } from '@sigstore/tuf';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { UserError, errorMessage } from '@slipway/core';
import type { SignerIdentity } from './tool-assets.ts';

export interface SignatureCheck {
  asset: string;
  /** The bundle as parsed JSON. */
  bundle: unknown;
  artifact: Buffer;
  artifactSha256: string;
  signer: SignerIdentity;
  /** What the refusal names as the evidence; default 'Sigstore bundle'. */
  evidence?: string;
}

/** Resolves when the bundle proves `signer` signed the artifact; throws a UserError otherwise. */
export type ReleaseSignatureVerifier = (check: SignatureCheck) => Promise<void>;

/** A verifier over a trusted root, which also says where that root's transparency log is. */
export type SigstoreVerifier = ReleaseSignatureVerifier & {
  /** The base URL of the trusted root's (first) transparency log, e.g. https://rekor.sigstore.dev. */
  transparencyLogUrl(): Promise<string>;
};

export class SignatureRefusedError extends UserError {
  constructor(asset: string, reason: string, evidence = 'Sigstore bundle') {
    super(`The ${evidence} of ${asset} does not verify: ${reason}. Nothing from it was run.`);
    this.name = 'SignatureRefusedError';
  }
}

/**
 * A verifier over a Sigstore trusted root. Production fetches the public-good
 * root through TUF (@sigstore/tuf, which ships its own initial root); tests pass
 * the root of a @sigstore/mock instance.
 */
export function createSigstoreVerifier(
  trustedRoot: () => Promise<TrustedRoot> = () => getTrustedRoot(),
): SigstoreVerifier {
  let root: Promise<TrustedRoot> | undefined;
  const verify: ReleaseSignatureVerifier = async ({
    asset,
    bundle,
    artifact,
    artifactSha256,
    signer,
    evidence,
  }) => {
    root ??= trustedRoot();
    let parsed;
    try {
      parsed = bundleFromJSON(bundle as SerializedBundle);
    } catch (error) {
      throw new SignatureRefusedError(
        asset,
        `it is not a Sigstore bundle (${errorMessage(error)})`,
        evidence,
      );
    }
    const verifier = new Verifier(toTrustMaterial(await root), {
      tlogThreshold: 1,
      ctlogThreshold: 1, // one certificate-transparency SCT, as cosign requires
    });
    const isDsse = parsed.content.$case === 'dsseEnvelope';
    try {
      verifier.verify(toSignedEntity(parsed, isDsse ? undefined : artifact), {
        subjectAlternativeName: signer.identity,
        extensions: { issuer: signer.issuer },
      });
    } catch (error) {
      throw new SignatureRefusedError(asset, errorMessage(error), evidence);
    }
    if (parsed.content.$case === 'dsseEnvelope') {
      const subjects = statementSubjectDigests(parsed.content.dsseEnvelope.payload);
      if (!subjects.includes(artifactSha256)) {
        throw new SignatureRefusedError(
          asset,
          `its statement does not name sha256 ${artifactSha256}`,
          evidence,
        );
      }
    }
  };
  return Object.assign(verify, {
    async transparencyLogUrl() {
      root ??= trustedRoot();
      const url = (await root).tlogs.find((log) => log.baseUrl)?.baseUrl;
      if (!url) throw new UserError('The Sigstore trusted root names no transparency log URL.');
      return url;
    },
  });
}

/** The sha256 digests of an in-toto statement's subjects. */
export function statementSubjectDigests(payload: Buffer): string[] {
  let statement: { subject?: { digest?: { sha256?: unknown } }[] };
  try {
    statement = JSON.parse(payload.toString('utf8')) as typeof statement;
  } catch {
    return [];
  }
  return (statement.subject ?? [])
    .map((s) => s.digest?.sha256)
    .filter((d): d is string => typeof d === 'string')
    .map((d) => d.toLowerCase());
}
