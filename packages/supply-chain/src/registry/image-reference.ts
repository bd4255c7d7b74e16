/**
 * Parses container image references with the grammar of the OCI distribution
 * reference format (github.com/distribution/reference): `[domain/]path[:tag][@digest]`.
 * Docker Hub conventions apply when the first component is not a domain
 * (no `.` or `:`, not `localhost`): the registry is `docker.io` and a
 * single-component path gets the `library/` prefix.
 */
import { UserError } from '@slipway/core';

export interface ImageReference {
  /** Host with optional port, as written (docker.io for Docker Hub). */
  registry: string;
  /** Repository path within the registry, e.g. `octo-org/app`. */
  repository: string;
  tag?: string;
  /** `<algorithm>:<hex>`, e.g. `sha256:…`. */
  digest?: string;
}

export const DOCKER_HUB = 'docker.io';

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9A-Fa-f:]+\\])(?::[0-9]+)?$`,
);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGESTS: Record<string, RegExp> = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
};
const MAX_NAME_LENGTH = 255;

const FORM =
  'an image reference such as `ghcr.io/owner/app:1.2.3` or `ghcr.io/owner/app@sha256:<64 hex>` (lower-case repository path)';

export class ImageReferenceError extends UserError {
  constructor(reference: string, problem: string) {
    super(`Image reference '${reference}' ${problem}. Expected ${FORM}.`);
    this.name = 'ImageReferenceError';
  }
}

/** Splits and validates a reference; throws `ImageReferenceError` naming the problem. */
export function parseImageReference(text: string): ImageReference {
  const reference = text.trim();
  if (reference === '') throw new ImageReferenceError(text, 'is empty');
  if (/\s/.test(reference)) throw new ImageReferenceError(reference, 'contains whitespace');

  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    validateDigest(reference, digest);
  }

  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon !== -1) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag))
      throw new ImageReferenceError(reference, `has the tag '${tag}', which is not a valid tag`);
  }

  const components = rest.split('/');
  let registry = DOCKER_HUB;
  const first = components[0] ?? '';
  if (components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    components.shift();
    if (!DOMAIN.test(registry))
      throw new ImageReferenceError(reference, `has the registry '${registry}', which is not a valid host`);
  } else if (components.length > 1 && /[A-Z]/.test(first)) {
    throw new ImageReferenceError(reference, 'has upper-case letters in its repository path');
  }
  for (const component of components) {
    if (!PATH_COMPONENT.test(component)) {
      throw new ImageReferenceError(
        reference,
        component === ''
          ? 'has an empty path component'
          : `has the path component '${component}', which is not valid`,
      );
    }
  }
  if (registry === DOCKER_HUB && components.length === 1) components.unshift('library');
  const repository = components.join('/');
  if (`${registry}/${repository}`.length > MAX_NAME_LENGTH)
    throw new ImageReferenceError(reference, `is longer than ${MAX_NAME_LENGTH} characters`);

  return { registry, repository, ...(tag === undefined ? {} : { tag }), ...(digest ? { digest } : {}) };
}

function validateDigest(reference: string, digest: string): void {
  const [algorithm, hex, extra] = digest.split(':');
  const pattern = algorithm === undefined ? undefined : DIGESTS[algorithm];
  if (extra !== undefined || hex === undefined || !pattern || !pattern.test(hex)) {
    throw new ImageReferenceError(
      reference,
      `has the digest '${digest}', which is not sha256:<64 lower-case hex> or sha512:<128 lower-case hex>`,
    );
  }
}

/** True when the string is a well-formed `sha256:`/`sha512:` digest. */
export function isDigest(value: string): boolean {
  const [algorithm, hex, extra] = value.split(':');
  const pattern = algorithm === undefined ? undefined : DIGESTS[algorithm];
  return extra === undefined && hex !== undefined && pattern !== undefined && pattern.test(hex);
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
  return `${repositoryName(ref)}${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.digest ? `@${ref.digest}` : ''}`;
}
