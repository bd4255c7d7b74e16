/**
 * Exact argv arrays for cosign v3 (`sign`, `attest`, `verify`,
 * `verify-attestation`). Every user value is its own argv entry (never joined
 * into a flag, never through a shell) and the image comes after `--`, so no
 * value can be read as a flag. Boolean flags use the `--flag=false` form
 * pflag needs.
 *
 * Service URLs: with the defaults cosign takes Fulcio/Rekor from its
 * TUF-provided signing config; any non-default URL (or no tlog upload) turns
 * that off (`--use-signing-config=false`) and passes the URLs explicitly.
 */
import { anchoredRegexp, type IdentityPolicy } from './identity-policy.ts';
import { DEFAULT_FULCIO_URL, DEFAULT_REKOR_URL } from './sigstore-endpoints.ts';
import { cosignPredicateType, type PredicateKind } from './predicate-types.ts';

/** A KMS URI (`awskms://…`, `gcpkms://…`, `azurekms://…`, `hashivault://…`) or a key file path. */
export type CosignKeyRef = { kind: 'kms'; uri: string } | { kind: 'file'; path: string };

export const KMS_URI = /^(awskms|gcpkms|azurekms|hashivault|k8s):\/\/\S+$/;

export interface CosignSigningArgs {
  /** `registry/repository@sha256:…` only. */
  image: string;
  key?: CosignKeyRef | undefined;
  fulcioUrl: string;
  rekorUrl: string;
  tlogUpload: boolean;
  /** Where cosign writes the Sigstore bundle (log index comes from it). */
  bundlePath: string;
  /** A private deployment's TrustedRoot JSON: cosign checks the SCT and the new bundle against it. */
  trustedRootPath?: string | undefined;
}

export interface CosignVerifyArgs {
  image: string;
  policy?: IdentityPolicy | undefined;
  key?: CosignKeyRef | undefined;
  trustedRootPath?: string | undefined;
  ignoreSct: boolean;
  /** Accept a signature without a Rekor entry (key-based signing with tlog upload off). */
  ignoreTlog?: boolean | undefined;
}

export function signArgv(args: CosignSigningArgs): string[] {
  return ['sign', '--yes', ...signingCommon(args), '--', args.image];
}

export function attestArgv(
  args: CosignSigningArgs & { predicatePath: string; type: PredicateKind },
): string[] {
  return [
    'attest',
    '--yes',
    '--type',
    cosignPredicateType(args.type),
    '--predicate',
    args.predicatePath,
    ...signingCommon(args),
    '--',
    args.image,
  ];
}

export function verifyArgv(args: CosignVerifyArgs): string[] {
  return ['verify', ...verifyCommon(args), '--', args.image];
}

export function verifyAttestationArgv(args: CosignVerifyArgs & { type: PredicateKind }): string[] {
  return [
    'verify-attestation',
    '--type',
    cosignPredicateType(args.type),
    ...verifyCommon(args),
    '--',
    args.image,
  ];
}

/**
 * The constraints of `policy` that cosign has no flag for: the caller workflow
 * (.1.18), the repository and owner IDs (.1.15, .1.17) and a list of several
 * triggers. The cosign engine checks these itself on the verified bundles.
 */
export function constraintsCosignCannotCheck(policy: IdentityPolicy | undefined): string[] {
  if (!policy) return [];
  return [
    ...(policy.callerWorkflow !== undefined ? ['caller-workflow'] : []),
    ...(policy.sourceRepositoryId !== undefined ? ['source-repository-id'] : []),
    ...(policy.sourceRepositoryOwnerId !== undefined ? ['source-repository-owner-id'] : []),
    ...((policy.allowedTriggers?.length ?? 0) > 1 ? ['allowed-triggers (more than one)'] : []),
  ];
}

function keyArgs(key: CosignKeyRef | undefined): string[] {
  if (!key) return [];
  return ['--key', key.kind === 'kms' ? key.uri : key.path];
}

/** The key (if any), the Sigstore services and the bundle path: what `sign` and `attest` share. */
function signingCommon(args: CosignSigningArgs): string[] {
  return [
    ...keyArgs(args.key),
    ...serviceArgs(args),
    ...(args.trustedRootPath ? ['--trusted-root', args.trustedRootPath] : []),
    '--bundle',
    args.bundlePath,
  ];
}

function serviceArgs(args: CosignSigningArgs): string[] {
  const keyless = args.key === undefined;
  const customFulcio = keyless && args.fulcioUrl !== DEFAULT_FULCIO_URL;
  const customRekor = args.rekorUrl !== DEFAULT_REKOR_URL;
  if (!customFulcio && !customRekor && args.tlogUpload) return [];
  const out = ['--use-signing-config=false'];
  if (keyless) out.push('--fulcio-url', args.fulcioUrl);
  if (args.tlogUpload) out.push('--rekor-url', args.rekorUrl);
  else out.push('--tlog-upload=false');
  return out;
}

function verifyCommon(args: CosignVerifyArgs): string[] {
  const out: string[] = [];
  if (args.key) {
    out.push(...keyArgs(args.key));
  } else if (args.policy) {
    const p = args.policy;
    if (p.identity !== undefined) out.push('--certificate-identity', p.identity);
    if (p.identityRegexp !== undefined)
      out.push('--certificate-identity-regexp', anchoredRegexp(p.identityRegexp));
    if (p.issuer !== undefined) out.push('--certificate-oidc-issuer', p.issuer);
    if (p.issuerRegexp !== undefined)
      out.push('--certificate-oidc-issuer-regexp', anchoredRegexp(p.issuerRegexp));
    if (p.sourceRepository !== undefined)
      out.push('--certificate-github-workflow-repository', p.sourceRepository);
    // legacy extensions .1.6 and .1.2: the `ref` and `event_name` claims, the caller's for a reusable workflow
    if (p.sourceRepositoryRef !== undefined)
      out.push('--certificate-github-workflow-ref', p.sourceRepositoryRef);
    if (p.allowedTriggers?.length === 1)
      out.push('--certificate-github-workflow-trigger', p.allowedTriggers[0] as string);
  }
  if (args.trustedRootPath) out.push('--trusted-root', args.trustedRootPath);
  if (args.ignoreSct) out.push('--insecure-ignore-sct');
  if (args.ignoreTlog) out.push('--insecure-ignore-tlog=true');
  out.push('--output', 'json');
  return out;
}
