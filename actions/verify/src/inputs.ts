import { InputError, InputReader, envInputSource, type InputSource, type MaskSink } from '@slipway/core';
import { type ImageReference, readImageInput, readRegistryLogin } from '@slipway/supply-chain/registry';
import {
  type GatePolicyRequirement,
  GITHUB_ACTIONS_ISSUER,
  type IdentityPolicy,
  isPem,
  KMS_URI,
  PREDICATE_KINDS,
  type PredicateKind,
  readCosignVersion,
  rejectLineBreaks,
  validateIdentityPolicy,
} from '@slipway/supply-chain/signing';
import { type FailOn, SEVERITIES } from '@slipway/supply-chain/trivy';

export interface Inputs {
  image: ImageReference;
  engine: 'cosign' | 'native';
  /** Set unless a key is the constraint. */
  policy?: IdentityPolicy;
  key?: { kind: 'kms'; uri: string } | { kind: 'pem'; pem: string };
  type?: PredicateKind;
  /** With type gate-policy: the scan policy the attestation must show. */
  gatePolicy?: GatePolicyRequirement;
  'trusted-root'?: string;
  'insecure-ignore-sct': boolean;
  'insecure-ignore-tlog': boolean;
  registry?: { username: string; password: string };
  'cosign-version'?: string;
  /** Milliseconds. */
  timeout: number;
}

/** Every input but `key` (a PEM is several lines) and `allowed-triggers` (a list). */
const SINGLE_LINE_INPUTS = [
  'image',
  'engine',
  'certificate-identity',
  'certificate-identity-regexp',
  'certificate-oidc-issuer',
  'certificate-oidc-issuer-regexp',
  'certificate-github-workflow-repository',
  'source-repository-ref',
  'caller-workflow',
  'source-repository-id',
  'source-repository-owner-id',
  'type',
  'max-fail-on',
  'allow-ignore-unfixed',
  'trusted-root',
  'insecure-ignore-sct',
  'registry-username',
  'registry-password',
  'cosign-version',
  'timeout',
] as const;

/** The run constraints: each narrows which GitHub Actions run may have signed. */
const RUN_CONSTRAINT_INPUTS = [
  'certificate-github-workflow-repository',
  'source-repository-ref',
  'allowed-triggers',
  'caller-workflow',
  'source-repository-id',
  'source-repository-owner-id',
] as const;

/** Reads and validates every input; nothing here touches the network. */
export function getInputs(source: InputSource = envInputSource(), mask?: MaskSink): Inputs {
  rejectLineBreaks(source, SINGLE_LINE_INPUTS);
  const reader = new InputReader(source);
  const image = readImageInput(reader);
  const engine = reader.enumeration('engine', ['cosign', 'native'] as const, 'cosign');
  const identity = reader.string('certificate-identity');
  const identityRegexp = reader.string('certificate-identity-regexp');
  const issuerRegexp = reader.string('certificate-oidc-issuer-regexp');
  const issuer =
    reader.string('certificate-oidc-issuer') ?? (issuerRegexp ? undefined : GITHUB_ACTIONS_ISSUER);
  const keyText = reader.string('key');
  const sourceRepository = reader.string('certificate-github-workflow-repository');
  const sourceRepositoryRef = reader.string('source-repository-ref');
  const allowedTriggers = reader.list('allowed-triggers');
  const callerWorkflow = reader.string('caller-workflow');
  const sourceRepositoryId = reader.string('source-repository-id');
  const sourceRepositoryOwnerId = reader.string('source-repository-owner-id');
  const runConstraint = RUN_CONSTRAINT_INPUTS.find((name) => reader.string(name) !== undefined);

  let key: Inputs['key'];
  let policy: IdentityPolicy | undefined;
  if (keyText) {
    if (engine === 'native')
      throw new InputError(
        'key',
        'is set with engine native, which verifies keyless signatures only',
        'engine cosign for key-based verification',
      );
    if (identity || identityRegexp || runConstraint)
      throw new InputError(
        'key',
        `is set together with a certificate constraint (${identity ? 'certificate-identity' : identityRegexp ? 'certificate-identity-regexp' : runConstraint})`,
        'either key or the certificate constraints (a key-signed image has no certificate to check them against)',
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
      ...(sourceRepositoryRef ? { sourceRepositoryRef } : {}),
      ...(allowedTriggers.length > 0 ? { allowedTriggers } : {}),
      ...(callerWorkflow ? { callerWorkflow } : {}),
      ...(sourceRepositoryId ? { sourceRepositoryId } : {}),
      ...(sourceRepositoryOwnerId ? { sourceRepositoryOwnerId } : {}),
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
  const maxFailOn = reader.enumeration('max-fail-on', [...SEVERITIES, 'none'] as FailOn[]);
  const allowIgnoreUnfixed = reader.boolean('allow-ignore-unfixed', true);
  const gatePolicyInput =
    maxFailOn !== undefined
      ? 'max-fail-on'
      : reader.string('allow-ignore-unfixed')
        ? 'allow-ignore-unfixed'
        : undefined;
  if (gatePolicyInput && type !== 'gate-policy')
    throw new InputError(
      gatePolicyInput,
      `is set with type ${type ?? '(none: the signature)'}`,
      'it only with type gate-policy',
    );

  return {
    image,
    engine,
    ...(policy ? { policy } : {}),
    ...(key ? { key } : {}),
    ...(type ? { type } : {}),
    ...(type === 'gate-policy' ? { gatePolicy: { maxFailOn: maxFailOn ?? 'HIGH', allowIgnoreUnfixed } } : {}),
    ...(trustedRoot ? { 'trusted-root': trustedRoot } : {}),
    'insecure-ignore-sct': reader.boolean('insecure-ignore-sct', false),
    'insecure-ignore-tlog': ignoreTlog,
    ...(registry ? { registry } : {}),
    ...(version ? { 'cosign-version': version } : {}),
    timeout: reader.duration('timeout', { default: 120_000, minMs: 1000, maxMs: 3_600_000 }) as number,
  };
}
