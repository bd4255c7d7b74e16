import * as core from '@actions/core';

/** Escapes text for a GitHub-flavoured Markdown table cell. */
export function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** Renders a Markdown table. Every row must have as many cells as `headers`. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  for (const [index, row] of rows.entries()) {
    if (row.length !== headers.length) {
      throw new Error(`markdownTable: row ${index} has ${row.length} cells, expected ${headers.length}`);
    }
  }
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(headers), `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}

/** Wraps long content (a diff, a log) in a collapsed section. */
export function details(summary: string, body: string): string {
  return `<details><summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}

/** A fenced code block whose fence is longer than any backtick run inside the content. */
export function codeBlock(content: string, language = ''): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${content}\n${fence}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Where the job summary goes; tests pass a collector. */
export type SummaryWriter = (markdown: string) => Promise<void>;

/**
 * Appends Markdown to the job summary. Outside a runner (no GITHUB_STEP_SUMMARY,
 * e.g. the CLI) it is a no-op rather than an error.
 */
export const actionsSummaryWriter: SummaryWriter = async (markdown) => {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(markdown, true).write();
};
