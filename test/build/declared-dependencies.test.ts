// Every package.json declares exactly what its files import (issue 14, "npm ls shows no undeclared
// import"): a workspace (packages/*) for its own folder, the root for actions/, test/, scripts/,
// bench/ and the config files. Shipped code's value imports are dependencies; what only tests,
// scripts or types need is a devDependency.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dependencyProblems,
  importRefs,
  isRuntimeFile,
  lockDrift,
  packageOf,
  rangeConflicts,
  readManifests,
  scanRepository,
  type Manifest,
  type Policy,
} from './declared-dependencies.ts';

const root = join(import.meta.dirname, '..', '..');

/** Each entry says why the package is declared although no file imports it. */
const POLICY: Policy = {
  unusedAllowed: {
    '': {
      eslint: 'run as a program by `npm run lint`; eslint.config.js imports its configs, not eslint',
      '@vercel/ncc': 'run as a program by scripts/build-bundle.js (node_modules/@vercel/ncc/dist/ncc/cli.js)',
      'ajv-formats-draft2019':
        'optional peer of @cyclonedx/cyclonedx-library: its JsonStrictValidator (test/integration/support/sbom-schemas.ts) loads it',
    },
    'packages/supply-chain': {
      'promise-retry': '@sigstore/oci 0.6 requires it at run time (dist/fetch.js) without declaring it',
    },
  },
  bundledRuntime: {
    'packages/cli':
      'published as a standalone bundle built at pack time (scripts/prepack.js), so the tarball depends on nothing and what the bundle holds is a devDependency',
  },
};

describe('importRefs', () => {
  it('finds every form of import, and which ones only the type checker needs', () => {
    const text = [
      '/// <reference types="vitest/globals" />',
      "import a from 'a';",
      "import type { B } from '@s/b/sub';",
      "import { type C, type D } from 'c';",
      "import { type E, e } from 'e';",
      "import 'side-effect';",
      "export { f } from 'f';",
      "export type { G } from 'g';",
      "export * from './local.ts';",
      "import h = require('h');",
      "type I = import('i').I;",
      "const j = await import('j');",
      "const k = require('k');",
      "const l = require.resolve('l/package.json');",
      "const m = require.resolve.paths('m');",
      "const n = createRequire(import.meta.url)('n/seeds.json');",
      "const o = import.meta.resolve('o');",
      "const p = join(dir, '../../../node_modules/@p/q/bin/q');",
      'const dynamic = await import(name);',
      "const text = ['node_modules/data', './node_modules/data/x', '../../node_modules/elsewhere/x'];",
    ].join('\n');
    expect(importRefs('a/b/c/x.ts', text).map((r) => [r.specifier, r.typeOnly, r.line])).toEqual([
      ['vitest/globals', true, 1],
      ['a', false, 2],
      ['@s/b/sub', true, 3],
      ['c', false, 4], // kept as `import {} from 'c'` under verbatimModuleSyntax
      ['e', false, 5],
      ['side-effect', false, 6],
      ['f', false, 7],
      ['g', true, 8],
      ['./local.ts', false, 9],
      ['h', false, 10],
      ['i', true, 11],
      ['j', false, 12],
      ['k', false, 13],
      ['l/package.json', false, 14],
      ['m', false, 15],
      ['n/seeds.json', false, 16],
      ['o', false, 17],
      ['../../../node_modules/@p/q/bin/q', false, 18],
    ]);
  });
});

describe('packageOf', () => {
  it.each([
    ['yaml', 'yaml'],
    ['vitest/config', 'vitest'],
    ['@actions/github/lib/utils', '@actions/github'],
    ['@slipway/supply-chain/tools/run-program', '@slipway/supply-chain'],
    ['../../../node_modules/@actions/cache/lib/internal/tar.js', '@actions/cache'],
    ['../node_modules/a/node_modules/b/x.js', 'b'],
    ['node:fs', undefined],
    ['fs/promises', undefined],
    ['./main.ts', undefined],
    ['/abs/x.js', undefined],
    ['#internal', undefined],
  ])('%s -> %s', (specifier, name) => {
    expect(packageOf(specifier)).toBe(name);
  });
});

describe('isRuntimeFile', () => {
  it.each([
    ['', 'actions/sign/src/main.ts', true],
    ['', 'actions/sign/src/main.test.ts', false],
    ['', 'test/doubles/github/server.ts', false],
    ['', 'scripts/docs.js', false],
    ['packages/core', 'packages/core/src/run.ts', true],
    ['packages/core', 'packages/core/src/run.test.ts', false],
    ['packages/terraform', 'packages/terraform/src/install/tofu-release.fixture.ts', false],
    ['packages/cli', 'packages/cli/bin/slipway.js', true],
    ['packages/cli', 'packages/cli/scripts/prepack.js', false],
  ])('%s: %s -> %s', (dir, file, runtime) => {
    expect(isRuntimeFile(dir, file)).toBe(runtime);
  });
});

describe('dependencyProblems', () => {
  const manifest: Manifest = {
    dir: 'packages/x',
    name: '@slipway/x',
    fields: {
      dependencies: { yaml: '^2', 'only-tests': '^1', twice: '^1' },
      devDependencies: { vitest: '^4', '@types/sarif': '^2', unused: '^1', twice: '^1', semver: '^7' },
    },
  };
  const ref = (specifier: string, line = 1, typeOnly = false) => ({ specifier, line, typeOnly });
  const files = [
    {
      file: 'packages/x/src/a.ts',
      runtime: true,
      refs: [
        ref('yaml'),
        ref('twice'),
        ref('sarif', 2, true),
        ref('@slipway/x/self'),
        ref('node:fs'),
        ref('undeclared', 3),
        ref('semver', 4),
      ],
    },
    { file: 'packages/x/src/b.ts', runtime: true, refs: [ref('undeclared/sub', 7)] },
    { file: 'packages/x/src/a.test.ts', runtime: false, refs: [ref('vitest'), ref('only-tests')] },
  ];

  it('names undeclared imports, unused and misplaced declarations, and double declarations', () => {
    expect(dependencyProblems(manifest, files, { unusedAllowed: {}, bundledRuntime: {} })).toEqual([
      'declare undeclared in packages/x/package.json (imported at packages/x/src/a.ts:3 and 1 more)',
      'move semver to dependencies in packages/x/package.json: shipped code imports it (imported at packages/x/src/a.ts:4)',
      'move only-tests to devDependencies in packages/x/package.json: only tests, scripts or types import it',
      'remove unused from devDependencies in packages/x/package.json: no file of packages/x imports it',
      'packages/x/package.json declares twice in dependencies and devDependencies',
    ]);
  });

  it('accepts what the policy explains, and devDependencies in shipped code of a bundled package', () => {
    const policy: Policy = {
      unusedAllowed: { 'packages/x': { unused: 'a program', 'only-tests': 'loaded by another package' } },
      bundledRuntime: { 'packages/x': 'published as a bundle' },
    };
    expect(dependencyProblems(manifest, files, policy)).toEqual([
      'declare undeclared in packages/x/package.json (imported at packages/x/src/a.ts:3 and 1 more)',
      'packages/x/package.json declares twice in dependencies and devDependencies',
    ]);
  });

  it('reports an undeclared package once, with the first place that imports it', () => {
    const refs = [
      { file: 'test/a.ts', runtime: false, refs: [ref('zod', 3, true), ref('zod/v4', 9)] },
      { file: 'test/b.ts', runtime: false, refs: [ref('zod', 1)] },
    ];
    expect(dependencyProblems({ dir: '', name: 'r', fields: {} }, refs, POLICY)).toEqual([
      'declare zod in package.json (imported at test/a.ts:3 and 2 more)',
    ]);
  });

  it('accepts a type-only import declared only through its @types package, but no value import', () => {
    const types: Manifest = { dir: '', name: 'r', fields: { devDependencies: { '@types/picomatch': '^4' } } };
    const refs = [{ file: 'test/a.ts', runtime: false, refs: [ref('picomatch', 1, true)] }];
    expect(dependencyProblems(types, refs, POLICY)).toEqual([]);
    refs[0]!.refs.push(ref('picomatch', 2));
    expect(dependencyProblems(types, refs, POLICY)).toEqual([
      'declare picomatch in package.json (imported at test/a.ts:2)',
    ]);
  });
});

describe('this repository', () => {
  const manifests = readManifests(root);
  const scanned = scanRepository(root, manifests);

  it('scans the root and every workspace', () => {
    expect(manifests.map((m) => m.dir)).toContain('packages/core');
    for (const manifest of manifests)
      expect(scanned.get(manifest.dir)!.length, manifest.dir).toBeGreaterThan(0);
    const rootFiles = scanned.get('')!.map((f) => f.file);
    for (const folder of ['actions/', 'test/', 'scripts/', 'bench/'])
      expect(
        rootFiles.some((file) => file.startsWith(folder)),
        folder,
      ).toBe(true);
    expect(rootFiles).toContain('eslint.config.js');
  });

  it.each(readManifests(root).map((m) => [m.dir || '(root)', m] as const))(
    '%s/package.json declares exactly what its files import',
    (_dir, manifest) => {
      expect(dependencyProblems(manifest, scanned.get(manifest.dir)!, POLICY)).toEqual([]);
    },
  );

  it('gives each package one version range everywhere, so npm keeps one copy', () => {
    expect(rangeConflicts(manifests)).toEqual([]);
  });

  it('has a package-lock.json that records every manifest as it is (npm ci installs from it)', () => {
    expect(lockDrift(root, manifests)).toEqual([]);
  });
});
