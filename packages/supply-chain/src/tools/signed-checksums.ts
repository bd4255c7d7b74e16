/**
 * Verifies a release's checksums file signed with a detached keyless signature
 * (syft: `cosign sign-blob --output-signature <f>.sig --output-certificate <f>.pem`),
 * as `cosign verify-blob --signature --certificate` does without a bundle: the
 * short-lived Fulcio certificate only counts together with the Rekor entry that
 * proves when it was used. The entry is looked up by the file's sha256, must log
 * exactly this signature and certificate, and is then verified with the
 * certificate as one Sigstore bundle against the trusted root and the signer.
 */
import { createHash } from 'node:crypto';
import { UserError } from '@slipway/core';
import {
  assembleBundle,
  decodeCertificateFile,
  decodeSignatureFile,
  entryLogsSignature,
  type DetachedSignature,
} from './detached-signature-bundle.ts';
import { createRekorClient, createRekorHttp, PUBLIC_GOOD_REKOR_URL, type RekorHttp } from './rekor-client.ts';
import { ReleaseAssetNotFoundError, fetchBytes, type ReleaseHttp } from './release-download.ts';
import {
  SignatureRefusedError,
  type ReleaseSignatureVerifier,
  type SigstoreVerifier,
} from './release-signature.ts';
import { releaseSigner, type SignerIdentity, type ToolName } from './tool-assets.ts';
import type { RetryOptions } from '@slipway/core';

export const DETACHED_EVIDENCE = 'keyless signature (.sig + .pem, logged in Rekor)';

/** Where the Rekor entry of a detached signature is looked up. */
export interface RekorOptions {
  /** Rekor base URL; default: the trusted root's transparency log (public-good: https://rekor.sigstore.dev). */
  url?: string;
  http?: RekorHttp;
  retry?: Partial<RetryOptions>;
}

/** The release publishes no `.sig` or `.pem` for its checksums file. */
export class UnsignedReleaseError extends UserError {
  constructor(
    readonly url: string,
    tool: string,
    version: string,
    checksumsName: string,
  ) {
    super(
      `${url} was not found (HTTP 404): ${tool} ${version} publishes no signature for ${checksumsName}, so nothing vouches for its checksums. Refusing to install a version outside tools.lock.json on an unsigned release.`,
      {
        hint: 'Use a version from tools.lock.json (omit `version`), or accept the checksums file alone: `allow-unverified-tool: true` in an action, `--accept-unsigned <tool>` for `npm run tools:refresh`.',
      },
    );
    this.name = 'UnsignedReleaseError';
  }
}

export interface SignedChecksumsCheck {
  /** A tool of tools.lock.json, or another program whose release signer is given in `signer`. */
  tool: string;
  /** Who must have signed the checksums file; default releaseSigner(tool, version). */
  signer?: SignerIdentity;
  version: string;
  checksumsName: string;
  /** The checksums file exactly as downloaded. */
  checksums: Buffer;
  /** URL of a file of the same release. */
  urlOf: (name: string) => string;
  http: ReleaseHttp;
  verifySignature: ReleaseSignatureVerifier;
  rekor?: RekorOptions;
  log?: (line: string) => void;
}

export interface SignedChecksums {
  signer: SignerIdentity;
  rekorUrl: string;
  logIndex: number;
  integratedTime: number;
  /** Bytes of the .sig and .pem files. */
  bytes: number;
  /** One line naming who signed and which log entry proves it. */
  summary: string;
}

export async function verifySignedChecksums(check: SignedChecksumsCheck): Promise<SignedChecksums> {
  const { tool, version, checksumsName: name, log } = check;
  const refuse = (reason: string) => new SignatureRefusedError(name, reason, DETACHED_EVIDENCE);

  const fetchSignatureFile = async (file: string) => {
    try {
      return await fetchBytes(check.http, check.urlOf(file), { ...(log ? { log } : {}) });
    } catch (error) {
      if (error instanceof ReleaseAssetNotFoundError)
        throw new UnsignedReleaseError(error.url, tool, version, name);
      throw error;
    }
  };
  const sigFile = await fetchSignatureFile(`${name}.sig`);
  const pemFile = await fetchSignatureFile(`${name}.pem`);
  const signature = decodeSignatureFile(sigFile);
  if (!signature) throw refuse(`${name}.sig is not a base64 signature`);
  const certificate = decodeCertificateFile(pemFile);
  if (!certificate) throw refuse(`${name}.pem holds no X.509 certificate (neither PEM nor base64 of PEM)`);
  const signed: DetachedSignature = {
    signature,
    certificate,
    digest: createHash('sha256').update(check.checksums).digest('hex'),
  };

  const verifier = check.verifySignature as Partial<SigstoreVerifier>;
  const rekor = createRekorClient({
    http: check.rekor?.http ?? createRekorHttp(),
    baseUrl:
      check.rekor?.url ?? (() => verifier.transparencyLogUrl?.() ?? Promise.resolve(PUBLIC_GOOD_REKOR_URL)),
    ...(check.rekor?.retry ? { retry: check.rekor.retry } : {}),
    ...(log ? { log } : {}),
  });
  const entries = await rekor.entriesForDigest(signed.digest);
  const rekorUrl = await rekor.baseUrl();
  const entry = entries.find((candidate) => entryLogsSignature(candidate, signed));
  if (!entry) {
    throw refuse(
      entries.length === 0
        ? `Rekor at ${rekorUrl} has no entry for sha256 ${signed.digest}, so nothing proves when the certificate was used`
        : `none of the ${entries.length} Rekor entries for sha256 ${signed.digest} at ${rekorUrl} logs this signature and certificate`,
    );
  }

  const signer = check.signer ?? releaseSigner(tool as ToolName, version);
  await check.verifySignature({
    asset: name,
    bundle: assembleBundle(signed, entry),
    artifact: check.checksums,
    artifactSha256: signed.digest,
    signer,
    evidence: DETACHED_EVIDENCE,
  });
  const integrated = new Date(entry.integratedTime * 1000).toISOString();
  return {
    signer,
    rekorUrl,
    logIndex: entry.logIndex,
    integratedTime: entry.integratedTime,
    bytes: sigFile.length + pemFile.length,
    summary: `${name} signed by ${signer.identity} (issuer ${signer.issuer}); Rekor log index ${entry.logIndex} at ${rekorUrl}, integrated ${integrated}.`,
  };
}
