/**
 * The `engine: native` signing path, with no cosign binary: keyless Sigstore
 * bundles built with @sigstore/sign (Fulcio certificate for the workflow's OIDC
 * token, Rekor entry) and pushed to the image's registry as OCI 1.1 referrers
 * with @sigstore/oci (artifactType `application/vnd.dev.sigstore.bundle.v0.3+json`,
 * the layout GitHub's attest actions use; registries without the referrers API
 * get the `sha256-<hex>` tag index).
 *
 * Both make a DSSE bundle over an in-toto statement whose subject is the digest,
 * as cosign v3 does with its default bundle format: `sign` with cosign's
 * signature predicate type (`https://sigstore.dev/cosign/sign/v1`, empty
 * predicate), `attest` with the predicate's type. `cosign verify` (v3) accepts
 * only DSSE bundles; a message-signature bundle fails it with "bundle does not
 * contain a DSSE envelope".
 */
import { bundleToJSON, type Bundle, type SerializedBundle } from '@sigstore/bundle';
import { attachArtifactToImage, type Credentials } from '@sigstore/oci';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, type Witness } from '@sigstore/sign';
import { UserError } from '@slipway/core';
import type { RegistryCredentials } from '../registry/registry-credentials.ts';
import type { ResolvedImage } from '../registry/resolve-digest.ts';
import { repositoryName } from '../registry/image-reference.ts';
import type { Predicate } from './predicate-types.ts';
import {
  COSIGN_SIGN_PREDICATE_TYPE,
  IN_TOTO_PAYLOAD_TYPE,
  inTotoStatement,
  signatureStatement,
  type InTotoStatement,
} from './signed-payloads.ts';
import { SIGSTORE_BUNDLE_MEDIA_TYPE, type SigstoreEndpoints } from './sigstore-endpoints.ts';

export interface NativeSigningOptions extends SigstoreEndpoints {
  /** The workflow's OIDC token (audience `sigstore`), already masked. */
  identityToken: string;
  credentials?: RegistryCredentials | undefined;
}

export interface PushedBundle {
  /** `registry/repository@<referrer manifest digest>`. */
  reference: string;
  manifestDigest: string;
  bundle: SerializedBundle;
  /** Rekor log index, when the bundle has a tlog entry. */
  logIndex?: string;
}

export async function signImageNative(
  image: ResolvedImage,
  options: NativeSigningOptions,
): Promise<PushedBundle> {
  const builder = new DSSEBundleBuilder({ signer: signer(options), witnesses: witnesses(options) });
  const statement = signatureStatement(repositoryName(image.reference), image.digest);
  const bundle = await sigstoreCall('sign', () =>
    builder.create({ data: Buffer.from(JSON.stringify(statement), 'utf8'), type: IN_TOTO_PAYLOAD_TYPE }),
  );
  return push(
    image,
    bundle,
    {
      'dev.sigstore.bundle.content': 'dsse-envelope',
      'dev.sigstore.bundle.predicateType': COSIGN_SIGN_PREDICATE_TYPE,
    },
    options,
  );
}

export async function attestImageNative(
  image: ResolvedImage,
  predicate: Predicate,
  options: NativeSigningOptions,
): Promise<PushedBundle> {
  const builder = new DSSEBundleBuilder({ signer: signer(options), witnesses: witnesses(options) });
  const statement = inTotoStatement(repositoryName(image.reference), image.digest, predicate);
  const bundle = await sigstoreCall('attest', () =>
    builder.create({ data: Buffer.from(JSON.stringify(statement), 'utf8'), type: IN_TOTO_PAYLOAD_TYPE }),
  );
  return push(
    image,
    bundle,
    {
      'dev.sigstore.bundle.content': 'dsse-envelope',
      'dev.sigstore.bundle.predicateType': predicate.predicateType,
    },
    options,
  );
}

/**
 * A keyless DSSE bundle over any in-toto statement (a file's digest, not an image), returned
 * instead of pushed: for callers that store the bundle themselves (tf-plan's sealed plans).
 */
export async function signStatementNative(
  statement: InTotoStatement,
  options: NativeSigningOptions,
): Promise<SerializedBundle> {
  const builder = new DSSEBundleBuilder({ signer: signer(options), witnesses: witnesses(options) });
  const bundle = await sigstoreCall('attest', () =>
    builder.create({ data: Buffer.from(JSON.stringify(statement), 'utf8'), type: IN_TOTO_PAYLOAD_TYPE }),
  );
  return bundleToJSON(bundle);
}

function signer(options: NativeSigningOptions): FulcioSigner {
  return new FulcioSigner({
    fulcioBaseURL: options.fulcioUrl,
    identityProvider: { getToken: () => Promise.resolve(options.identityToken) },
    timeout: options.timeoutMs,
    retry: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
  });
}

/**
 * DSSE envelopes are logged as Rekor `intoto` entries, as `cosign attest` does (the body keeps the
 * envelope's signatures, so any Rekor, including @sigstore/mock's, can be checked offline).
 */
function witnesses(options: NativeSigningOptions): Witness[] {
  if (!options.tlogUpload) return [];
  return [
    new RekorWitness({
      rekorBaseURL: options.rekorUrl,
      entryType: 'intoto',
      fetchOnConflict: true,
      timeout: options.timeoutMs,
      retry: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
    }),
  ];
}

async function push(
  image: ResolvedImage,
  bundle: Bundle,
  annotations: Record<string, string>,
  options: NativeSigningOptions,
): Promise<PushedBundle> {
  const serialized = bundleToJSON(bundle);
  const name = repositoryName(image.reference);
  let descriptor;
  try {
    descriptor = await attachArtifactToImage({
      imageName: name,
      imageDigest: image.digest,
      artifact: Buffer.from(JSON.stringify(serialized), 'utf8'),
      mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE,
      annotations,
      // @sigstore/oci signs in only when credentials are given; anonymous push otherwise.
      credentials: options.credentials as Credentials,
      fetchOpts: {
        timeout: options.timeoutMs,
        retry: { retries: 2, factor: 2, minTimeout: 500 },
        // make-fetch-happen falls back to the proxy environment variables when these are undefined
        proxy: process.env.HTTPS_PROXY ?? process.env.https_proxy,
        noProxy: process.env.NO_PROXY ?? process.env.no_proxy,
      },
    });
  } catch (error) {
    throw new UserError(`Pushing the Sigstore bundle to ${name} failed${causeOf(error)}.`, {
      hint: 'The job needs `packages: write` (GHCR) or push rights on the repository, and registry credentials (docker/login-action or registry-username/registry-password).',
      cause: error,
    });
  }
  const logIndex = serialized.verificationMaterial.tlogEntries[0]?.logIndex;
  return {
    reference: `${name}@${descriptor.digest}`,
    manifestDigest: descriptor.digest,
    bundle: serialized,
    ...(logIndex === undefined ? {} : { logIndex }),
  };
}

/** Sigstore service failures (Fulcio refusing the token, Rekor down) are the user's to fix or retry. */
async function sigstoreCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(`Sigstore ${what} failed: ${message}${causeOf(error)}`, {
      hint: 'Check fulcio-url and rekor-url, and that the job has `permissions: id-token: write`.',
      cause: error,
    });
  }
}

/**
 * `: <cause>` when the error wraps another (sigstore-js and the OCI client say
 * "error creating tlog entry" and keep `getaddrinfo ENOTFOUND …` in `cause`).
 */
function causeOf(error: unknown): string {
  return error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
}
