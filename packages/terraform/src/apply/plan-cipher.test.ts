import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InputError } from '@slipway/core';
import { decryptPlan, encryptPlan, parsePlanKey, SealBrokenError } from './plan-cipher.ts';

const key = randomBytes(32);
const flip = (b: Buffer, at: number) => b.writeUInt8(b.readUInt8(at) ^ 1, at);
const plan = Buffer.from('PK\u0003\u0004 a plan with password=hunter2 inside');

describe('plan cipher (AES-256-GCM)', () => {
  it('round-trips, and the ciphertext does not contain the plan', () => {
    const sealed = encryptPlan(plan, key);
    expect(sealed.includes(Buffer.from('hunter2'))).toBe(false);
    expect(sealed.subarray(0, 8).toString()).toBe('SLPWTFP1');
    expect(decryptPlan(sealed, key)).toEqual(plan);
  });

  it('uses a fresh IV each time', () => {
    expect(encryptPlan(plan, key).equals(encryptPlan(plan, key))).toBe(false);
  });

  it.each([
    ['a body byte', (b: Buffer) => flip(b, 25)],
    ['the IV', (b: Buffer) => flip(b, 9)],
    ['the tag', (b: Buffer) => flip(b, b.length - 1)],
  ])('refuses a flipped bit in %s', (_, change) => {
    const sealed = encryptPlan(plan, key);
    change(sealed);
    expect(() => decryptPlan(sealed, key)).toThrow(/AES-GCM authentication failed/);
  });

  it('refuses the wrong key and a file that is not sealed', () => {
    expect(() => decryptPlan(encryptPlan(plan, key), randomBytes(32))).toThrow(SealBrokenError);
    expect(() => decryptPlan(plan, key)).toThrow(/not a Slipway sealed plan/);
  });

  it('parses a 32-byte base64 key and names the input otherwise', () => {
    expect(parsePlanKey(key.toString('base64'))).toEqual(key);
    expect(() => parsePlanKey(randomBytes(16).toString('base64'))).toThrow(/plan-key.*16 bytes, not 32/s);
    expect(() => parsePlanKey('not base64!')).toThrow(InputError);
  });
});
