/**
 * HashiCorp's verification of a Terraform release: `terraform_<v>_SHA256SUMS.sig` is a detached
 * OpenPGP signature of `terraform_<v>_SHA256SUMS` by HashiCorp's release key (hashicorp-key.ts),
 * and the archive's sha256 must be the one that file lists. This checks the signature; the caller
 * takes the archive's digest from the verified file.
 *
 * Releases from before HashiCorp's April 2021 key rotation carry a `.sig` by the revoked older key:
 * they are refused as signed by another key.
 */
import { UserError } from '@slipway/core';
import { ReleaseAssetNotFoundError, fetchBytes, type ReleaseHttp } from '@slipway/supply-chain/tools';
import { HASHICORP_KEY_FINGERPRINT, HASHICORP_RELEASE_KEY } from './hashicorp-key.ts';
import { verifyOpenPgpDetached, type PinnedOpenPgpKey } from './openpgp-signature.ts';

export const HASHICORP_KEY: PinnedOpenPgpKey = {
  owner: 'HashiCorp',
  armoredKey: HASHICORP_RELEASE_KEY,
  fingerprint: HASHICORP_KEY_FINGERPRINT,
};

export interface TerraformChecksumsCheck {
  version: string;
  checksumsName: string;
  /** The checksums file exactly as downloaded. */
  checksums: Buffer;
  /** URL of a file of the same release. */
  urlOf: (name: string) => string;
  http: ReleaseHttp;
  /** Default HASHICORP_KEY; tests pin a key of their own. */
  key?: PinnedOpenPgpKey;
  log?: (line: string) => void;
}

/** Resolves with a one-line summary when the signature verifies; throws a UserError otherwise. */
export async function verifyTerraformChecksums(check: TerraformChecksumsCheck): Promise<string> {
  const key = check.key ?? HASHICORP_KEY;
  const sigName = `${check.checksumsName}.sig`;
  let signature: Buffer;
  try {
    signature = await fetchBytes(check.http, check.urlOf(sigName), {
      ...(check.log ? { log: check.log } : {}),
    });
  } catch (error) {
    if (error instanceof ReleaseAssetNotFoundError) {
      throw new UserError(
        `Input 'version': terraform ${check.version} is not in tf-tools.lock.json and ${error.url} is missing, so nothing verifies ${check.checksumsName}. Refusing to install it.`,
        { hint: 'Use a version from tf-tools.lock.json, or check the version and the download mirror.' },
      );
    }
    throw error;
  }
  const verified = await verifyOpenPgpDetached({
    fileName: check.checksumsName,
    data: check.checksums,
    signature,
    key,
  });
  return `${check.checksumsName} signed by ${key.owner}'s key ${verified.primaryFingerprint} (signing key ${verified.signingKeyId}) on ${verified.created.toISOString()}.`;
}
