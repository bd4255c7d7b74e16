/**
 * Sealed plan files: the binary plan (which holds sensitive values in clear) encrypted with
 * AES-256-GCM under a 32-byte key from the `plan-key` secret (base64). One key for every run
 * keeps the design simple and lets any later job decrypt; rotate it like any repository secret.
 *
 * Layout: `SLPWTFP1` (8 bytes) | IV (12 random bytes) | ciphertext | GCM tag (16 bytes).
 * The header is authenticated as additional data, so any changed byte fails decryption.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { InputError, UserError } from '@slipway/core';

const MAGIC = Buffer.from('SLPWTFP1', 'ascii');
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SealBrokenError extends UserError {
  constructor(reason: string) {
    super(`The sealed plan cannot be opened: ${reason}.`, {
      hint: 'The file was changed after tf-plan sealed it, or plan-key is not the key tf-plan used. Re-run the plan.',
    });
    this.name = 'SealBrokenError';
  }
}

/** The `plan-key` input: exactly 32 bytes, base64. Throws InputError naming `input` otherwise. */
export function parsePlanKey(value: string, input = 'plan-key'): Buffer {
  const form = '32 random bytes in base64 (e.g. the output of `openssl rand -base64 32`), from a secret';
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || trimmed.length % 4 !== 0)
    throw new InputError(input, 'is not base64', form);
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new InputError(input, `decodes to ${key.length} bytes, not 32`, form);
  return key;
}

export function encryptPlan(plan: Buffer, key: Buffer, iv: Buffer = randomBytes(IV_BYTES)): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(MAGIC);
  const body = Buffer.concat([cipher.update(plan), cipher.final()]);
  return Buffer.concat([MAGIC, iv, body, cipher.getAuthTag()]);
}

export function decryptPlan(sealed: Buffer, key: Buffer): Buffer {
  if (sealed.length < MAGIC.length + IV_BYTES + TAG_BYTES || !sealed.subarray(0, MAGIC.length).equals(MAGIC))
    throw new SealBrokenError('it is not a Slipway sealed plan (SLPWTFP1)');
  const iv = sealed.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(MAGIC.length + IV_BYTES, sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(MAGIC);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new SealBrokenError('AES-GCM authentication failed');
  }
}
