/**
 * The hidden marker that identifies the one plan comment of a directory and
 * workspace on a pull request: `<!-- slipway:tf-plan dir=<d> ws=<w> -->`, with
 * both values percent-encoded so that no directory name can close the comment or
 * make two markers equal.
 */
export function planCommentMarker(directory: string, workspace: string): string {
  return `<!-- slipway:tf-plan dir=${encodeURIComponent(directory)} ws=${encodeURIComponent(workspace)} -->`;
}

/** Whether a comment body is the one this marker names (the marker is its first line). */
export function hasMarker(body: string | null | undefined, marker: string): boolean {
  return typeof body === 'string' && body.split(/\r?\n/, 1)[0] === marker;
}
