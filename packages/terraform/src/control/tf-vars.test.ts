import { UserError } from '@slipway/core';
import { describe, expect, it } from 'vitest';
import { parseTfVars } from './tf-vars.ts';

describe('parseTfVars', () => {
  it('reads NAME=value lines, masking every value; a value keeps its = and spaces', () => {
    const masked: string[] = [];
    const vars = parseTfVars('# database\ndb_password=s3cr=t value \n\nregion-name=eu\r\n  \n', (v) =>
      masked.push(v),
    );
    expect(vars).toEqual([
      { name: 'db_password', value: 's3cr=t value ' },
      { name: 'region-name', value: 'eu' },
    ]);
    expect(masked).toEqual(['s3cr=t value ', 'eu']);
  });

  it.each([
    ['a=1\nnot a line\n', 'tf-vars line 2 is not NAME=value'],
    ['TF VAR=x\n', 'tf-vars line 1 is not NAME=value'],
    ['=orphan-value\n', 'tf-vars line 1 is not NAME=value'],
    ['1abc=x\n', 'tf-vars line 1 is not NAME=value'],
    ['a=1\nb=2\na=3\n', 'tf-vars line 3 sets a again (first set on line 1)'],
  ])('names the line of a bad entry, never its text: %j', (text, message) => {
    const masked: string[] = [];
    let error: unknown;
    try {
      parseTfVars(text, (v) => masked.push(v));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(message);
    for (const value of ['orphan-value', 'VAR=x', 'not a line'])
      expect((error as Error).message).not.toContain(value);
    // values of every line were masked before the error
    if (text.includes('orphan')) expect(masked).toContain('orphan-value');
  });
});
