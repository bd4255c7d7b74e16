/**
 * Hostile file contents stay cheap to scan: nested merge keys, many jobs
 * merging one large map, and huge maps with a repeated key. Each test's own
 * timeout is the bound (the old code took minutes on each of these).
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { duplicateKeyErrors } from './duplicate-keys.ts';
import { scanFile } from './scan.ts';

const sitesOf = (text: string) => {
  const { sites, problems, unchecked } = scanFile('.github/workflows/w.yml', text);
  return { sites: sites.map((s) => `${s.line}:${s.column} ${s.value}`), problems, unchecked };
};

describe('scanFile on hostile files', () => {
  it('resolves nested `<<` merge keys once per map (a 400-byte file took 140 s)', () => {
    const fan = (alias: string) => `[${Array(5).fill(alias).join(',')}]`;
    const lines = ['x:', '  a0: &a0 {steps: [{uses: a/b@v1}]}'];
    for (let i = 1; i <= 8; i++) lines.push(`  a${i}: &a${i} {<<: ${fan(`*a${i - 1}`)}}`);
    lines.push('jobs:', `  j: {<<: ${fan('*a8')}}`, '');
    const text = lines.join('\n');
    expect(text.length).toBeLessThan(590);
    // found through nine levels of merges, reported once
    expect(sitesOf(text)).toEqual({ sites: ['2:27 a/b@v1'], problems: [], unchecked: undefined });
  }, 10_000);

  it('follows a merge key that refers to its own map without looping', () => {
    const text = 'jobs:\n  j: &j\n    <<: *j\n    steps: [{uses: a/b@v1}]\n';
    expect(sitesOf(text).sites).toEqual(['4:20 a/b@v1']);
  }, 10_000);

  it('reports a file whose merges need more lookups than the budget as unchecked, not as clean', () => {
    const big = Array.from({ length: 2_000 }, (_, i) => `k${i}: 1`).join(', ');
    const jobs = Array.from({ length: 2_000 }, (_, i) => `  j${i}: {<<: *big}`);
    const text = [`x: &big {${big}}`, 'jobs:', ...jobs, '  last: {steps: [{uses: a/b@v1}]}', ''].join('\n');
    expect(sitesOf(text)).toEqual({
      sites: [],
      problems: [],
      unchecked: 'its anchors and merge keys need more than 1000000 lookups',
    });
  }, 20_000);

  it('finds a repeated key in a 40,000-key map in linear time (the parser took 40 s)', () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `  k${i}: 1`);
    const text = ['jobs:', ...keys, '  k7: 2', ''].join('\n');
    expect(sitesOf(text).problems).toEqual([
      { file: '.github/workflows/w.yml', line: 40_002, column: 3, message: 'Map keys must be unique' },
    ]);
  }, 20_000);
});

describe('duplicateKeyErrors', () => {
  it.each([
    ['block', 'a: 1\nb: 2\na: 3\n'],
    ['flow', '{a: 1, b: 2, a: 3}\n'],
    ['nested, in two maps', 'a:\n  x: 1\n  x: 2\nb: {y: 1, "y": 2}\n'],
    ['a number and a string differ, two nulls do not', '1: a\n"1": b\n? \n: c\n~: d\n'],
    ['anchored and quoted keys', "&k a: 1\n'a': 2\n"],
    ['merge keys are keys', 'a: &a {x: 1}\nb:\n  <<: *a\n  <<: *a\n'],
    ['aliases as keys are distinct nodes', 'a: &k x\n*k : 1\n*k : 2\n'],
    ['no duplicates', 'a: 1\nb: [a, a]\nc: {a: 1}\n'],
  ])('reports the same errors as the parser for %s', (_name, text) => {
    const withCheck = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
    const without = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false });
    const list = (docs: typeof withCheck) => (Array.isArray(docs) ? docs : [docs]);
    const expected = list(withCheck).flatMap((doc) => doc.errors.map((e) => [e.pos[0], e.message]));
    const actual = list(without).flatMap((doc) =>
      [...doc.errors, ...duplicateKeyErrors(doc)]
        .sort((a, b) => a.pos[0] - b.pos[0])
        .map((e) => [e.pos[0], e.message]),
    );
    expect(actual).toEqual(expected);
  });
});
