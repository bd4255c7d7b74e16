import { InputReader } from '@slipway/core';
import { describe, expect, it } from 'vitest';
import { readImageInput, readRegistryLogin } from './image-input.ts';

const readerOf = (inputs: Record<string, string>) => new InputReader((name) => inputs[name]);

describe('readImageInput', () => {
  it('parses the image reference', () => {
    expect(readImageInput(readerOf({ image: ' ghcr.io/octo-org/app:v1 ' }))).toEqual({
      registry: 'ghcr.io',
      repository: 'octo-org/app',
      tag: 'v1',
    });
  });

  it('names the image input when the reference is malformed or missing', () => {
    expect(() => readImageInput(readerOf({ image: 'ghcr.io/Octo/app:1' }))).toThrow(
      "Input 'image' is not a valid image reference: the name 'ghcr.io/Octo/app' has the path component 'Octo', which must be lower-case letters and digits with only `.`, `_`, `__` or `-` between them. Expected `registry/repository:tag` or `registry/repository@sha256:<digest>` (lower-case repository path).",
    );
    expect(() => readImageInput(readerOf({}))).toThrow("Input 'image' is required but was not set");
  });
});

describe('readRegistryLogin', () => {
  it('returns both values and masks the password before anything else', () => {
    const masked: string[] = [];
    const login = readRegistryLogin(
      readerOf({ 'registry-username': 'octocat', 'registry-password': 's3cret-pass' }),
      (value) => masked.push(value),
    );
    expect(login).toEqual({ username: 'octocat', password: 's3cret-pass' });
    expect(masked).toContain('s3cret-pass');
  });

  it('is undefined when neither is set', () => {
    expect(readRegistryLogin(readerOf({}), () => undefined)).toBeUndefined();
  });

  it('names the missing half, having masked a lone password', () => {
    const masked: string[] = [];
    expect(() =>
      readRegistryLogin(readerOf({ 'registry-password': 's3cret-pass' }), (value) => masked.push(value)),
    ).toThrow("Input 'registry-username' is missing");
    expect(masked).toContain('s3cret-pass');
    expect(() => readRegistryLogin(readerOf({ 'registry-username': 'octocat' }), () => undefined)).toThrow(
      "Input 'registry-password' is missing",
    );
  });
});
