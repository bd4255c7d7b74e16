import { InputReader } from '@slipway/core';
import { describe, expect, it } from 'vitest';
import { readCosignVersion } from './cosign-version-input.ts';

const readerOf = (inputs: Record<string, string>) => new InputReader((name) => inputs[name]);

describe('readCosignVersion', () => {
  it('drops a leading v, rejects other forms, and is undefined when not set', () => {
    expect(readCosignVersion(readerOf({ 'cosign-version': 'v3.1.3' }))).toBe('3.1.3');
    expect(readCosignVersion(readerOf({ 'cosign-version': '2.4.1' }))).toBe('2.4.1');
    expect(readCosignVersion(readerOf({}))).toBeUndefined();
    expect(() => readCosignVersion(readerOf({ 'cosign-version': 'latest' }))).toThrow(
      "Input 'cosign-version' has the value 'latest', which is not valid",
    );
  });
});
