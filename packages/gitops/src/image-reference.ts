/**
 * Image references as the OCI distribution spec defines them
 * (`[domain/]path[:tag][@digest]`), and the `kustomize edit set image` argument
 * grammar built on top of them (`name[=newName][:newTag][@digest]`, where
 * `newName`, `newTag` and `digest` may be `*` to keep the existing value).
 */
import { UserError } from '@slipway/core';

export interface ImageReference {
  /** Repository including the registry domain, e.g. `ghcr.io/acme/web`. */
  name: string;
  tag?: string;
  digest?: string;
}

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN = `(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?`;
const PATH_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const DOMAIN_RE = new RegExp(`^${DOMAIN}$`);
export const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const KNOWN_DIGEST_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 };
const NAME_TOTAL_LENGTH_MAX = 255;

/** Returns a reason when `digest` is not `algorithm:hex` with the right length for sha256/sha512. */
export function digestProblem(digest: string): string | undefined {
  if (!DIGEST_RE.test(digest)) return 'is not a digest of the form `sha256:<64 hex digits>`';
  const [algorithm, hex] = digest.split(':') as [string, string];
  const expected = KNOWN_DIGEST_LENGTH[algorithm];
  if (expected !== undefined && hex.length !== expected)
    return `has ${hex.length} hex digits; ${algorithm} needs ${expected}`;
  if (expected !== undefined && hex !== hex.toLowerCase()) return 'must use lower-case hex digits';
  return undefined;
}

/** Returns a reason when `tag` does not match the OCI tag grammar. */
export function tagProblem(tag: string): string | undefined {
  if (TAG_RE.test(tag)) return undefined;
  return tag.length > 128
    ? 'is longer than 128 characters'
    : 'may only contain letters, digits, `_`, `.` and `-`, and must not start with `.` or `-`';
}

/** Returns a reason when `name` is not a valid repository name (domain optional, no tag or digest). */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > NAME_TOTAL_LENGTH_MAX) return `is longer than ${NAME_TOTAL_LENGTH_MAX} characters`;
  const slash = name.indexOf('/');
  let path = name;
  if (slash > 0) {
    const first = name.slice(0, slash);
    if (/[.:]/.test(first) || first === 'localhost' || /[A-Z]/.test(first)) {
      if (!DOMAIN_RE.test(first)) return `has an invalid registry domain '${first}'`;
      path = name.slice(slash + 1);
    }
  }
  if (!PATH_RE.test(path))
    return 'must be lower-case path components ([a-z0-9] separated by `.`, `_`, `__` or `-`) joined by `/`';
  return undefined;
}

/** Splits a repository name into its registry domain (docker.io when it has none) and path. */
export function splitRegistry(name: string): { registry: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash > 0 ? name.slice(0, slash) : '';
  if (first && (/[.:]/.test(first) || first === 'localhost' || /[A-Z]/.test(first))) {
    return { registry: first, path: name.slice(slash + 1) };
  }
  return { registry: 'docker.io', path: name };
}

/** Parses `[domain/]path[:tag][@digest]`. Throws UserError naming `label` when malformed. */
export function parseImageReference(text: string, label = 'image reference'): ImageReference {
  const { name, tag, digest } = splitReference(text);
  const problems = [
    prefix('name', name, nameProblem(name)),
    tag === undefined ? undefined : prefix('tag', tag, tagProblem(tag)),
    digest === undefined ? undefined : prefix('digest', digest, digestProblem(digest)),
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0)
    throw new UserError(`The ${label} '${text}' is not valid: ${problems.join('; ')}.`);
  return { name, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

function prefix(part: string, value: string, problem: string | undefined): string | undefined {
  return problem === undefined ? undefined : `the ${part} '${value}' ${problem}`;
}

function splitReference(text: string): ImageReference {
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

/** Formats a reference back to `name[:tag][@digest]`. */
export function formatImageReference(ref: ImageReference): string {
  return `${ref.name}${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.digest === undefined ? '' : `@${ref.digest}`}`;
}

/**
 * The argument of `kustomize edit set image`. A field is a value to set, `'*'`
 * to keep what the entry has, or undefined to drop it (the entry is replaced whole).
 */
export interface SetImageSpec {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

export const KEEP = '*';

/** Parses `name[=newName][:newTag][@digest]` (newName, newTag and digest may be `*`). */
export function parseSetImageSpec(text: string, label = 'image'): SetImageSpec {
  const fail = (problem: string): never => {
    throw new UserError(
      `The ${label} '${text}' is not valid: ${problem}. Use \`name[=newName][:newTag][@digest]\`, e.g. \`web=ghcr.io/acme/web:1.4.2@sha256:<64 hex>\`.`,
    );
  };
  const eq = text.indexOf('=');
  if (eq < 0) {
    const ref = splitReference(text);
    checkParts(ref, fail, false);
    if (ref.tag === undefined && ref.digest === undefined) fail('it sets neither a tag nor a digest');
    return {
      name: ref.name,
      ...(ref.tag === undefined ? {} : { newTag: ref.tag }),
      ...(ref.digest === undefined ? {} : { digest: ref.digest }),
    };
  }
  const name = text.slice(0, eq);
  const problem = nameProblem(name);
  if (problem) fail(`the name '${name}' ${problem}`);
  const target = splitReference(text.slice(eq + 1));
  checkParts(target, fail, true);
  if (target.name === '' && target.tag === undefined && target.digest === undefined)
    fail('nothing follows `=`');
  return {
    name,
    ...(target.name === '' ? {} : { newName: target.name }),
    ...(target.tag === undefined ? {} : { newTag: target.tag }),
    ...(target.digest === undefined ? {} : { digest: target.digest }),
  };
}

function checkParts(ref: ImageReference, fail: (problem: string) => never, allowKeep: boolean): void {
  const keep = (value: string | undefined) => allowKeep && value === KEEP;
  if (!(allowKeep && ref.name === '') && !keep(ref.name)) {
    const problem = nameProblem(ref.name);
    if (problem) fail(`the name '${ref.name}' ${problem}`);
  }
  if (ref.tag !== undefined && !keep(ref.tag)) {
    const problem = tagProblem(ref.tag);
    if (problem) fail(`the tag '${ref.tag}' ${problem}`);
  }
  if (ref.digest !== undefined && !keep(ref.digest)) {
    const problem = digestProblem(ref.digest);
    if (problem) fail(`the digest '${ref.digest}' ${problem}`);
  }
}
