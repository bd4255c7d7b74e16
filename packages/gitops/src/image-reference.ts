/**
 * Image references for image-bump, names kept exactly as written (the grammar,
 * `[domain/]path[:tag][@digest]`, lives in @slipway/core's oci-reference), and the
 * `kustomize edit set image` argument grammar built on top of them (`name[=newName][:newTag][@digest]`, where
 * `newName`, `newTag` and `digest` may be `*` to keep the existing value).
 */
import {
  digestProblem,
  DOCKER_HUB,
  formatReference,
  nameProblem,
  parseOciReference,
  partProblems,
  splitDomain,
  splitReference,
  OciReferenceError,
  tagProblem,
  TAG_RE,
  UserError,
  type ReferenceParts,
} from '@slipway/core';

export { digestProblem, nameProblem, tagProblem, TAG_RE };

/** A reference with its name as written, e.g. `{ name: 'ghcr.io/acme/web', tag: '1.4.2' }`. */
export type ImageReference = ReferenceParts;

/** Splits a repository name into its registry domain (docker.io when it has none) and path, as written. */
export function splitRegistry(name: string): { registry: string; path: string } {
  const { domain, path } = splitDomain(name);
  return { registry: domain ?? DOCKER_HUB, path };
}

/**
 * Parses `[domain/]path[:tag][@digest]`, keeping the name as written. Throws a UserError
 * that starts with `label` (where the text came from, e.g. "Input 'image'").
 */
export function parseImageReference(text: string, label = 'Image reference'): ImageReference {
  let parsed;
  try {
    parsed = parseOciReference(text, label);
  } catch (error) {
    if (!(error instanceof OciReferenceError)) throw error;
    throw new UserError(
      `${label}: '${text}' is not valid: ${error.problems.join('; ')}. Use \`[registry/]repository[:tag][@digest]\`, e.g. \`ghcr.io/acme/api:1.4.2@sha256:<64 hex>\`.`,
    );
  }
  const { name, tag, digest } = parsed;
  return { name, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

/** Formats a reference back to `name[:tag][@digest]`. */
export function formatImageReference(ref: ImageReference): string {
  return formatReference(ref);
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

/**
 * Parses `name[=newName][:newTag][@digest]` (newName, newTag and digest may be `*`).
 * Errors start with `label` (where the text came from, e.g. "Input 'image'").
 */
export function parseSetImageSpec(text: string, label = 'Image'): SetImageSpec {
  const fail = (problem: string): never => {
    throw new UserError(
      `${label}: '${text}' is not valid: ${problem}. Use \`name[=newName][:newTag][@digest]\`, e.g. \`web=ghcr.io/acme/web:1.4.2@sha256:<64 hex>\`.`,
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
  checkParts({ name }, fail, false);
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
  const keep = (part: string, value: string) =>
    allowKeep && (value === KEEP || (part === 'name' && value === ''));
  const problems = partProblems(ref, keep);
  if (problems.length > 0) fail(problems.join('; '));
}
