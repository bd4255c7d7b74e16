/**
 * Parsing of the strings that name third-party code: a `uses:` value and a
 * container image. Nothing here touches YAML or the network.
 */
import { splitReference } from '@slipway/core';

/** A full commit SHA as GitHub accepts it for a pin: 40 lowercase hex digits. */
export const FULL_SHA = /^[0-9a-f]{40}$/;
const ANY_CASE_SHA = /^[0-9a-fA-F]{40}$/;
const SHORT_SHA = /^[0-9a-fA-F]{7,39}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const NAME_PART = /^[A-Za-z0-9_.-]+$/;

export type UsesReference =
  | { kind: 'local'; path: string }
  /** `$/path`: this repository at the commit that is running (github.com, 2026-07-30); pinned by nature. */
  | { kind: 'self'; path: string }
  | { kind: 'action'; owner: string; repo: string; path: string; ref: string }
  | { kind: 'docker'; image: ImageReference }
  | { kind: 'expression' }
  | { kind: 'invalid'; reason: string };

export interface ImageReference {
  /** Registry and repository without tag or digest: `ghcr.io/org/app`, `node`. */
  name: string;
  tag?: string;
  digest?: string;
  /** The text after `@`, when there is one, valid digest or not. */
  rawDigest?: string;
}

export const hasExpression = (value: string): boolean => value.includes('${{');

/** Parses a `uses:` value: `owner/repo[/path]@ref`, `./local/path`, `$/path` or `docker://image`. */
export function parseUsesReference(value: string): UsesReference {
  if (hasExpression(value)) return { kind: 'expression' };
  if (value.startsWith('$/')) return parseSelfReference(value);
  if (value.startsWith('./') || value.startsWith('.\\') || value === '.')
    return { kind: 'local', path: value };
  if (value.startsWith('docker://')) {
    const image = parseImageReference(value.slice('docker://'.length));
    return 'reason' in image ? { kind: 'invalid', reason: image.reason } : { kind: 'docker', image };
  }
  if (/\s/.test(value)) return { kind: 'invalid', reason: 'it contains whitespace' };
  const at = value.lastIndexOf('@');
  if (at < 0) return { kind: 'invalid', reason: 'it has no @<ref>' };
  const ref = value.slice(at + 1);
  if (ref === '') return { kind: 'invalid', reason: 'the ref after @ is empty' };
  const [owner, repo, ...path] = value.slice(0, at).split('/');
  if (!owner || !repo || !NAME_PART.test(owner) || !NAME_PART.test(repo)) {
    return { kind: 'invalid', reason: 'it is not of the form owner/repo[/path]@ref' };
  }
  if (path.some((part) => part === '')) return { kind: 'invalid', reason: 'its path has an empty segment' };
  return { kind: 'action', owner, repo, path: path.join('/'), ref };
}

/**
 * `$/path`: the repository of the workflow at the commit being run. It names no ref of its own,
 * so `$/path@ref` is not accepted by GitHub (the commit is the running one, never another).
 */
function parseSelfReference(value: string): UsesReference {
  const path = value.slice(2);
  if (/\s/.test(path)) return { kind: 'invalid', reason: 'it contains whitespace' };
  const at = path.indexOf('@');
  if (at >= 0)
    return {
      kind: 'invalid',
      reason: `a $/ reference is always this repository at the running commit and takes no @ref; write '$/${path.slice(0, at)}'`,
    };
  if (path === '' || path.split('/').some((part) => part === '' || part === '..'))
    return {
      kind: 'invalid',
      reason: "a $/ reference needs a path inside the repository, such as '$/.github/actions/setup'",
    };
  return { kind: 'self', path };
}

/**
 * Splits `registry/name:tag@sha256:...` with the OCI reference splitting of
 * @slipway/core. Deliberately lenient: pin-check only asks whether the image is
 * pinned by a sha256 digest, not whether every part is valid.
 */
export function parseImageReference(value: string): ImageReference | { reason: string } {
  if (value.trim() === '') return { reason: 'the image is empty' };
  if (/\s/.test(value)) return { reason: 'the image contains whitespace' };
  const { name, tag, digest: rawDigest } = splitReference(value);
  if (name === '') return { reason: 'the image has no name' };
  const image: ImageReference = { name };
  if (tag !== undefined) image.tag = tag;
  if (rawDigest !== undefined) {
    image.rawDigest = rawDigest;
    if (DIGEST.test(rawDigest)) image.digest = rawDigest;
  }
  return image;
}

/** Why a ref is not a pin, in words, or undefined when it is a full lowercase SHA. */
export function describeUnpinnedRef(ref: string): string | undefined {
  if (FULL_SHA.test(ref)) return undefined;
  if (ANY_CASE_SHA.test(ref)) return 'it is a SHA in uppercase hex, which is not a valid pin (use lowercase)';
  if (SHORT_SHA.test(ref) && /[0-9]/.test(ref) && /^[0-9a-f]+$/.test(ref))
    return `it is a short SHA (${ref.length} characters), which can become ambiguous`;
  return `'${ref}' is a tag or branch, which can be moved`;
}

/** Why an image is not pinned, or undefined when it carries a sha256 digest. */
export function describeUnpinnedImage(image: ImageReference): string | undefined {
  if (image.digest) return undefined;
  if (image.rawDigest !== undefined)
    return `'@${image.rawDigest}' is not a sha256 digest (sha256: and 64 lowercase hex digits)`;
  return image.tag ? `it uses the tag '${image.tag}' without a digest` : 'it has no tag and no digest';
}

/** `owner/repo` in lower case: the key for allow-lists, caching and API lookups. */
export const repoKey = (owner: string, repo: string): string => `${owner}/${repo}`.toLowerCase();
