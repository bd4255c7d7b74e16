/**
 * The fast path must never change a result: for every input, scanFile (the
 * line scanner when the file lies in its subset) equals scanFileFully (the
 * `yaml` parser), sites and parse errors alike. Thousands of seeded mutations
 * of workflow files (ours and real ones from the shared corpus) probe the edges
 * of the subset (indentation, block scalars, flow collections, empty and typed
 * values, quotes, comments, duplicate keys, continuation lines, anchors, tabs).
 */
import { describe, expect, it } from 'vitest';
import { scanFile, scanFileFast, scanFileFully } from './scan.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom as prng } from '../../../test/seeded-random.ts';
import { SHARED_CORPUS_DIR } from '../../../test/shared-corpus.ts';

const SHA = 'c'.repeat(40);
const WORKFLOW = [
  '# pinned workflow',
  'name: ci',
  'on:',
  '  push:',
  '    branches: [main, release/v1]',
  '  pull_request:',
  'permissions:',
  '  contents: read',
  'jobs:',
  '  call:',
  "    uses: 'octo/pipes/.github/workflows/b.yml@v2' # release",
  '  build:',
  '    runs-on: ubuntu-24.04',
  '    container: node:20',
  '    services:',
  '      db:',
  '        image: "postgres:16"',
  '      cache: redis:7',
  '      none:',
  '    steps:',
  `      - uses: actions/checkout@${SHA} # v4.1.0`,
  '        with:',
  '          fetch-depth: 0',
  '      # a comment between steps',
  '      - name: build it',
  '        run: echo "building" #trailing',
  '      - uses: ${{ matrix.x }}',
  '      - uses: docker://alpine:3',
  '  other:',
  '    container:',
  '      image: ghcr.io/o/i@sha256:' + 'a'.repeat(64),
  '    steps:',
  '    - uses: a/b@main',
  '    - run: make',
  '    timeout-minutes: 5',
  '',
].join('\n');
const ACTION = [
  'name: composite',
  'runs:',
  '  using: composite',
  '  steps:',
  '    - uses: a/b@main',
  "    - uses: 'c/d@v1'",
  '    - run: echo hi',
  '      shell: bash',
  '  image: docker://alpine:3.20',
  '',
].join('\n');

const TYPED = [
  'jobs:',
  '  typed:',
  '    container: null',
  '    uses: 12',
  '  empty:',
  '    container:',
  '    services:',
  "      db: ''",
  '      cache:',
  '        - redis',
  '    steps:',
  '      - uses:',
  '',
].join('\n');

const NOISE = [
  '|',
  '>',
  '{',
  '}',
  '&a ',
  '*a',
  '\t',
  '\r',
  '\\',
  "''",
  ' ',
  '  ',
  '-',
  '- ',
  ':',
  ': ',
  '#',
  ' #',
  '"',
  "'",
  '[',
  ']',
  ',',
  '\n',
  'x',
  '~',
  '1',
  'true',
];

function mutate(text: string, random: () => number): string {
  let out = text;
  const steps = 1 + Math.floor(random() * 3);
  for (let i = 0; i < steps; i++) {
    const at = Math.floor(random() * (out.length + 1));
    const lines = out.split('\n');
    const line = Math.floor(random() * lines.length);
    const kind = Math.floor(random() * 5);
    if (kind === 0) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 3));
    else if (kind === 1) out = out.slice(0, at) + NOISE[Math.floor(random() * NOISE.length)] + out.slice(at);
    else if (kind === 2) {
      lines.splice(line, 0, lines[line] ?? '');
      out = lines.join('\n');
    } else if (kind === 3) {
      lines[line] = random() < 0.5 ? ` ${lines[line]}` : (lines[line] ?? '').replace(/^ /, '');
      out = lines.join('\n');
    } else {
      const other = Math.floor(random() * lines.length);
      [lines[line], lines[other]] = [lines[other] ?? '', lines[line] ?? ''];
      out = lines.join('\n');
    }
  }
  return out;
}

describe('line scanner fast path', () => {
  it('gives exactly the full parser results on the seeds', () => {
    for (const [file, text] of [
      ['.github/workflows/ci.yml', WORKFLOW],
      ['action.yml', ACTION],
    ] as const) {
      const fast = scanFileFast(file, text);
      expect(fast?.sites.length).toBeGreaterThan(0);
      expect(fast).toEqual(scanFileFully(file, text));
    }
  });

  it('agrees with the full parser on edge cases inside and around the subset', () => {
    const job = (lines: string[]) => ['jobs:', '  j:', ...lines.map((l) => `    ${l}`), ''].join('\n');
    const cases = [
      job(['steps:', '- uses: a/b@v1', '- run: echo [a] {b} é🚀 !x', 'container: c:1']),
      job(['steps:', '  - uses: a/b@v1  #  spaced', '    with:', '      - x', '    id: s']),
      job(['steps:', '  - uses: a/b@v1', '     # deeper comment', '  - uses: "c/d@v2"#no space']),
      job(['uses: a/b/.github/workflows/w.yml@main   ', 'with:', '  a: b']),
      job(['uses: a/b@v1', '  continued']),
      job(['steps:', '  - uses: a/b@v1', '   x: 1']),
      job(['steps:', '  -  uses: a/b@v1']),
      job(['steps:', '  - uses: a/b@v1', '    uses: c/d@v1']),
      job(['container: "node:20" # c', 'services:', '  a: {image: x}', '  b:', '    image: redis:7']),
      job(['container:', '  image: x:1', '  options: --cpus 1']),
      job(['uses: a#b@v1 #c', 'runs-on: x #', 'steps: []']),
      job(['steps:', '  - uses: a/b@v1', 'steps:', '  - uses: c/d@v1']),
      job(['uses: key: value']),
      job(['uses: a/b@v1:']),
      job(["uses: 'a/b@v1' b"]),
      'jobs: # comment\n  j:  \n    uses: a/b@v1\n',
      'jobs:\n  j:\n    uses: a/b@v1',
      'jobs:\n\n  j:\n     \n    uses: a/b@v1\n\n',
      '# only a comment\n',
      '',
      'jobs:\n  j:\n    steps:\n    - uses: a/b@v1\n  k:\n    uses: c/d@v2\n',
      'on: [push, pull_request]\njobs:\n  j:\n    uses: a/b@v1\n',
      'on: [push, 1.5, true]\njobs:\n  j:\n    uses: a/b@v1\n',
      'on: [push,]\njobs:\n  j:\n    uses: a/b@v1\n',
    ];
    let fast = 0;
    for (const text of cases) {
      for (const file of ['w.yml', 'action.yml']) {
        expect(scanFile(file, text), JSON.stringify(text)).toEqual(scanFileFully(file, text));
        if (scanFileFast(file, text)) fast++;
      }
    }
    expect(fast).toBeGreaterThan(cases.length / 2);
  });

  it('leaves sites on empty, typed or flow values to the full parser', () => {
    expect(scanFileFast('w.yml', 'jobs:\n  j:\n    uses:\n  k:\n    uses: a/b@v1\n')).toBeUndefined();
    expect(scanFileFast('w.yml', 'jobs:\n  j:\n    container: 1.5\n')).toBeUndefined();
    expect(scanFileFast('w.yml', TYPED)).toBeUndefined();
    expect(scanFileFast('w.yml', 'jobs:\n  j:\n    container: { image: x }\n')).toBeUndefined();
    expect(scanFileFast('w.yml', 'jobs:\n  j:\n    steps: [{ uses: a/b@v1 }]\n')).toBeUndefined();
    expect(scanFileFast('w.yml', 'jobs:\n  j:\n    uses: >-\n      a/b@v1\n')).toBeUndefined();
    expect(scanFile('w.yml', TYPED)).toEqual(scanFileFully('w.yml', TYPED));
  });

  it('takes block scalars and one-line flow collections away from the sites', () => {
    for (const text of [
      'a: |\n  text\n\n   more: x\n#c\nb: >-\n  - y\npermissions: {}\n',
      'on: { push: { branches: [main, "v*"] }, pull_request: }\n'.replace(' pull_request: ', " 'x': 1 "),
      'jobs:\n  j:\n    steps:\n      - run: |+\n          x\n\n      - uses: a/b@v1\n',
    ]) {
      const fast = scanFileFast('w.yml', text);
      expect(fast, JSON.stringify(text)).toBeDefined();
      expect(fast).toEqual(scanFileFully('w.yml', text));
    }
  });

  it('gives up on what it does not model, so the full parser decides', () => {
    for (const text of [
      'a: 1\na: 2\n',
      'a: b\n  c\n',
      'a: &x 1\nb: *x\n',
      'a: |2\n  text\n',
      'a: |\n\t text\n',
      'a: |\n     \n  text\n',
      'a: {b: 1, b: 2}\n',
      'a: [b, c\n',
      'a: [b: c]\n',
      `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
      'a: "x\\"y"\n',
      '---\na: 1\n',
      'a: 1\r\n',
      'a:\n\t- b\n',
      '  a: 1\n',
      'a: b: c\n',
      '- a\n',
      'a:\n  b: 1\n c: 2\n',
      '<<: {a: 1}\n',
      'true: 1\n',
    ]) {
      expect(scanFileFast('w.yml', text), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('matches the full parser on thousands of mutated files, taking the fast path often', () => {
    const random = prng(7);
    let fastFiles = 0;
    let fastSites = 0;
    let fullErrors = 0;
    const CASES = 5000;
    for (let n = 0; n < CASES; n++) {
      const action = n % 5 === 3;
      const file = action ? 'sub/action.yml' : '.github/workflows/m.yml';
      const text = mutate(action ? ACTION : n % 5 === 4 ? TYPED : WORKFLOW, random);
      const expected = scanFileFully(file, text);
      const fast = scanFileFast(file, text);
      if (fast) {
        expect(fast, JSON.stringify(text)).toEqual(expected);
        fastFiles++;
        fastSites += fast.sites.length;
      }
      expect(scanFile(file, text), JSON.stringify(text)).toEqual(expected);
      if (expected.problems.length > 0) fullErrors++;
    }
    expect(fastFiles).toBeGreaterThan(CASES / 8);
    expect(fastSites).toBeGreaterThan(CASES);
    expect(fullErrors).toBeGreaterThan(CASES / 10);
  });

  it('matches the full parser on mutated real workflows from the shared corpus', () => {
    const dir = join(SHARED_CORPUS_DIR, 'cosign-workflows');
    const seeds = readdirSync(dir)
      .sort()
      .map((name) => readFileSync(join(dir, name), 'utf8'));
    const random = prng(11);
    let fastFiles = 0;
    let fullErrors = 0;
    const CASES = 600;
    for (let n = 0; n < CASES; n++) {
      const file = '.github/workflows/real.yml';
      const text = mutate(seeds[n % seeds.length] as string, random);
      const expected = scanFileFully(file, text);
      const fast = scanFileFast(file, text);
      if (fast) {
        expect(fast, JSON.stringify(text)).toEqual(expected);
        fastFiles++;
      }
      if (expected.problems.length > 0) fullErrors++;
    }
    expect(fastFiles).toBeGreaterThan(CASES / 4);
    expect(fullErrors).toBeGreaterThan(CASES / 20);
  });

  it('stays linear on a large file without tabs, comments or block scalars', () => {
    const steps = Array.from(
      { length: 40_000 },
      (_, i) => `      - uses: o/r${i}@v1\n        with: { n: ${i} }`,
    );
    const text = ['jobs:', '  j:', '    steps:', ...steps, ''].join('\n');
    const fast = scanFileFast('w.yml', text);
    expect(fast?.sites).toHaveLength(40_000);
    expect(fast?.sites.at(-1)).toMatchObject({ value: 'o/r39999@v1', line: 3 + 2 * 40_000 - 1, column: 15 });
  });
});
