/**
 * Text from outside (file contents, image names, paths, a previous pull request
 * body) placed into the Markdown of a pull request body or a job summary. Raw,
 * an unclosed `<!--` hides everything after it (up to the body's own marker),
 * a line break can start a heading, a fence or an HTML block, and a backtick
 * closes the code span around a value early. So text is entity-escaped and
 * kept on one line, and values go into code spans that no backtick run inside
 * can close.
 */
import { markdownTable } from '@slipway/core';
import type { ValueChange } from './plan.ts';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '`': '&#96;',
  '|': '&#124;',
};

/** Outside text as inline Markdown text: no HTML, no code span, no table cell break, one line. */
export function markdownText(text: string): string {
  return text.replace(/[&<>`|]/g, (ch) => ENTITIES[ch]!).replace(/\r\n?|\n/g, ' ');
}

/**
 * Outside text as an inline code span: the fence is one backtick longer than any
 * run inside, padded with spaces, so the content can never close it; line breaks
 * become spaces (a code span shows them so anyway). HTML inside a code span is
 * shown, not interpreted.
 */
export function markdownCode(text: string): string {
  const flat = text.replace(/\r\n?|\n/g, ' ');
  let longest = 0;
  let run = 0;
  for (const ch of flat) {
    run = ch === '`' ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  const fence = '`'.repeat(longest + 1);
  return longest === 0 ? `${fence}${flat}${fence}` : `${fence} ${flat} ${fence}`;
}

/** The table of moved values in a pull request body and the job summary: `file:line | value | old | new`. */
export function changeTable(changes: readonly ValueChange[]): string {
  return markdownTable(
    ['file', 'value', 'old', 'new'],
    changes.map((c) => [
      markdownText(`${c.file}:${c.line}`),
      markdownText(c.target),
      c.from === undefined ? '(none)' : markdownCode(c.from),
      c.to === undefined ? '(removed)' : markdownCode(c.to),
    ]),
  );
}

/**
 * `- file: value old -> new`, exactly one line per change (a value's line break would
 * otherwise add lines, such as a forged trailer, to a commit message); `format`
 * escapes each line for Markdown.
 */
export function changeList(
  changes: readonly ValueChange[],
  format: (text: string) => string = (text) => text.replace(/\r\n?|\n/g, ' '),
): string {
  return changes
    .map((c) => `- ${format(`${c.file}: ${c.target} ${c.from ?? '(none)'} -> ${c.to ?? '(removed)'}`)}`)
    .join('\n');
}
