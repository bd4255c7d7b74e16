/**
 * Container image references, `[domain/]path[:tag][@digest]`, with the grammar of
 * github.com/distribution/reference (regexp.go, reference.go) and the digest rules of
 * github.com/opencontainers/go-digest, which that package's `Parse` applies. One set of
 * problem messages for every Slipway caller; each caller adds its own policy on top.
 *
 * Rules, as decided when the gitops and supply-chain parsers were merged:
 * - The first `/`-separated component is a registry domain when it contains `.` or `:`,
 *   is `localhost`, or has upper-case letters (distribution's splitDockerDomain).
 * - Path components are lower-case `[a-z0-9]` runs joined by `.`, `_`, `__` or `-`+.
 * - A tag is `[\w][\w.-]{0,127}`.
 * - A digest must match the grammar (`algorithm:hex`, 32 or more hex digits) and use an
 *   algorithm go-digest registers: sha256, sha384 or sha512, with exactly 64, 96 or 128
 *   lower-case hex digits. Other algorithms are unsupported, as in `reference.Parse`.
 * - The name as written (domain, `/` and path) is at most 255 characters. Since v0.6.0
 *   distribution/reference counts the path only; the OCI distribution spec notes that
 *   many clients count the whole name, so Slipway keeps that stricter limit.
 * - Text is not trimmed: whitespace anywhere is reported as such.
 * - Names are kept as written; Docker Hub normalisation (`docker.io`, `library/`) is the
 *   separate step `dockerHubName`.
 */
import { UserError } from './errors.ts';

/** A reference split into its parts, before any validation. */
export interface ReferenceParts {
  /** `[domain/]path` as written, e.g. `ghcr.io/acme/web`. */
  name: string;
  tag?: string;
  /** `<algorithm>:<hex>`, e.g. `sha256:…`. */
  digest?: string;
}

/** A valid reference: the parts plus the name split into registry domain and path. */
export interface OciReference extends ReferenceParts {
  /** Registry host with optional port, as written; undefined for a name without one. */
  domain?: string;
  /** Repository path within the registry, as written (no `library/` added). */
  path: string;
}

export const DOCKER_HUB = 'docker.io';
export const NAME_TOTAL_LENGTH_MAX = 255;
export const TAG_RE = /^[\w][\w.-]{0,127}$/;

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_RE = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`,
);
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DIGEST_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** go-digest's registered algorithms and their hex lengths. */
export const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

/** Splits `name[:tag][@digest]` at the first `@` and the first `:` after the last `/`; no checks. */
export function splitReference(text: string): ReferenceParts {
  const at = text.indexOf('@');
  const digest = at < 0 ? undefined : text.slice(at + 1);
  let name = at < 0 ? text : text.slice(0, at);
  const colon = name.indexOf(':', name.lastIndexOf('/') + 1);
  const tag = colon < 0 ? undefined : name.slice(colon + 1);
  if (colon >= 0) name = name.slice(0, colon);
  return { name, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

/** True when the first component of a name is a registry domain rather than a path component. */
export function isDomainComponent(component: string): boolean {
  return /[.:]/.test(component) || component === 'localhost' || component !== component.toLowerCase();
}

/** Splits a name into its registry domain (when it has one) and its path, as written. */
export function splitDomain(name: string): { domain?: string; path: string } {
  const slash = name.indexOf('/');
  const first = name.slice(0, Math.max(slash, 0));
  return slash > 0 && isDomainComponent(first)
    ? { domain: first, path: name.slice(slash + 1) }
    : { path: name };
}

/** Returns a reason when `domain` is not a host name, IPv4 or [IPv6] address with an optional port. */
export function domainProblem(domain: string): string | undefined {
  return DOMAIN_RE.test(domain)
    ? undefined
    : `has an invalid registry domain '${domain}' (expected a host name, an IPv4 address or an [IPv6] address, with an optional :port)`;
}

/** Returns a reason when `name` (domain optional, no tag or digest) is not a valid repository name. */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > NAME_TOTAL_LENGTH_MAX) return `is longer than ${NAME_TOTAL_LENGTH_MAX} characters`;
  const { domain, path } = splitDomain(name);
  const problem = domain === undefined ? undefined : domainProblem(domain);
  if (problem !== undefined) return problem;
  for (const component of path.split('/')) {
    if (component === '') return 'has an empty path component';
    if (!PATH_COMPONENT_RE.test(component))
      return `has the path component '${component}', which must be lower-case letters and digits with only \`.\`, \`_\`, \`__\` or \`-\` between them`;
  }
  return undefined;
}

/** Returns a reason when `tag` does not match the tag grammar. */
export function tagProblem(tag: string): string | undefined {
  if (TAG_RE.test(tag)) return undefined;
  if (tag === '') return 'is empty';
  return tag.length > 128
    ? 'is longer than 128 characters'
    : 'may only contain letters, digits, `_`, `.` and `-`, and must not start with `.` or `-`';
}

/** Returns a reason when `digest` is not a sha256, sha384 or sha512 digest in lower-case hex. */
export function digestProblem(digest: string): string | undefined {
  if (!DIGEST_RE.test(digest)) return 'is not a digest of the form `sha256:<64 hex digits>`';
  const [algorithm, hex] = digest.split(':') as [string, string];
  const expected = DIGEST_HEX_LENGTH[algorithm];
  if (expected === undefined)
    return `uses the unsupported algorithm '${algorithm}' (supported: ${Object.keys(DIGEST_HEX_LENGTH).join(', ')})`;
  if (hex.length !== expected) return `has ${hex.length} hex digits; ${algorithm} needs ${expected}`;
  if (hex !== hex.toLowerCase()) return 'must use lower-case hex digits';
  return undefined;
}

type Part = keyof ReferenceParts;
const PART_PROBLEM: Record<Part, (value: string) => string | undefined> = {
  name: nameProblem,
  tag: tagProblem,
  digest: digestProblem,
};

/**
 * Lists the problems of a reference's parts, each naming the part: `the tag '-x' may only …`.
 * `skip` exempts a value from its check (a caller's own placeholder, such as kustomize's `*`).
 */
export function partProblems(parts: ReferenceParts, skip?: (part: Part, value: string) => boolean): string[] {
  return (['name', 'tag', 'digest'] as const).flatMap((part) => {
    const value = parts[part];
    if (value === undefined || skip?.(part, value)) return [];
    const reason = PART_PROBLEM[part](value);
    return reason === undefined ? [] : [`the ${part} '${value}' ${reason}`];
  });
}

/** Splits `text` and lists every problem of it; whitespace anywhere is the one problem reported. */
export function checkReference(text: string): { reference: OciReference; problems: string[] } {
  const parts = splitReference(text);
  const reference: OciReference = { ...parts, ...splitDomain(parts.name) };
  return { reference, problems: /\s/.test(text) ? ['it contains whitespace'] : partProblems(parts) };
}

/** A malformed reference; the message names the `label`, the text and every problem. */
export class OciReferenceError extends UserError {
  readonly reference: string;
  readonly problems: readonly string[];

  constructor(
    text: string,
    problems: readonly string[],
    options: { label?: string; expected?: string } = {},
  ) {
    const expected = options.expected === undefined ? '' : ` Expected ${options.expected}.`;
    super(
      `The ${options.label ?? 'image reference'} '${text}' is not valid: ${problems.join('; ')}.${expected}`,
    );
    this.name = 'OciReferenceError';
    this.reference = text;
    this.problems = problems;
  }
}

/** Parses `[domain/]path[:tag][@digest]`; throws `OciReferenceError` naming `label` when malformed. */
export function parseOciReference(text: string, label = 'image reference'): OciReference {
  const { reference, problems } = checkReference(text);
  if (problems.length > 0) throw new OciReferenceError(text, problems, { label });
  return reference;
}

/** Formats parts back to `name[:tag][@digest]`. */
export function formatReference(parts: ReferenceParts): string {
  const tag = parts.tag === undefined ? '' : `:${parts.tag}`;
  return `${parts.name}${tag}${parts.digest === undefined ? '' : `@${parts.digest}`}`;
}

/**
 * Docker Hub normalisation (distribution's normalize.go): no domain means `docker.io`,
 * the legacy `index.docker.io` becomes `docker.io`, and a single-component path on
 * Docker Hub gets the `library/` prefix (`alpine` → `docker.io/library/alpine`).
 */
export function dockerHubName(name: { domain?: string; path: string }): { domain: string; path: string } {
  const domain = name.domain === undefined || name.domain === 'index.docker.io' ? DOCKER_HUB : name.domain;
  const path = domain === DOCKER_HUB && !name.path.includes('/') ? `library/${name.path}` : name.path;
  return { domain, path };
}
