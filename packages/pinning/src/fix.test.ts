import { describe, expect, it } from 'vitest';
import type { ScannedFile } from './check.ts';
import { rewriteFile, whyNotEditable } from './fix.ts';
import { scanFile } from './scan.ts';

const SHA = '3d3c42e5aac5ba805825da76410c181273ba90b1';
const SHA2 = '820762786026740c76f36085b0efc47a31fe5020';

function scanned(text: string, file = '.github/workflows/ci.yml'): ScannedFile {
  const bytes = Buffer.from(text, 'utf8');
  const { sites } = scanFile(file, text);
  return { file, bytes, text, sites, parsed: true };
}

/** Pins every site to SHA with the old ref as comment, as --fix does. */
function pinAll(text: string): string | undefined {
  const file = scanned(text);
  const out = rewriteFile(
    file,
    file.sites.map((site) => ({
      site,
      ref: SHA,
      comment: site.value!.slice(site.value!.lastIndexOf('@') + 1),
    })),
  );
  return out?.toString('utf8');
}

describe('rewriteFile', () => {
  it('changes only the ref and the comment; every other byte stays', () => {
    const before = [
      'name: ci # top comment',
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-24.04',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '        with: {fetch-depth: 0}',
      "      - uses: 'actions/setup-node@v7'   # was pinned by hand",
      '      - uses: "actions/cache@main"',
      '      - run: echo done',
      '',
    ].join('\n');
    expect(pinAll(before)).toBe(
      [
        'name: ci # top comment',
        'on: push',
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-24.04',
        '    steps:',
        `      - uses: actions/checkout@${SHA} # v4`,
        '        with: {fetch-depth: 0}',
        `      - uses: 'actions/setup-node@${SHA}'   # v7`,
        `      - uses: "actions/cache@${SHA}" # main`,
        '      - run: echo done',
        '',
      ].join('\n'),
    );
  });

  it('keeps CRLF line endings, the byte-order mark and multi-byte text around the edits', () => {
    const before =
      '\uFEFF# café ☕ workflow\r\njobs:\r\n  a:\r\n    steps:\r\n      - uses: o/r@v1 # old\r\n      - name: ünïcode 🚀\r\n        uses: o/s@v2\r\n';
    expect(pinAll(before)).toBe(
      `\uFEFF# café ☕ workflow\r\njobs:\r\n  a:\r\n    steps:\r\n      - uses: o/r@${SHA} # v1\r\n      - name: ünïcode 🚀\r\n        uses: o/s@${SHA} # v2\r\n`,
    );
  });

  it('rewrites the ref inside flow collections without adding a comment there', () => {
    const before = 'jobs: {a: {steps: [{uses: o/r@v1, with: {x: 1}}, {uses: o/t@v2}]}}\n';
    expect(pinAll(before)).toBe(
      `jobs: {a: {steps: [{uses: o/r@${SHA}, with: {x: 1}}, {uses: o/t@${SHA}}]}}\n`,
    );
  });

  it('edits an anchored reference once, where it is written', () => {
    const before = 'jobs:\n  a:\n    steps:\n      - uses: &co o/r@v1\n      - uses: *co\n';
    expect(pinAll(before)).toBe(
      `jobs:\n  a:\n    steps:\n      - uses: &co o/r@${SHA} # v1\n      - uses: *co\n`,
    );
  });

  it('updates a pin and its version comment', () => {
    const before = `jobs:\n  a:\n    steps:\n      - uses: o/r@${SHA} # v1.0.0\n`;
    const file = scanned(before);
    const out = rewriteFile(file, [{ site: file.sites[0]!, ref: SHA2, comment: 'v1.2.0' }]);
    expect(out?.toString()).toBe(`jobs:\n  a:\n    steps:\n      - uses: o/r@${SHA2} # v1.2.0\n`);
  });

  it('leaves block scalars and escaped strings alone and says why', () => {
    const file = scanned(
      'jobs:\n  a:\n    steps:\n      - uses: >-\n          o/r@v1\n      - uses: "o/\\x72@v1"\n',
    );
    expect(file.sites.map(whyNotEditable)).toEqual([
      'the value is a block or escaped scalar; edit it by hand',
      'the value is a block or escaped scalar; edit it by hand',
    ]);
    expect(
      rewriteFile(
        file,
        file.sites.map((site) => ({ site, ref: SHA })),
      ),
    ).toBeUndefined();
  });

  it('refuses a file that is not valid UTF-8 rather than corrupting it', () => {
    const bytes = Buffer.concat([
      Buffer.from('# \xff\n', 'latin1'),
      Buffer.from('jobs: {a: {uses: o/r/.github/workflows/w.yml@v1}}\n'),
    ]);
    const text = bytes.toString('utf8');
    const file: ScannedFile = {
      file: 'w.yml',
      bytes,
      text,
      sites: scanFile('w.yml', text).sites,
      parsed: true,
    };
    expect(rewriteFile(file, [{ site: file.sites[0]!, ref: SHA }])).toBeUndefined();
  });
});
