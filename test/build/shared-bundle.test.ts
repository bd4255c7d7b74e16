import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildActions,
  chunksOfModule,
  entryFile,
  programEntryFile,
  SHARED,
  // @ts-expect-error -- plain JS build scripts, no declarations
} from '../../scripts/build-actions.js';
// @ts-expect-error -- plain JS build scripts, no declarations
import { noticeIds } from '../../scripts/bundle-notices.js';
// @ts-expect-error -- plain JS build scripts, no declarations
import { discoverBundles } from '../../scripts/bundles.js';

const root = join(import.meta.dirname, '..', '..');
const version = (name: string) =>
  (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;
type Chunk = { id: number };

describe('chunksOfModule', () => {
  // entry chunk 1 holds the dispatcher's context (module c), which imports ./a and ./b, and the entry
  // module e, which imports the program ./p; a, b and p share vendor chunk 9; b lazily loads chunk 20
  // from its own module, p loads chunk 40 from its own, and a module of the vendor chunk lazily loads
  // chunk 30; a2, concatenated into a (and so also listed at the top level with no chunks, as webpack
  // does), lazily loads chunk 50
  const origin = (moduleIdentifier: string, request: string) => ({ moduleIdentifier, request });
  const stats = {
    modules: [
      { identifier: 'e', name: './entry.js', chunks: [1] },
      { identifier: 'c', name: './actions lazy', chunks: [1] },
      { identifier: 'a', name: './a/src/index.ts + 2 modules', chunks: [2], modules: [{ identifier: 'a2' }] },
      { identifier: 'b', name: './b/src/index.ts', chunks: [3] },
      { identifier: 'p', name: './p/src/program.ts', chunks: [4] },
      { identifier: 'v', name: './node_modules/v/i.js', chunks: [9] },
      { identifier: 'l', name: './node_modules/l/i.js', chunks: [20] },
      { identifier: 'm', name: './node_modules/m/i.js', chunks: [30] },
      { identifier: 'q', name: './node_modules/q/i.js', chunks: [40] },
      { identifier: 'a2', name: './a/src/cache.ts', chunks: [] },
      { identifier: 'k', name: './node_modules/k/i.js', chunks: [50] },
    ],
    chunks: [
      { id: 1, initial: true, origins: [] },
      { id: 2, origins: [origin('c', './a/src/index.ts')] },
      { id: 3, origins: [origin('c', './b/src/index.ts')] },
      { id: 4, origins: [origin('e', './p/src/program.ts')] },
      {
        id: 9,
        origins: [
          origin('c', './a/src/index.ts'),
          origin('c', './b/src/index.ts'),
          origin('e', './p/src/program.ts'),
        ],
      },
      { id: 20, origins: [origin('b', 'l')] },
      { id: 30, origins: [origin('v', 'm')] },
      { id: 40, origins: [origin('p', 'q')] },
      { id: 50, origins: [origin('a2', 'k')] },
    ],
  };
  const ids = (name: string) => (chunksOfModule(stats, name) as Chunk[]).map((c) => c.id);

  it('takes the entry, the module own group and what any of them loads lazily, not a sibling group', () => {
    expect(ids('./a/src/index.ts')).toEqual([1, 2, 9, 30, 50]);
    expect(ids('./b/src/index.ts')).toEqual([1, 3, 9, 20, 30]);
  });
  it('keeps a program started by the entry module and the actions of its context apart', () => {
    expect(ids('./p/src/program.ts')).toEqual([1, 4, 9, 30, 40]);
  });
  it('finds nothing for a module that is not in the bundle', () => {
    expect(ids('./c/src/index.ts')).toEqual([]);
  });
});

describe('the shared actions bundle', () => {
  const out = mkdtempSync(join(tmpdir(), 'slipway-shared-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const fixture = join(root, 'test', 'fixtures', 'shared-actions-bundle');
  const actions = ['lazy-double', 'semver-check'].map((name) => ({
    name,
    entry: join(fixture, 'actions', name, 'src', 'index.js'),
  }));
  const programs = [{ name: 'echo-worker', module: join(fixture, 'programs', 'echo-worker', 'program.js') }];

  it(
    'gives each action and program an entry that runs it and notices of exactly the packages it can load',
    { timeout: 240_000 },
    async () => {
      const result = await buildActions({
        root,
        dispatcher: join(fixture, 'entry.js'),
        actions,
        programs,
        outRoot: out,
      });
      expect(result.output).toBe('');
      expect(result.code).toBe(0);
      expect(readdirSync(out).sort()).toEqual(['echo-worker', 'lazy-double', 'semver-check', SHARED]);

      const pMap = `p-map@${version('p-map')}`;
      const semver = `semver@${version('semver')}`;
      const notices = (folder: string) => readFileSync(join(out, folder, 'licenses.txt'), 'utf8');
      // p-map is only in a lazily loaded chunk of lazy-double: ncc's own --license lost such notices
      expect(noticeIds(notices('lazy-double'))).toEqual([pMap]);
      expect(noticeIds(notices('semver-check'))).toEqual([semver]);
      expect(noticeIds(notices('echo-worker'))).toEqual([semver]);
      expect(notices('lazy-double')).toContain(`(licence text: ../${SHARED}/licenses.txt)`);
      expect(noticeIds(notices(SHARED))).toEqual([pMap, semver]);
      expect(notices(SHARED)).toContain('Permission is hereby granted'); // p-map's MIT text, verbatim
      expect(notices(SHARED)).toContain('THE SOFTWARE IS PROVIDED "AS IS"'); // semver's ISC text

      for (const { name } of actions)
        expect(readFileSync(join(out, name, 'index.js'), 'utf8')).toBe(entryFile(name));
      const run = (name: string) =>
        execFileSync(process.execPath, [join(out, name, 'index.js')], { encoding: 'utf8' });
      expect(run('lazy-double')).toBe('lazy-double: 2,4\n');
      expect(run('semver-check')).toBe('semver-check: 1.2.3\n');
      // the program's worker thread starts dist/echo-worker/index.js again and finds its way back
      expect(readFileSync(join(out, 'echo-worker', 'index.js'), 'utf8')).toBe(
        programEntryFile('echo-worker'),
      );
      expect(run('echo-worker')).toBe('echo-worker: worker saw 2.0.0\n');
      // every file of the shared bundle is minified, lazily loaded chunks included
      for (const file of readdirSync(join(out, SHARED)).filter((f) => f.endsWith('.js')))
        expect(readFileSync(join(out, SHARED, file), 'utf8').split('\n').length, file).toBeLessThan(5);
    },
  );
});

describe('the committed dist/', () => {
  const bundles = discoverBundles(root) as { name: string; kind: string }[];
  const shared = noticeIds(readFileSync(join(root, 'dist', SHARED, 'licenses.txt'), 'utf8')) as string[];
  const noticesOf = (name: string) =>
    noticeIds(readFileSync(join(root, 'dist', name, 'licenses.txt'), 'utf8')) as string[];

  it.each(bundles.filter((b) => b.kind === 'action').map((a) => [a.name]))(
    'dist/%s starts its action from the shared bundle',
    (name) => {
      expect(readFileSync(join(root, 'dist', name, 'index.js'), 'utf8')).toBe(entryFile(name));
      const ids = noticesOf(name);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.filter((id) => !shared.includes(id))).toEqual([]);
    },
  );

  it.each(bundles.filter((b) => b.kind === 'program').map((p) => [p.name]))(
    'dist/%s starts its program from the shared bundle',
    (name) => {
      expect(readFileSync(join(root, 'dist', name, 'index.js'), 'utf8')).toBe(programEntryFile(name));
      const ids = noticesOf(name);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.filter((id) => !shared.includes(id))).toEqual([]);
    },
  );

  it('dist/cli names none of the packages only the actions load', () => {
    // sbom's artifact upload, the Azure SDK under @actions/cache, sigstore and the AWS signer
    const cli = noticesOf('cli');
    for (const only of ['@actions/artifact', '@azure/storage-blob', '@sigstore/sign', '@smithy/signature-v4'])
      expect(cli.filter((id) => id.startsWith(`${only}@`))).toEqual([]);
    expect(cli.some((id) => id.startsWith('yaml@'))).toBe(true);
  });
});

describe('lazy-undici.cjs, what the actions bundle gets for undici', () => {
  it('loads nothing until an export is read, then gives the real export', () => {
    const script = `
      const undiciFile = require.resolve('undici/index.js');
      const lazy = require('./scripts/actions-bundle/lazy-undici.cjs');
      const before = undiciFile in require.cache;
      const agent = lazy.ProxyAgent;
      console.log(JSON.stringify({ before, after: undiciFile in require.cache, same: agent === require('undici').ProxyAgent, keys: Object.keys(lazy).includes('fetch') }));`;
    const seen = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
    expect(seen).toEqual({ before: false, after: true, same: true, keys: true });
  });
});
