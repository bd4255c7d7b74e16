/**
 * Image references for the registry actions (sign, verify, trivy-scan, sbom): the
 * grammar of @slipway/core's oci-reference, Docker Hub normalisation (`alpine` →
 * `docker.io/library/alpine`), and two rules of Slipway's own on top:
 * - digests are sha256 or sha512 only: those are what Slipway signs and verifies
 *   (the grammar also accepts sha384);
 * - a registry domain recognised only by its upper-case letters (`Octo/app`) is refused:
 *   distribution/reference reads `Octo` as a host, but cosign (go-containerregistry)
 *   reads it as a Docker Hub namespace, so the native path and cosign would disagree on
 *   the image being signed.
 */
import {
  checkReference,
  digestProblem,
  DOCKER_HUB,
  dockerHubName,
  formatReference,
  OciReferenceError,
} from '@slipway/core';

export { DOCKER_HUB };

export interface ImageReference {
  /** Host with optional port, as written (docker.io for Docker Hub). */
  registry: string;
  /** Repository path within the registry, e.g. `octo-org/app`. */
  repository: string;
  tag?: string;
  /** `<algorithm>:<hex>`, e.g. `sha256:…`. */
  digest?: string;
}

const SIGNED_DIGEST_ALGORITHMS = ['sha256', 'sha512'];

const FORM =
  'an image reference such as `ghcr.io/owner/app:1.2.3` or `ghcr.io/owner/app@sha256:<64 hex>` (lower-case repository path)';

export class ImageReferenceError extends OciReferenceError {
  constructor(reference: string, problems: readonly string[]) {
    super(reference, problems, { expected: FORM });
    this.name = 'ImageReferenceError';
  }
}

/** Splits, validates and normalises a reference; throws `ImageReferenceError` naming every problem. */
export function parseImageReference(text: string): ImageReference {
  const { reference, problems } = checkReference(text);
  if (problems.length === 0) problems.push(...slipwayProblems(reference.domain, reference.digest));
  if (problems.length > 0) throw new ImageReferenceError(text, problems);
  const { domain, path } = dockerHubName(reference);
  return {
    registry: domain,
    repository: path,
    ...(reference.tag === undefined ? {} : { tag: reference.tag }),
    ...(reference.digest === undefined ? {} : { digest: reference.digest }),
  };
}

function slipwayProblems(domain: string | undefined, digest: string | undefined): string[] {
  const problems: string[] = [];
  if (domain !== undefined && !/[.:]/.test(domain) && domain !== 'localhost')
    problems.push(
      `the registry '${domain}' has upper-case letters but no \`.\` or \`:\`, which cosign reads as a Docker Hub namespace; write the registry host with its domain (e.g. \`ghcr.io\`) or the namespace in lower case`,
    );
  const algorithm = digest?.split(':')[0];
  if (algorithm !== undefined && !SIGNED_DIGEST_ALGORITHMS.includes(algorithm))
    problems.push(
      `the digest '${digest}' uses ${algorithm}; Slipway signs and verifies sha256 and sha512 digests only`,
    );
  return problems;
}

/** True when the string is a well-formed sha256 or sha512 digest (lower-case hex of the right length). */
export function isDigest(value: string): boolean {
  return digestProblem(value) === undefined && slipwayProblems(undefined, value).length === 0;
}

/** `registry/repository` (the name cosign and skopeo use, without tag or digest). */
export function repositoryName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}

/** `registry/repository@digest`: the only form Slipway signs. */
export function pinnedReference(ref: ImageReference, digest: string): string {
  return `${repositoryName(ref)}@${digest}`;
}

/** The reference as written back: tag and digest kept when present. */
export function formatImageReference(ref: ImageReference): string {
  return formatReference({ name: repositoryName(ref), tag: ref.tag, digest: ref.digest });
}
