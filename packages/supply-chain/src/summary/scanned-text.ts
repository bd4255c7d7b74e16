/**
 * Text that comes out of a scanned artifact (package names, vulnerability
 * titles, misconfiguration messages, SBOM package types) or from an input,
 * made inert before it goes into a job summary. Whoever publishes a package
 * chooses these strings: an unclosed `<!--` would hide every row after it, a
 * `|` or a line break would split the table, `<img>` or a Markdown link would
 * put their content in the summary, a backtick would open a code span. Those
 * characters become character references, which render as the characters
 * themselves; `escapeCell` (packages/core) then handles `|` and `\`. Emphasis
 * characters are left alone: at worst they change how a cell looks.
 */

const SYNTAX: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '`': '&#96;',
  '[': '&#91;',
  ']': '&#93;',
};

/** One line, at most `max` characters (cut with an ellipsis), every syntax character a reference. */
export function inertText(text: string, max = 200): string {
  const flat = [...text]
    .map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? ' ' : c))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  const cut = [...flat].length > max ? `${[...flat].slice(0, max - 1).join('')}…` : flat;
  return cut.replace(/[&<>"`[\]]/g, (c) => SYNTAX[c]!);
}

/** An inline code span that holds `text` whatever backticks it contains (CommonMark: a longer fence). */
export function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
