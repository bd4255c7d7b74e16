import { describe, expect, it } from 'vitest';
import { InputError } from './errors.ts';
import { InputReader, envInputSource, inputEnvName, parseDuration } from './inputs.ts';

const reader = (values: Record<string, string>) => new InputReader((name) => values[name]);

describe('inputEnvName', () => {
  it('upper-cases, turns spaces to underscores and keeps dashes', () => {
    expect(inputEnvName('role-session name')).toBe('INPUT_ROLE-SESSION_NAME');
  });
  it('is what envInputSource reads', () => {
    expect(envInputSource({ 'INPUT_AWS-REGION': 'eu-west-1' })('aws-region')).toBe('eu-west-1');
  });
});

describe('InputReader.string', () => {
  it('trims and treats empty as unset', () => {
    expect(reader({ a: '  x  ', b: '   ' }).string('a')).toBe('x');
    expect(reader({ b: '   ' }).string('b')).toBeUndefined();
  });
  it('names the input when a required one is missing', () => {
    expect(() => reader({}).string('token', { required: true, form: 'a GitHub token' })).toThrow(
      "Input 'token' is required but was not set. Expected a GitHub token.",
    );
  });
  it('checks the pattern and says what form is accepted', () => {
    const r = reader({ region: 'eu west' });
    expect(() =>
      r.string('region', { pattern: /^[a-z0-9-]+$/, form: 'an AWS region such as eu-west-1' }),
    ).toThrow(
      "Input 'region' has the value 'eu west', which is not valid. Expected an AWS region such as eu-west-1.",
    );
  });
});

describe('InputReader.boolean', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['FALSE', false],
  ])('reads %s', (text, expected) => {
    expect(reader({ fix: text }).boolean('fix', !expected)).toBe(expected);
  });
  it('uses the default when unset', () => {
    expect(reader({}).boolean('fix', true)).toBe(true);
  });
  it('rejects yes/1 with the accepted form', () => {
    const error = (() => {
      try {
        reader({ fix: 'yes' }).boolean('fix', false);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('fix');
    expect((error as Error).message).toContain('`true` or `false`');
  });
});

describe('InputReader.integer', () => {
  it('reads whole numbers in range', () => {
    expect(reader({ n: '3600' }).integer('n', { min: 900, max: 43200 })).toBe(3600);
  });
  it('rejects out-of-range values naming the range', () => {
    expect(() => reader({ n: '60' }).integer('n', { min: 900, max: 43200 })).toThrow(/from 900 to 43200/);
  });
  it('rejects non-numbers', () => {
    expect(() => reader({ n: '1e3' }).integer('n')).toThrow(
      "Input 'n' has the value '1e3'. Expected a whole number.",
    );
  });
});

describe('InputReader.enumeration', () => {
  it('accepts listed values and lists them on error', () => {
    const r = reader({ provider: 'gcp', bad: 'ibm' });
    expect(r.enumeration('provider', ['aws', 'gcp', 'azure'] as const)).toBe('gcp');
    expect(() => r.enumeration('bad', ['aws', 'gcp', 'azure'] as const)).toThrow(
      'Expected one of: aws, gcp, azure.',
    );
  });
});

describe('InputReader.list', () => {
  it('splits on newlines and commas, drops blanks and comment lines', () => {
    const r = reader({ paths: 'a, b\n\n# note\n c \n' });
    expect(r.list('paths')).toEqual(['a', 'b', 'c']);
  });
  it('validates each item', () => {
    const r = reader({ arns: 'arn:aws:iam::123456789012:policy/x\nnot-an-arn' });
    expect(() => r.list('arns', { itemPattern: /^arn:/, form: 'IAM policy ARNs' })).toThrow(
      "Input 'arns' contains the item 'not-an-arn', which is not valid. Expected IAM policy ARNs.",
    );
  });
});

describe('durations', () => {
  it.each([
    ['90', 90_000],
    ['1.5', 1500],
    ['30s', 30_000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['2d', 172_800_000],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
  it.each(['', 'ten', '5 m', '1x', 'm5', '-3s'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
  it('names the input and the accepted form for a non-duration', () => {
    expect(() => reader({ timeout: 'soon' }).duration('timeout')).toThrow(
      "Input 'timeout' has the value 'soon'. Expected a duration such as `30s`, `15m`, `1h30m` or a number of seconds.",
    );
  });
  it('enforces bounds', () => {
    expect(() => reader({ t: '2h' }).duration('t', { maxMs: 3_600_000 })).toThrow(/of at most 1h/);
    expect(reader({}).duration('t', { default: 5000 })).toBe(5000);
  });
});
