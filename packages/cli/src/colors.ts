/** ANSI colours for the text report in a terminal: severities and file headings. */
const CODES: Record<string, string> = { error: '31', warning: '33', note: '36' };

export function colorize(report: string, enabled: boolean): string {
  if (!enabled) return report;
  return report
    .split('\n')
    .map((line) => {
      if (line !== '' && !line.startsWith(' ') && !/^\d+ finding|^No findings/.test(line))
        return `\u001b[1m${line}\u001b[0m`;
      return line.replace(/^(\s+\S+\s+)(error|warning|note)\b/, (_m, lead: string, level: string) => {
        return `${lead}\u001b[${CODES[level]}m${level}\u001b[0m`;
      });
    })
    .join('\n');
}
