import { describe, expect, it } from 'vitest';
import { codeBlock, details, markdownTable } from './summary.ts';

describe('markdownTable', () => {
  it('renders headers, separator and escaped cells', () => {
    expect(markdownTable(['file', 'ref'], [['a|b.yml', 'x\ny']])).toBe(
      '| file | ref |\n| --- | --- |\n| a\\|b.yml | x<br>y |',
    );
  });
  it('refuses ragged rows', () => {
    expect(() => markdownTable(['a', 'b'], [['only one']])).toThrow(/row 0 has 1 cells, expected 2/);
  });
});

describe('codeBlock', () => {
  it('uses a fence longer than any backtick run inside', () => {
    expect(codeBlock('a ```` b', 'diff')).toBe('`````diff\na ```` b\n`````');
    expect(codeBlock('plain')).toBe('```\nplain\n```');
  });
});

describe('details', () => {
  it('escapes the summary line', () => {
    expect(details('<diff>', 'body')).toBe('<details><summary>&lt;diff&gt;</summary>\n\nbody\n\n</details>');
  });
});
