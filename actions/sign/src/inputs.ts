import {
  InputError,
  InputReader,
  envInputSource,
  maskSecret,
  type InputSource,
  type MaskSink,
} from '@slipway/core';
import { type ImageReference, readImageInput, readRegistryLogin } from '@slipway/supply-chain/registry';
import {
  isPem,
  KMS_URI,
  PREDICATE_KINDS,
  type PredicateKind,
  readCosignVersion,
  readServiceUrl,
  rejectLineBreaks,
  type SigningKey,
} from '@slipway/supply-chain/signing';

export interface Inputs {
  image: ImageReference;
  engine: 'cosign' | 'native';
  sign: boolean;
  predicate?: { path: string; kind: PredicateKind };
  key?: SigningKey;
  'fulcio-url': string;
  'rekor-url': string;
  'tlog-upload': boolean;
  /** Path relative to the workspace (cosign engine). */
  'trusted-root'?: string;
  registry?: { username: string; password: string };
  'cosign-version'?: string;
  /** Milliseconds. */
  timeout: number;
}

/** Every input but `private-key` (a PEM is several lines). */
const SINGLE_LINE_INPUTS = [
  'image',
  'engine',
  'sign',
  'predicate',
  'predicate-type',
  'key',
  'private-key-password',
  'fulcio-url',
  'rekor-url',
  'tlog-upload',
  'registry-username',
  'registry-password',
  'cosign-version',
  'timeout',
] as const;

/** Reads and validates every input; nothing here touches the network. */
export function getInputs(source: InputSource = envInputSource(), mask?: MaskSink): Inputs {
  rejectLineBreaks(source, SINGLE_LINE_INPUTS);
  const reader = new InputReader(source);
  const image = readImageInput(reader);
  const engine = reader.enumeration('engine', ['cosign', 'native'] as const, 'cosign');
  const sign = reader.boolean('sign', true);
  const predicatePath = reader.string('predicate');
  const predicateKind = reader.enumeration('predicate-type', PREDICATE_KINDS);
  if (predicatePath && !predicateKind)
    throw new InputError(
      'predicate-type',
      'is required when predicate is set',
      `one of: ${PREDICATE_KINDS.join(', ')}`,
    );
  if (predicateKind && !predicatePath)
    throw new InputError(
      'predicate',
      'is required when predicate-type is set',
      'the path of the predicate file',
    );
  if (!sign && !predicatePath)
    throw new InputError(
      'sign',
      'is false and no predicate is set, so there is nothing to do',
      '`true`, or a predicate to attest',
    );

  const kms = reader.string('key', {
    pattern: KMS_URI,
    form: 'a KMS URI: awskms://…, gcpkms://…, azurekms://…, hashivault://… or k8s://…',
  });
  const pem = reader.string('private-key');
  const password = reader.string('private-key-password');
  for (const secret of [pem, password]) if (secret) maskSecret(secret, mask);
  if (kms && pem)
    throw new InputError(
      'private-key',
      'is set together with key',
      'only one of key (KMS URI) and private-key (PEM)',
    );
  if (password && !pem)
    throw new InputError(
      'private-key-password',
      'is set without private-key',
      'a password only together with private-key',
    );
  let key: SigningKey | undefined;
  if (kms) key = { kind: 'kms', uri: kms };
  if (pem && !isPem(pem))
    throw new InputError(
      'private-key',
      'is not a PEM key',
      'the key file contents (-----BEGIN … KEY----- … -----END … KEY-----) from a secret, e.g. `${{ secrets.COSIGN_PRIVATE_KEY }}`',
    );
  if (pem) key = { kind: 'pem', pem, ...(password === undefined ? {} : { password }) };
  if (key && engine === 'native')
    throw new InputError(
      key.kind === 'kms' ? 'key' : 'private-key',
      'is set with engine native, which signs keyless only',
      'engine cosign for key-based signing',
    );

  const trustedRoot = reader.string('trusted-root');
  if (trustedRoot && engine === 'native')
    throw new InputError(
      'trusted-root',
      'is set with engine native, which does not use one to sign',
      'trusted-root only with engine cosign',
    );

  const registry = readRegistryLogin(reader, mask);
  const version = readCosignVersion(reader);

  return {
    image,
    engine,
    sign,
    ...(predicatePath && predicateKind ? { predicate: { path: predicatePath, kind: predicateKind } } : {}),
    ...(key ? { key } : {}),
    'fulcio-url': readServiceUrl(reader, 'fulcio-url'),
    'rekor-url': readServiceUrl(reader, 'rekor-url'),
    'tlog-upload': reader.boolean('tlog-upload', true),
    ...(trustedRoot ? { 'trusted-root': trustedRoot } : {}),
    ...(registry ? { registry } : {}),
    ...(version ? { 'cosign-version': version } : {}),
    timeout: reader.duration('timeout', { default: 120_000, minMs: 1000, maxMs: 3_600_000 }) as number,
  };
}
