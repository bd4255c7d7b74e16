/**
 * Fuzz-style robustness: thousands of mutated workflow and action files,
 * generated from a fixed seed, go through scan, evaluation and fix. No input
 * may throw; every input yields findings or parse errors with a file and a
 * line inside the file.
 */
import { describe, expect, it } from 'vitest';
import type { ScannedFile } from './check.ts';
import { rewriteFile } from './fix.ts';
import { evaluateSite, parseProblemFinding } from './rules.ts';
import { scanFile } from './scan.ts';
import { seededRandom as prng } from '../../../test/seeded-random.ts';

const SEEDS = [
  [
    'name: ci',
    'on: push',
    'x-step: &co',
    '  uses: actions/checkout@v4',
    'jobs:',
    '  call:',
    "    uses: 'octo/pipes/.github/workflows/b.yml@v2' # release",
    '  build:',
    '    runs-on: ubuntu-24.04',
    '    container: { image: "node:20" }',
    '    services:',
    '      db:',
    '        image: postgres@sha256:' + 'a'.repeat(64),
    '    steps:',
    '      - *co',
    '      - <<: *co',
    '      - uses: actions/cache@' + 'b'.repeat(40) + ' # v4.1.0',
    '      - {uses: docker://alpine:3, with: {a: 1}}',
    '      - uses: ${{ matrix.x }}',
    '      - uses: >-',
    '          folded/ref@v1',
    '      - run: |',
    '          echo "uses: nope@v1"',
    '',
  ].join('\n'),
  ['runs:', '  using: composite', '  steps:', '    - uses: a/b@main', "    - uses: 'c/d@v1'", ''].join(
    '\r\n',
  ),
];

const NOISE = [
  ':',
  '-',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '&',
  '*',
  '#',
  '\n',
  '\r\n',
  ' ',
  '  ',
  '@',
  '|',
  '>',
  '!',
  '%',
  '\t',
  '\uFEFF',
  ',',
  '?',
  '${{',
  'é',
  '🚀',
  '\\',
  '<<: *co',
  '---\n',
];

function mutate(text: string, random: () => number): string {
  let out = text;
  const steps = 1 + Math.floor(random() * 4);
  for (let i = 0; i < steps; i++) {
    const at = Math.floor(random() * (out.length + 1));
    const kind = Math.floor(random() * 6);
    const lines = out.split('\n');
    if (kind === 0) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 5));
    else if (kind === 1) out = out.slice(0, at) + NOISE[Math.floor(random() * NOISE.length)] + out.slice(at);
    else if (kind === 2) out = out.slice(0, at);
    else if (kind === 3) {
      const line = Math.floor(random() * lines.length);
      lines.splice(line, 0, lines[line] ?? '');
      out = lines.join('\n');
    } else if (kind === 4) {
      const a = Math.floor(random() * lines.length);
      const b = Math.floor(random() * lines.length);
      [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
      out = lines.join('\n');
    } else out = out.slice(0, at) + ' '.repeat(Math.floor(random() * 3)) + out.slice(at);
  }
  return out;
}

describe('fuzz: mutated workflow files', () => {
  it('never throws; every input gives findings or parse errors at a real line', () => {
    const random = prng(20260126);
    let parseErrors = 0;
    let findings = 0;
    const CASES = 4000;
    for (let n = 0; n < CASES; n++) {
      const seed = SEEDS[n % SEEDS.length] as string;
      const file = n % SEEDS.length === 0 ? '.github/workflows/fuzz.yml' : 'fuzz/action.yml';
      const text = mutate(seed, random);
      const lineCount = text.split('\n').length;
      let result;
      try {
        result = scanFile(file, text);
        const all = [
          ...result.problems.map(parseProblemFinding),
          ...result.sites.map(evaluateSite).filter((f) => f),
        ];
        for (const f of all) {
          expect(f!.file).toBe(file);
          expect(f!.line).toBeGreaterThanOrEqual(1);
          expect(f!.line).toBeLessThanOrEqual(lineCount + 1);
          expect(f!.column).toBeGreaterThanOrEqual(1);
          expect(f!.message).not.toBe('');
        }
        parseErrors += result.problems.length > 0 ? 1 : 0;
        findings += all.length;
        const bytes = Buffer.from(text, 'utf8');
        const scanned: ScannedFile = {
          file,
          bytes,
          text,
          sites: result.sites,
          parsed: result.problems.length === 0,
        };
        const fixed = rewriteFile(
          scanned,
          result.sites
            .filter((s) => s.value?.includes('@'))
            .map((site) => ({ site, ref: 'f'.repeat(40), comment: 'v1' })),
        );
        if (fixed) expect(() => scanFile(file, fixed.toString('utf8'))).not.toThrow();
      } catch (error) {
        throw new Error(`case ${n} threw on input ${JSON.stringify(text)}: ${(error as Error).stack}`);
      }
    }
    // the corpus exercises both outcomes
    expect(parseErrors).toBeGreaterThan(CASES / 10);
    expect(findings).toBeGreaterThan(CASES);
  });
});
