/**
 * Verifies a detached OpenPGP signature (a `.sig` file, binary or ASCII-armored) over a file
 * against one pinned public key, the way `gpgv --keyring <that key>` would: the signature must be
 * made by the key (its primary key or a signing subkey) whose primary fingerprint is pinned, and
 * the key must have been valid when the signature was made.
 *
 * The OpenPGP implementation is OpenPGP.js (npm `openpgp`), imported lazily: only the install of a
 * Terraform version outside the lock loads it (ncc puts it in a chunk of its own), so every other
 * run starts without it. It behaves the same on Linux, macOS and Windows runners and in containers,
 * none of which is sure to have GnuPG's gpgv, and it needs no keyring files or gpg home.
 */
import { SignatureRefusedError } from '@slipway/supply-chain/tools';

export const OPENPGP_EVIDENCE = 'OpenPGP signature';

/** The one key a signature must come from. */
export interface PinnedOpenPgpKey {
  /** Who holds it, for messages ("HashiCorp"). */
  owner: string;
  armoredKey: string;
  /** Primary key fingerprint, 40 hex digits (any case, spaces allowed). */
  fingerprint: string;
}

export interface DetachedOpenPgpCheck {
  /** Name of the signed file, for messages. */
  fileName: string;
  data: Buffer;
  /** Content of the `.sig` file. */
  signature: Buffer;
  key: PinnedOpenPgpKey;
  /** Verification time; default now. */
  date?: Date;
}

export interface VerifiedOpenPgpSignature {
  /** The key ID that made the signature (primary or subkey), upper-case hex. */
  signingKeyId: string;
  primaryFingerprint: string;
  created: Date;
}

const normalise = (fingerprint: string) => fingerprint.replace(/\s+/g, '').toUpperCase();

export async function verifyOpenPgpDetached(check: DetachedOpenPgpCheck): Promise<VerifiedOpenPgpSignature> {
  const openpgp = await import('openpgp');
  const refuse = (reason: string) => new SignatureRefusedError(check.fileName, reason, OPENPGP_EVIDENCE);
  const pinned = normalise(check.key.fingerprint);

  // a key block that is not the pinned key is a configuration bug, never a reason to trust it
  const key = await openpgp.readKey({ armoredKey: check.key.armoredKey });
  const primaryFingerprint = key.getFingerprint().toUpperCase();
  if (primaryFingerprint !== pinned) {
    throw new Error(
      `the ${check.key.owner} key block has fingerprint ${primaryFingerprint}, not the pinned ${pinned}`,
    );
  }

  const text = check.signature.toString('latin1');
  let signature: Awaited<ReturnType<typeof openpgp.readSignature>>;
  try {
    signature = text.trimStart().startsWith('-----BEGIN PGP SIGNATURE-----')
      ? await openpgp.readSignature({ armoredSignature: text })
      : await openpgp.readSignature({ binarySignature: new Uint8Array(check.signature) });
  } catch (error) {
    throw refuse(`${check.fileName}.sig is not an OpenPGP signature (${(error as Error).message})`);
  }

  const issuers = signature.getSigningKeyIDs().map((id) => id.toHex().toUpperCase());
  const ours = signature.getSigningKeyIDs().filter((id) => key.getKeys(id).length > 0);
  if (ours.length === 0) {
    throw refuse(
      `it was made with key ${issuers.join(', ') || '(none named)'}, which is not ${check.key.owner}'s key ${pinned}`,
    );
  }

  const result = await openpgp.verify({
    message: await openpgp.createMessage({ binary: new Uint8Array(check.data) }),
    signature,
    verificationKeys: key,
    format: 'binary',
    ...(check.date ? { date: check.date } : {}),
  });
  const problems: string[] = [];
  for (const entry of result.signatures) {
    try {
      await entry.verified;
      const packet = (await entry.signature).packets[0];
      return {
        signingKeyId: entry.keyID.toHex().toUpperCase(),
        primaryFingerprint,
        created: packet?.created ?? new Date(0),
      };
    } catch (error) {
      problems.push(`${entry.keyID.toHex().toUpperCase()}: ${(error as Error).message}`);
    }
  }
  throw refuse(
    `no signature by ${check.key.owner}'s key ${pinned} matches the file (${problems.join('; ')})`,
  );
}
