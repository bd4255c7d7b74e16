import { describe, expect, it } from 'vitest';
import { formatValuePath, parseValuePath } from './value-path.ts';

describe('parseValuePath', () => {
  it.each([
    ['image.tag', ['image', 'tag']],
    ['apps[2].image.tag', ['apps', 2, 'image', 'tag']],
    ['"app.kubernetes.io/name".tag', ['app.kubernetes.io/name', 'tag']],
    ["labels['a.b'].c", ['labels', 'a.b', 'c']],
    ['matrix[0][1]', ['matrix', 0, 1]],
    ["a.'b'", ['a', 'b']],
  ])('%s', (text, segments) => {
    expect(parseValuePath(text)).toEqual(segments);
  });

  it.each([
    ['', 'it is empty or ends with `.`'],
    ['image.', 'it is empty or ends with `.`'],
    ['.image', 'an empty key at column 1'],
    ['a..b', 'an empty key at column 3'],
    ['apps[x]', '`[x]` is neither a list index nor a quoted key'],
    ['apps[1', '`[` at column 5 is not closed'],
    ['"a.b', 'the quote at column 1 is not closed'],
    ['a[0]b', '`.` or `[` expected at column 5'],
  ])('rejects %j', (text, problem) => {
    expect(() => parseValuePath(text, "Input 'path'")).toThrow(
      `Input 'path': '${text}' is not valid: ${problem}. Use dotted keys`,
    );
  });

  it('formats back, quoting keys with dots', () => {
    expect(formatValuePath(['apps', 2, 'image', 'tag'])).toBe('apps[2].image.tag');
    expect(formatValuePath(['podAnnotations', 'prometheus.io/scrape'])).toBe(
      'podAnnotations."prometheus.io/scrape"',
    );
  });
});
