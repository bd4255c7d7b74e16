/**
 * The `engine: cosign` path: runs the cosign binary with the argv from
 * cosign-argv.ts through an injected exec (argv array, never a shell). Keyless
 * signing uses cosign's ambient GitHub Actions OIDC provider (the job's
 * ACTIONS_ID_TOKEN_REQUEST_* variables); key-based signing takes a KMS URI or a
 * PEM key from a secret (written to RUNNER_TEMP for the run, then removed) with
 * its password in COSIGN_PASSWORD, set only in cosign's environment.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError, maskSecret, type MaskSink } from '@slipway/core';
import type { ResolvedImage } from '../registry/resolve-digest.ts';
import {
  attestArgv,
  signArgv,
  verifyArgv,
  verifyAttestationArgv,
  type CosignKeyRef,
  type CosignVerifyArgs,
} from './cosign-argv.ts';
import { withKeyFile } from './cosign-key-file.ts';
import {
  logIndexFromBundle,
  logIndexFromStderr,
  parseVerifyAttestationOutput,
  parseVerifyOutput,
} from './cosign-output.ts';
import type { IdentityPolicy } from './identity-policy.ts';
import type { SigstoreEndpoints } from './sigstore-endpoints.ts';
import type { Predicate } from './predicate-types.ts';
import type { InTotoStatement } from './signed-payloads.ts';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}
export type ExecFn = (
  command: string,
  args: string[],
  options: { env: Record<string, string> },
) => Promise<ExecResult>;

export interface CosignRuntime {
  cosignPath: string;
  exec: ExecFn;
  /** RUNNER_TEMP: key files and bundles go in fresh directories under it. */
  tempDir: string;
  /** Environment cosign inherits (the job's, with ACTIONS_ID_TOKEN_REQUEST_*, DOCKER_CONFIG…). */
  env: Record<string, string>;
  mask?: MaskSink;
}

/** Signing key: none (keyless), a KMS URI, or a PEM private key from a secret with its password. */
export type SigningKey =
  { kind: 'kms'; uri: string } | { kind: 'pem'; pem: string; password?: string | undefined };

export interface CosignSignResult {
  logIndex?: string;
  /** The Sigstore bundle cosign wrote, as text. */
  bundle?: string;
}

export async function cosignSign(
  runtime: CosignRuntime,
  image: ResolvedImage,
  options: {
    key?: SigningKey | undefined;
    services: SigstoreEndpoints;
    predicate?: Predicate | undefined;
    trustedRootPath?: string | undefined;
  },
): Promise<CosignSignResult> {
  return withSigningKey(runtime, options.key, 'private-key', async (keyRef, env) => {
    const dir = mkdtempSync(join(runtime.tempDir, 'slipway-cosign-'));
    const bundlePath = join(dir, 'bundle.sigstore.json');
    try {
      const common = {
        image: image.pinned,
        key: keyRef,
        fulcioUrl: options.services.fulcioUrl,
        rekorUrl: options.services.rekorUrl,
        tlogUpload: options.services.tlogUpload,
        bundlePath,
        trustedRootPath: options.trustedRootPath,
      };
      const argv = options.predicate
        ? attestArgv({ ...common, predicatePath: options.predicate.path, type: options.predicate.kind })
        : signArgv(common);
      const result = await runCosign(runtime, argv, env, options.predicate ? 'attest' : 'sign');
      let bundle: string | undefined;
      try {
        bundle = readFileSync(bundlePath, 'utf8');
      } catch {
        bundle = undefined;
      }
      const logIndex =
        (bundle === undefined ? undefined : logIndexFromBundle(bundle)) ?? logIndexFromStderr(result.stderr);
      return { ...(logIndex === undefined ? {} : { logIndex }), ...(bundle === undefined ? {} : { bundle }) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

export interface CosignVerifyOptions {
  policy?: IdentityPolicy | undefined;
  /** KMS URI or PEM public key text. */
  key?: { kind: 'kms'; uri: string } | { kind: 'pem'; pem: string } | undefined;
  trustedRootPath?: string | undefined;
  ignoreSct: boolean;
  ignoreTlog?: boolean | undefined;
  predicate?: Predicate['kind'] | undefined;
  /** For attestations: why a statement cosign verified is not acceptable, or undefined. */
  rejectStatement?: ((statement: InTotoStatement) => string | undefined) | undefined;
}

/** Runs verify / verify-attestation; returns how many signatures or statements about the digest passed. */
export async function cosignVerify(
  runtime: CosignRuntime,
  image: ResolvedImage,
  options: CosignVerifyOptions,
): Promise<number> {
  const key: SigningKey | undefined =
    options.key?.kind === 'pem' ? { kind: 'pem', pem: options.key.pem } : options.key;
  return withSigningKey(runtime, key, 'key', async (keyRef, env) => {
    const args: CosignVerifyArgs = {
      image: image.pinned,
      policy: options.policy,
      key: keyRef,
      trustedRootPath: options.trustedRootPath,
      ignoreSct: options.ignoreSct,
      ignoreTlog: options.ignoreTlog,
    };
    if (options.predicate) {
      const result = await runCosign(
        runtime,
        verifyAttestationArgv({ ...args, type: options.predicate }),
        env,
        'verify-attestation',
      );
      const statements = verifiedOutput(() => parseVerifyAttestationOutput(result.stdout, image.digest));
      const reasons = statements.map((s) => options.rejectStatement?.(s));
      const accepted = reasons.filter((r) => r === undefined).length;
      if (accepted === 0)
        throw new UserError(
          `cosign verified ${statements.length} ${options.predicate} attestation(s), and none has an acceptable predicate:${reasons.map((r) => `\n  - ${r}`).join('')}`,
        );
      return accepted;
    }
    const result = await runCosign(runtime, verifyArgv(args), env, 'verify');
    return verifiedOutput(() => parseVerifyOutput(result.stdout, image.digest).length);
  });
}

async function withSigningKey<T>(
  runtime: CosignRuntime,
  key: SigningKey | undefined,
  input: string,
  use: (keyRef: CosignKeyRef | undefined, env: Record<string, string>) => Promise<T>,
): Promise<T> {
  const env = { ...runtime.env };
  if (!key) return use(undefined, env);
  if (key.kind === 'kms') return use({ kind: 'kms', uri: key.uri }, env);
  // an empty COSIGN_PASSWORD keeps cosign from prompting for an unencrypted key
  env.COSIGN_PASSWORD = key.password === undefined ? '' : maskSecret(key.password, runtime.mask);
  return withKeyFile(
    key.pem,
    { tempDir: runtime.tempDir, input, ...(runtime.mask ? { mask: runtime.mask } : {}) },
    (path) => use({ kind: 'file', path }, env),
  );
}

async function runCosign(
  runtime: CosignRuntime,
  argv: string[],
  env: Record<string, string>,
  what: string,
): Promise<ExecResult> {
  const result = await runtime.exec(runtime.cosignPath, argv, { env });
  if (result.exitCode !== 0) {
    const tail = result.stderr.trim().split(/\r?\n/).slice(-5).join('\n');
    throw new UserError(`cosign ${what} failed (exit ${result.exitCode}):\n${tail}`, {
      hint: what.startsWith('verify')
        ? 'The image has no signature that satisfies the identity constraints (certificate-identity, certificate-oidc-issuer) or key.'
        : 'Keyless signing needs `permissions: id-token: write`; pushing the signature needs `packages: write` (GHCR) or push rights.',
    });
  }
  return result;
}

/** cosign exiting 0 without printing anything about the digest is a failed verification, not a pass. */
function verifiedOutput<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UserError(`Verification failed: ${(error as Error).message}`, {
      hint: 'cosign reported success but printed nothing about the requested digest; the step fails rather than trust that.',
      cause: error,
    });
  }
}
