/**
 * Rewrites pins in place. Only the bytes of the ref after `@` and the trailing
 * comment change; every other byte of the file stays as it was (CRLF, BOM,
 * quotes, indentation, other comments).
 */
import type { ScannedFile } from './check.ts';
import type { ReferenceSite } from './scan.ts';

export interface Replacement {
  site: ReferenceSite;
  /** The new ref (a full commit SHA). */
  ref: string;
  /** The comment text to write after `# `; undefined leaves any comment alone. */
  comment?: string;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Why a site cannot be rewritten in place, or undefined when it can. */
export function whyNotEditable(site: ReferenceSite): string | undefined {
  if (!site.editable || site.value === undefined)
    return 'the value is a block or escaped scalar; edit it by hand';
  if (!site.value.includes('@')) return 'the value has no @ref';
  return undefined;
}

function editsFor(replacement: Replacement): Edit[] {
  const { site, ref, comment } = replacement;
  const value = site.value ?? '';
  const refStart = site.valueStart + value.lastIndexOf('@') + 1;
  const edits: Edit[] = [{ start: refStart, end: site.valueEnd, text: ref }];
  if (comment !== undefined && site.commentSlot) {
    if (site.comment) edits.push({ start: site.comment.start, end: site.comment.end, text: `# ${comment}` });
    else edits.push({ start: site.scalarEnd, end: site.scalarEnd, text: ` # ${comment}` });
  }
  return edits;
}

/**
 * Applies replacements to a scanned file and returns the new bytes. Offsets are
 * character offsets into the decoded text; they are mapped to byte offsets so a
 * file with multi-byte characters is edited exactly. Returns undefined when the
 * file is not valid UTF-8 (decoding would not round-trip) or nothing changes.
 */
export function rewriteFile(file: ScannedFile, replacements: readonly Replacement[]): Buffer | undefined {
  if (replacements.length === 0) return undefined;
  if (!Buffer.from(file.text, 'utf8').equals(file.bytes)) return undefined;
  const edits = replacements
    .filter((r) => whyNotEditable(r.site) === undefined)
    .flatMap(editsFor)
    .sort((a, b) => a.start - b.start);
  for (let i = 1; i < edits.length; i++) {
    if ((edits[i] as Edit).start < (edits[i - 1] as Edit).end)
      throw new Error(`overlapping edits in ${file.file} at offset ${(edits[i] as Edit).start}`);
  }
  const parts: Buffer[] = [];
  let bytePos = 0;
  let charPos = 0;
  for (const edit of edits) {
    const startByte = bytePos + Buffer.byteLength(file.text.slice(charPos, edit.start), 'utf8');
    const endByte = startByte + Buffer.byteLength(file.text.slice(edit.start, edit.end), 'utf8');
    parts.push(file.bytes.subarray(bytePos, startByte), Buffer.from(edit.text, 'utf8'));
    bytePos = endByte;
    charPos = edit.end;
  }
  parts.push(file.bytes.subarray(bytePos));
  const out = Buffer.concat(parts);
  return out.equals(file.bytes) ? undefined : out;
}
