import { InputError, InputReader, type MaskSink } from '@slipway/core';
import { readImageInput, readRegistryLogin } from '@slipway/supply-chain/registry/image-input';
import type { ImageReference } from '@slipway/supply-chain/registry/image-reference';
import { KMS_URI } from '@slipway/supply-chain/signing/cosign-argv';
import { isPem } from '@slipway/supply-chain/signing/cosign-key-file';
import { readCosignVersion } from '@slipway/supply-chain/signing/cosign-version-input';
import {
  GITHUB_ACTIONS_ISSUER,
  validateIdentityPolicy,
  type IdentityPolicy,
} from '@slipway/supply-chain/signing/identity-policy';
import { PREDICATE_KINDS, type PredicateKind } from '@slipway/supply-chain/signing/predicate-types';

export interface Inputs {
  image: ImageReference;
  engine: 'cosign' | 'native';
  /** Set unless a key is the constraint. */
  policy?: IdentityPolicy;
  key?: { kind: 'kms'; uri: string } | { kind: 'pem'; pem: string };
  type?: PredicateKind;
  'trusted-root'?: string;
  'insecure-ignore-sct': boolean;
  'insecure-ignore-tlog': boolean;
  registry?: { username: string; password: string };
  'cosign-version'?: string;
  /** Milliseconds. */
  timeout: number;
}

/** Reads and validates every input; nothing here touches the network. */
export function getInputs(reader = new InputReader(), mask?: MaskSink): Inputs {
  const image = readImageInput(reader);
  const engine = reader.enumeration('engine', ['cosign', 'native'] as const, 'cosign');
  const identity = reader.string('certificate-identity');
  const identityRegexp = reader.string('certificate-identity-regexp');
  const issuerRegexp = reader.string('certificate-oidc-issuer-regexp');
  const issuer =
    reader.string('certificate-oidc-issuer') ?? (issuerRegexp ? undefined : GITHUB_ACTIONS_ISSUER);
  const keyText = reader.string('key');
  const sourceRepository = reader.string('certificate-github-workflow-repository');

  let key: Inputs['key'];
  let policy: IdentityPolicy | undefined;
  if (keyText) {
    if (engine === 'native')
      throw new InputError(
        'key',
        'is set with engine native, which verifies keyless signatures only',
        'engine cosign for key-based verification',
      );
    if (identity || identityRegexp || sourceRepository)
      throw new InputError(
        'key',
        'is set together with a certificate constraint',
        'either key or certificate-identity(-regexp) and certificate-github-workflow-repository',
      );
    if (KMS_URI.test(keyText)) key = { kind: 'kms', uri: keyText };
    else if (isPem(keyText)) key = { kind: 'pem', pem: keyText };
    else
      throw new InputError(
        'key',
        'is neither a KMS URI nor a PEM public key',
        'awskms://…, gcpkms://…, azurekms://…, hashivault://… or -----BEGIN PUBLIC KEY-----…',
      );
  } else {
    policy = {
      ...(identity ? { identity } : {}),
      ...(identityRegexp ? { identityRegexp } : {}),
      ...(issuer ? { issuer } : {}),
      ...(issuerRegexp ? { issuerRegexp } : {}),
      ...(sourceRepository ? { sourceRepository } : {}),
    };
    validateIdentityPolicy(policy);
  }

  const ignoreTlog = reader.boolean('insecure-ignore-tlog', false);
  if (ignoreTlog && !key)
    throw new InputError(
      'insecure-ignore-tlog',
      'is true without key; a keyless signature is only trusted through its transparency-log entry',
      'insecure-ignore-tlog only with engine cosign and a key',
    );

  const registry = readRegistryLogin(reader, mask);
  const version = readCosignVersion(reader);
  const type = reader.enumeration('type', PREDICATE_KINDS);
  const trustedRoot = reader.string('trusted-root');

  return {
    image,
    engine,
    ...(policy ? { policy } : {}),
    ...(key ? { key } : {}),
    ...(type ? { type } : {}),
    ...(trustedRoot ? { 'trusted-root': trustedRoot } : {}),
    'insecure-ignore-sct': reader.boolean('insecure-ignore-sct', false),
    'insecure-ignore-tlog': ignoreTlog,
    ...(registry ? { registry } : {}),
    ...(version ? { 'cosign-version': version } : {}),
    timeout: reader.duration('timeout', { default: 120_000, minMs: 1000, maxMs: 3_600_000 }) as number,
  };
}
