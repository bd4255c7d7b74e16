/**
 * The guides name only inputs and secrets that exist (issue 17): README.md, docs/*.md and every
 * actions/<name>/README.md, their YAML examples checked against action.yml and on.workflow_call;
 * and getting-started agrees with docs/examples/build-sign-deploy.yml.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkGuideCall, guideCalls, knownNames, proseNames } from './guide-references.ts';

const root = resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const guides = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  ...readdirSync(join(root, 'actions'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `actions/${d.name}/README.md`),
];
const examples = readdirSync(join(root, 'docs', 'examples'))
  .filter((f) => f.endsWith('.yml'))
  .map((f) => `docs/examples/${f}`);

describe('YAML examples in the guides', () => {
  const found = guides.map((file) => guideCalls(read(file), file));
  const calls = found.flatMap((f) => f.calls);

  it('parse', () => {
    expect(found.flatMap((f) => f.problems)).toEqual([]);
  });

  it('call our actions and workflows with inputs and secrets they declare, required inputs given', () => {
    const ours = calls.filter((c) => /^(OWNER\/slipway\/|\.\/)/.test(c.uses));
    // every action README and the README's three callers have at least one
    expect(ours.length).toBeGreaterThan(25);
    expect(new Set(ours.map((c) => c.where.split(':')[0])).size).toBeGreaterThanOrEqual(9);
    expect(calls.flatMap((c) => checkGuideCall(root, c))).toEqual([]);
  });
});

describe('inputs and secrets named in the prose of the guides', () => {
  it('exist in an action or reusable workflow', () => {
    const known = knownNames(root);
    const named = guides.flatMap((file) => proseNames(read(file), file));
    expect(named.length).toBeGreaterThan(5);
    expect(
      named
        .filter(({ name, kind }) => !(kind === 'secret' ? known.secrets : known.inputs).has(name))
        .map(({ name, kind, where }) => `${where}: ${kind} '${name}'`),
    ).toEqual([]);
  });
});

describe('getting-started and docs/examples/build-sign-deploy.yml', () => {
  const guide = read('docs/getting-started.md');
  const exampleText = read('docs/examples/build-sign-deploy.yml');
  const example = parse(exampleText) as { jobs: Record<string, { with?: { files?: string } }> };
  const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

  it('agree on the number of jobs', () => {
    const said = /It has (\w+) jobs/.exec(guide)?.[1];
    expect(said && WORDS.indexOf(said)).toBe(Object.keys(example.jobs).length);
  });

  it('agree on the overlays', () => {
    const files = Object.values(example.jobs).flatMap((job) =>
      (job.with?.files ?? '').split('\n').filter(Boolean),
    );
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) expect(guide).toContain(file.replace(/\/kustomization\.yaml$/, '/'));
  });

  it('list every secret and variable the examples read once, and none that no example reads', () => {
    const rows = [...guide.matchAll(/^\| `([A-Z][A-Z0-9_]*)` +\| (secret|variable) /gm)].map((m) => m[1]!);
    expect(rows.length).toBe(new Set(rows).size);
    const read = (text: string) =>
      [...text.matchAll(/\$\{\{\s*(?:secrets|vars)\.([A-Z][A-Z0-9_]*)\s*\}\}/g)].map((m) => m[1]!);
    const main = new Set(read(exampleText));
    expect([...main].filter((name) => !rows.includes(name))).toEqual([]);
    const anyExample = new Set(examples.flatMap((f) => read(readFileSync(join(root, f), 'utf8'))));
    expect(rows.filter((name) => !anyExample.has(name))).toEqual([]);
    // the token-based alternative is named once, in the prose, as the secret the other example reads
    expect(anyExample.has('OPS_REPO_TOKEN')).toBe(true);
    expect(guide).toContain('`OPS_REPO_TOKEN`');
  });

  it('name the GitHub App key by one secret everywhere', () => {
    const texts = [...guides, ...examples].map((f) => read(f));
    // gitops-bump's app-private-key, and create-github-app-token's private-key right after app-id
    const KEY = [
      /app-private-key: \$\{\{\s*secrets\.([A-Z][A-Z0-9_]*)\s*\}\}/g,
      /app-id: [^\n]*\n\s*private-key: \$\{\{\s*secrets\.([A-Z][A-Z0-9_]*)\s*\}\}/g,
    ];
    const uses = texts.flatMap((t) => KEY.flatMap((re) => [...t.matchAll(re)].map((m) => m[1]!)));
    expect(uses.length).toBeGreaterThanOrEqual(4);
    const names = new Set(uses);
    expect([...names]).toEqual(['OPS_APP_PRIVATE_KEY']);
  });
});

describe('the checks themselves', () => {
  const md = [
    '```yaml',
    'jobs:',
    '  a:',
    '    uses: OWNER/slipway/.github/workflows/gitops-bump.yml@SLIPWAY_RELEASE_SHA # vX.Y.Z',
    '    with:',
    '      environment: staging',
    '      ops-repository: acme/ops',
    '      image: ghcr.io/acme/api',
    '      colour: blue',
    '    secrets:',
    '      ops-tokn: ${{ secrets.X }}',
    '  b:',
    '    uses: OWNER/slipway/.github/workflows/nope.yml@SLIPWAY_RELEASE_SHA # vX.Y.Z',
    '  c:',
    '    steps:',
    '      - uses: OWNER/slipway/actions/sbom@SLIPWAY_RELEASE_SHA # vX.Y.Z',
    '        with: { formats: spdx-json, format: x }',
    '      - uses: actions/checkout@v4',
    '        with: { anything: 1 }',
    '```',
    '',
    '```yaml',
    'a: [unclosed',
    '```',
    '',
    'Pass the `slipway-tokn` secret and the input `image`.',
  ].join('\n');

  it('report unknown inputs and secrets, missing required inputs, missing targets and bad YAML', () => {
    const { calls, problems } = guideCalls(md, 'g.md');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^g\.md:23: the YAML example does not parse: /);
    const gitops = 'g.md:2: OWNER/slipway/.github/workflows/gitops-bump.yml@SLIPWAY_RELEASE_SHA';
    expect(calls.flatMap((c) => checkGuideCall(root, c))).toEqual([
      `${gitops}: .github/workflows/gitops-bump.yml has no input 'colour'`,
      `${gitops}: .github/workflows/gitops-bump.yml has no secret 'ops-tokn'`,
      `${gitops}: required input 'files' of .github/workflows/gitops-bump.yml is missing`,
      'g.md:2: OWNER/slipway/.github/workflows/nope.yml@SLIPWAY_RELEASE_SHA: no such action or reusable workflow',
      "g.md:2: OWNER/slipway/actions/sbom@SLIPWAY_RELEASE_SHA: actions/sbom/action.yml has no input 'format'",
    ]);
  });

  it('find the names the prose calls inputs and secrets', () => {
    const known = knownNames(root);
    const named = proseNames(md, 'g.md');
    expect(named).toEqual([
      { name: 'image', kind: 'input', where: 'g.md:26' },
      { name: 'slipway-tokn', kind: 'secret', where: 'g.md:26' },
    ]);
    expect(known.secrets.has('slipway-tokn')).toBe(false);
    expect(known.secrets.has('slipway-token')).toBe(true);
    expect(known.inputs.has('image')).toBe(true);
  });
});
