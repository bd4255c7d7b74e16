/**
 * The image to roll back to after a failed deployment, read from the ops
 * repository's history of one file: the value the kustomization's `images` entry
 * (or, with `read`, the Helm values image key) had before the commits that brought
 * in the failed image. Argo CD's own
 * rollback would be undone by auto-sync; a pull request back to this value is not.
 *
 * Pure: the history (newest first, as `git log -- <file>` lists it) is passed in.
 */
import { UserError } from '@slipway/core';
import type { ImageReader } from './image-locator.ts';
import { readKustomizeImage, type ImageFields } from './kustomize-edit.ts';

export interface FileAtCommit {
  commit: string;
  /** The file's text at that commit; undefined when the commit deleted it. */
  text: string | undefined;
}

export interface RollbackRequest {
  /** Path of the file in the ops repository. */
  file: string;
  /** The kustomization's `images` entry name; with `read`, how messages name the image. */
  image: string;
  /** Reads the image at one commit (default: the kustomization entry named `image`). */
  read?: ImageReader;
  /** Commits that touched the file, newest first; the first one is the branch head's version. */
  history: readonly FileAtCommit[];
  /** The image that failed: its digest (sha256:...) or, without a digest, its tag. */
  failed: string;
  /** Further digests or tags known to be bad (earlier failed rollouts), skipped like `failed`. */
  alsoBad?: readonly string[];
}

export interface RollbackTarget {
  /** The commit whose version of the file holds the image to return to. */
  commit: string;
  /** The entry's fields at that commit (newTag, digest, newName as written). */
  fields: ImageFields;
  /** How many newer commits of the file were passed over to find it. */
  skipped: number;
}

/** The value that identifies an image version: its digest, else its tag. */
export function imageVersion(fields: ImageFields | undefined): string | undefined {
  return fields?.digest ?? fields?.newTag;
}

/**
 * Walks the history from the head: the head must hold the failed image (else
 * someone changed the file since, and rolling back would undo their change);
 * commits that hold the failed image, a known-bad one, or the same version again
 * are passed over; the first commit with another version is the target.
 */
export function findRollbackTarget(request: RollbackRequest): RollbackTarget {
  const { file, image, history, failed } = request;
  const bad = new Set([failed, ...(request.alsoBad ?? [])]);
  const head = history[0];
  if (!head) throw new UserError(`${file} has no history on the branch; there is nothing to roll back to.`);
  const headVersion = versionAt(request, head);
  if (headVersion !== failed) {
    throw new UserError(
      `${file} at ${short(head.commit)} has ${image} at ${headVersion ?? 'no version'}, not the failed ${failed}: ` +
        'the file changed after the failed deployment, so no rollback pull request is opened.',
      { hint: 'Check what the newer commit deploys; open a rollback by hand if it is still needed.' },
    );
  }
  for (let i = 1; i < history.length; i++) {
    const entry = history[i]!;
    if (entry.text === undefined) break;
    const fields = readerOf(request)(file, entry.text);
    const version = imageVersion(fields);
    if (version === undefined) break;
    if (bad.has(version)) continue;
    return { commit: entry.commit, fields: fields!, skipped: i };
  }
  throw new UserError(
    `${file} has no earlier version of ${image} than ${[...bad].join(', ')} in the ${history.length} commit(s) read; ` +
      'there is nothing to roll back to.',
    { hint: 'Roll back by hand to a digest you know is healthy.' },
  );
}

/**
 * True when more (older) history cannot change what findRollbackTarget answers
 * for this history: the head is not the failed version (it refuses), or an older
 * commit ends the walk (a target, or no earlier version). Lets the reader stop
 * fetching the file at older commits early.
 */
export function rollbackSearchSettled(request: RollbackRequest): boolean {
  const { history, failed } = request;
  const head = history[0];
  if (!head) return false;
  if (versionAt(request, head) !== failed) return true;
  const bad = new Set([failed, ...(request.alsoBad ?? [])]);
  return history.slice(1).some((entry) => {
    const version = versionAt(request, entry);
    return version === undefined || !bad.has(version);
  });
}

function readerOf(request: RollbackRequest): ImageReader {
  return request.read ?? ((file, text) => readKustomizeImage(file, text, request.image));
}

function versionAt(request: RollbackRequest, entry: FileAtCommit): string | undefined {
  if (entry.text === undefined) return undefined;
  return imageVersion(readerOf(request)(`${request.file}@${short(entry.commit)}`, entry.text));
}

const short = (oid: string) => oid.slice(0, 12);
