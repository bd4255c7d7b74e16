import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import { SignatureRefusedError } from '@slipway/supply-chain/tools';
import { HASHICORP_KEY_FINGERPRINT, HASHICORP_RELEASE_KEY } from './hashicorp-key.ts';
import {
  AWS_PROVIDER_SUMS,
  AWS_PROVIDER_SUMS_NAME,
  AWS_PROVIDER_SUMS_SIG_BASE64,
} from './hashicorp-signed.fixture.ts';
import { verifyOpenPgpDetached } from './openpgp-signature.ts';
import { HASHICORP_KEY } from './terraform-signature.ts';

const signature = Buffer.from(AWS_PROVIDER_SUMS_SIG_BASE64, 'base64');

describe('the embedded HashiCorp release key', () => {
  it('parses as one public key with the published fingerprint C874 011F 0AB4 0511 0D02 1055 3436 5D94 72D7 468F', async () => {
    const key = await openpgp.readKey({ armoredKey: HASHICORP_RELEASE_KEY });
    expect(key.isPrivate()).toBe(false);
    expect(key.getFingerprint().toUpperCase()).toBe('C874011F0AB405110D02105534365D9472D7468F');
    expect(HASHICORP_KEY_FINGERPRINT).toBe(key.getFingerprint().toUpperCase());
    expect(key.getUserIDs()).toEqual([
      'HashiCorp Security (hashicorp.com/security) <security@hashicorp.com>',
    ]);
  });

  it('can verify signatures made today: valid now, signing subkey CD27AB87, expiry extended past 2030', async () => {
    const key = await openpgp.readKey({ armoredKey: HASHICORP_RELEASE_KEY });
    await expect(key.verifyPrimaryKey()).resolves.toBeUndefined();
    const signing = await key.getSigningKey();
    expect(signing.getFingerprint().toUpperCase()).toBe('374EC75B485913604A831CC7C820C6D5CD27AB87');
    const expires = await key.getExpirationTime();
    expect(expires instanceof Date && expires > new Date('2030-01-01T00:00:00Z')).toBe(true);
  });

  it('verifies a real HashiCorp signature of 2023 (terraform-provider-aws 5.2.0 SHA256SUMS)', async () => {
    const verified = await verifyOpenPgpDetached({
      fileName: AWS_PROVIDER_SUMS_NAME,
      data: Buffer.from(AWS_PROVIDER_SUMS),
      signature,
      key: HASHICORP_KEY,
    });
    expect(verified).toEqual({
      signingKeyId: 'C820C6D5CD27AB87',
      primaryFingerprint: 'C874011F0AB405110D02105534365D9472D7468F',
      created: new Date('2023-06-09T20:01:55Z'),
    });
  });

  it('refuses the same signature over a SHA256SUMS with one digest changed', async () => {
    const forged = AWS_PROVIDER_SUMS.replace(/^0e48449e/, '0e48449f');
    const error = await verifyOpenPgpDetached({
      fileName: AWS_PROVIDER_SUMS_NAME,
      data: Buffer.from(forged),
      signature,
      key: HASHICORP_KEY,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignatureRefusedError);
    expect(String(error)).toContain(
      "no signature by HashiCorp's key C874011F0AB405110D02105534365D9472D7468F",
    );
  });

  it('a key block whose fingerprint is not the pinned one is never used', async () => {
    const error = await verifyOpenPgpDetached({
      fileName: AWS_PROVIDER_SUMS_NAME,
      data: Buffer.from(AWS_PROVIDER_SUMS),
      signature,
      key: { ...HASHICORP_KEY, fingerprint: '0'.repeat(40) },
    }).catch((e: unknown) => e);
    expect(String(error)).toContain(
      `has fingerprint ${HASHICORP_KEY_FINGERPRINT}, not the pinned ${'0'.repeat(40)}`,
    );
  });
});
