import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JS build scripts, no declarations
import { buildBundle } from '../../scripts/build-bundle.js';
// @ts-expect-error -- plain JS build scripts, no declarations
import { noticeIds, noticesText, packageDirOf, packageDirsFromStats } from '../../scripts/bundle-notices.js';

const root = join(import.meta.dirname, '..', '..');
const version = (name: string) =>
  (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;

describe('packageDirOf', () => {
  it.each([
    ['./node_modules/@actions/core/lib/core.js', 'node_modules/@actions/core'],
    ['./node_modules/semver/functions/valid.js', 'node_modules/semver'],
    ['./node_modules/a/node_modules/b/index.js', 'node_modules/a/node_modules/b'],
    ['./node_modules/@x/y/node_modules/@z/w/lib/i.js + 3 modules', 'node_modules/@x/y/node_modules/@z/w'],
    ['./packages/core/src/run.ts', undefined],
    ['external "node:path"', undefined],
  ])('%s -> %s', (name, dir) => {
    expect(packageDirOf(name)).toBe(dir);
  });

  it('walks the modules of every chunk and the modules concatenated into them, not orphans', () => {
    const stats = {
      // an orphan: listed, but in no chunk (webpack dropped it), so its code is not in the bundle
      modules: [{ name: './node_modules/dropped/x.js', chunks: [] }],
      chunks: [
        { modules: [{ name: './src/main.ts + 2 modules', modules: [{ name: './node_modules/a/x.js' }] }] },
        { modules: [{ name: './node_modules/@s/b/y.js' }] },
      ],
    };
    expect(packageDirsFromStats(stats)).toEqual(['node_modules/@s/b', 'node_modules/a']);
  });
});

describe('noticesText', () => {
  const root = mkdtempSync(join(tmpdir(), 'slipway-notice-texts-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const pkg = (name: string, licence: string | undefined) => {
    mkdirSync(join(root, 'node_modules', name), { recursive: true });
    writeFileSync(
      join(root, 'node_modules', name, 'package.json'),
      JSON.stringify({ name, version: '1.0.0', license: 'MIT' }),
    );
    if (licence) writeFileSync(join(root, 'node_modules', name, 'LICENSE'), `${licence}\n`);
    return `node_modules/${name}`;
  };

  it('prints each licence text once, in full, and names it from the notices with the same text', () => {
    const dirs = [
      pkg('c', 'Copyright C'),
      pkg('a', 'Copyright A'),
      pkg('b', 'Copyright A'),
      pkg('d', undefined),
    ];
    expect(noticesText(root, dirs)).toBe(
      [
        'a@1.0.0\nMIT\nCopyright A',
        'b@1.0.0\nMIT\n(licence text: the same as a@1.0.0 above)',
        'c@1.0.0\nMIT\nCopyright C',
        'd@1.0.0\nMIT\n(the package ships no licence file; see its licence field above)',
      ].join('\n\n\n') + '\n',
    );
    expect(noticesText(root, dirs.slice(0, 2), { textsIn: '../x.txt' })).toBe(
      'a@1.0.0\nMIT\n(licence text: ../x.txt)\n\n\nc@1.0.0\nMIT\n(licence text: ../x.txt)\n',
    );
  });

  it('keeps notices apart when a licence text has runs of blank lines (LGPL-3.0 has two in a row)', () => {
    const dirs = [pkg('e', 'Preamble\n\n\n  Section 1\n\n \n\nSection 2'), pkg('f', 'Copyright F')];
    const text = noticesText(root, dirs);
    expect(noticeIds(text)).toEqual(['e@1.0.0', 'f@1.0.0']);
    expect(text).toContain('e@1.0.0\nMIT\nPreamble\n\n  Section 1\n\nSection 2');
  });
});

describe('bundle notices', () => {
  const out = mkdtempSync(join(tmpdir(), 'slipway-notices-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('name every package of every chunk, the lazily loaded one included', { timeout: 240_000 }, async () => {
    const result = await buildBundle({
      root,
      entry: join(root, 'test', 'fixtures', 'lazy-chunk-bundle', 'index.js'),
      outDir: out,
    });
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
    // the lazy import really became its own chunk
    expect(readdirSync(out).filter((f) => /^\d+\.index\.js$/.test(f))).toHaveLength(1);
    const notices = readFileSync(join(out, 'licenses.txt'), 'utf8');
    expect(noticeIds(notices)).toEqual([`p-map@${version('p-map')}`, `semver@${version('semver')}`]);
    expect(notices).toContain('Permission is hereby granted'); // p-map's MIT text, verbatim
    expect(notices).toContain('THE SOFTWARE IS PROVIDED "AS IS"'); // semver's ISC text, verbatim
  });
});
