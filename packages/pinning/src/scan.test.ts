import { describe, expect, it } from 'vitest';
import { evaluateSite, parseProblemFinding } from './rules.ts';
import { scanFile } from './scan.ts';

/** Offline findings of one file as `line:col rule reference`. */
function lint(file: string, text: string): string[] {
  const { sites, problems } = scanFile(file, text);
  return [
    ...problems.map(parseProblemFinding),
    ...sites.map(evaluateSite).filter((f) => f !== undefined),
  ].map((f) => `${f.line}:${f.column} ${f.ruleId} ${f.reference}`);
}

const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11';

describe('scanFile: workflows', () => {
  it('finds step uses, reusable workflows, containers and services with exact positions', () => {
    const text = [
      'on: push', // 1
      'jobs:',
      '  call:',
      '    uses: octo/pipelines/.github/workflows/build.yml@v2', // 4
      '  build:',
      '    runs-on: ubuntu-24.04',
      '    container: node:20', // 7
      '    services:',
      '      db:',
      '        image: postgres:16', // 10
      '      cache: redis@sha256:' + 'a'.repeat(64),
      '    steps:',
      `      - uses: actions/checkout@${SHA}`, // 13
      '      - uses: actions/setup-node@main', // 14
      '      - uses: ./.github/actions/local', // 15
      '      - uses: docker://alpine:3.20', // 16
      "      - run: 'echo uses: fake@v1'",
      '',
    ].join('\n');
    expect(lint('.github/workflows/ci.yml', text)).toEqual([
      '4:11 unpinned-action octo/pipelines/.github/workflows/build.yml@v2',
      '7:16 unpinned-image node:20',
      '10:16 unpinned-image postgres:16',
      '14:15 unpinned-action actions/setup-node@main',
      '16:15 unpinned-image docker://alpine:3.20',
    ]);
  });

  it('treats short SHAs, uppercase SHAs and tags as unpinned, with the reason', () => {
    const text = [
      'jobs:',
      '  a:',
      '    steps:',
      '      - uses: actions/cache@b4ffde6',
      `      - uses: actions/cache@${SHA.toUpperCase()}`,
      '      - uses: actions/cache@v4.1.0',
      '',
    ].join('\n');
    const { sites } = scanFile('w.yml', text);
    expect(sites.map((s) => evaluateSite(s)?.message)).toEqual([
      "uses 'actions/cache@b4ffde6' is not pinned to a commit SHA: it is a short SHA (7 characters), which can become ambiguous",
      `uses 'actions/cache@${SHA.toUpperCase()}' is not pinned to a commit SHA: it is a SHA in uppercase hex, which is not a valid pin (use lowercase)`,
      "uses 'actions/cache@v4.1.0' is not pinned to a commit SHA: 'v4.1.0' is a tag or branch, which can be moved",
    ]);
  });

  it('reports expressions and unparsable refs as findings of their own', () => {
    const text = [
      'jobs:',
      '  a:',
      '    container:',
      '      image: ${{ matrix.image }}',
      '    steps:',
      '      - uses: ${{ inputs.action }}',
      '      - uses: actions/checkout',
      '      - uses: not a ref@v1',
      '      - uses: {nested: map}',
      '      - uses: 12',
      '      - uses:',
      '',
    ].join('\n');
    expect(
      lint('w.yml', 'jobs:\n  a:\n    container:\n  b:\n    services:\n      db:\n        image: ""\n'),
    ).toEqual([]);
    expect(lint('w.yml', text)).toEqual([
      '4:14 unresolvable-reference ${{ matrix.image }}',
      '6:15 unresolvable-reference ${{ inputs.action }}',
      '7:15 invalid-reference actions/checkout',
      '8:15 invalid-reference not a ref@v1',
      '9:15 invalid-reference ',
      '10:15 invalid-reference ',
      '11:14 invalid-reference ',
    ]);
  });

  it('handles anchors, aliases and merge keys: one finding per written reference', () => {
    const text = [
      'x-defaults: &defaults',
      '  uses: actions/checkout@v4', // 2
      'jobs:',
      '  a:',
      '    steps:',
      '      - *defaults',
      '      - <<: *defaults',
      '        with: {fetch-depth: 0}',
      '      - uses: &pinned actions/setup-go@v5', // 9
      '  b:',
      '    steps:',
      '      - uses: *pinned',
      '',
    ].join('\n');
    expect(lint('w.yml', text)).toEqual([
      '2:9 unpinned-action actions/checkout@v4',
      '9:23 unpinned-action actions/setup-go@v5',
    ]);
  });

  it('handles flow style, quoted scalars and comments', () => {
    const text = [
      '# uses: commented/out@v1',
      'jobs: {a: {steps: [{uses: "actions/checkout@v4"}, {uses: \'actions/cache@v3\'}]},',
      '  b: {container: {image: "node:20"}}}',
      '',
    ].join('\n');
    expect(lint('w.yml', text)).toEqual([
      '2:28 unpinned-action actions/checkout@v4',
      '2:59 unpinned-action actions/cache@v3',
      '3:27 unpinned-image node:20',
    ]);
  });

  it('keeps line numbers right with CRLF endings and a byte-order mark', () => {
    const text = '\uFEFFjobs:\r\n  a:\r\n    uses: o/r/.github/workflows/w.yml@v1\r\n    steps: []\r\n';
    const crlf = '\uFEFFjobs:\r\n  a:\r\n    steps:\r\n      - uses: o/r@v1 # c\r\n';
    expect(lint('w.yml', text)).toEqual(['3:11 unpinned-action o/r/.github/workflows/w.yml@v1']);
    const [site] = scanFile('w.yml', crlf).sites;
    expect(site).toMatchObject({ line: 4, column: 15, comment: { text: 'c' } });
    expect(crlf.slice(site!.valueStart, site!.valueEnd)).toBe('o/r@v1');
    expect(crlf.slice(site!.comment!.start, site!.comment!.end)).toBe('# c');
    const bomFirstLine = '\uFEFFjobs: {a: {uses: o/r/.github/workflows/w.yml@v1}}\n';
    expect(lint('w.yml', bomFirstLine)).toEqual(['1:18 unpinned-action o/r/.github/workflows/w.yml@v1']);
  });

  it('scans every document of a multi-document file', () => {
    const text =
      'jobs: {a: {uses: o/r/.github/workflows/a.yml@v1}}\n---\njobs: {b: {uses: o/r/.github/workflows/b.yml@v2}}\n';
    expect(lint('w.yml', text)).toEqual([
      '1:18 unpinned-action o/r/.github/workflows/a.yml@v1',
      '3:18 unpinned-action o/r/.github/workflows/b.yml@v2',
    ]);
  });

  it('returns YAML errors as parse-error findings with file and line', () => {
    expect(scanFile('w.yml', 'jobs:\n  a:\n    steps:\n      - uses: a/b@v1\n     bad: [\n')).toEqual({
      sites: [],
      problems: [
        { file: 'w.yml', line: 5, column: 1, message: 'All mapping items must start at the same column' },
      ],
    });
    // one syntax error, which the parser reports three times over at the same place: one problem
    expect(scanFile('w.yml', 'on: push\n- jobs\n').problems).toEqual([
      { file: 'w.yml', line: 2, column: 1, message: 'Implicit keys need to be on a single line' },
    ]);
    const { problems } = scanFile('w.yml', 'jobs:\n  a: 1\n  a: 2\n');
    expect(problems).toEqual([{ file: 'w.yml', line: 3, column: 3, message: 'Map keys must be unique' }]);
  });
});

describe('scanFile: action metadata', () => {
  it('finds composite steps and docker images', () => {
    const composite = [
      'name: x',
      'runs:',
      '  using: composite',
      '  steps:',
      '    - uses: actions/github-script@v7',
      '    - run: echo',
      '      shell: bash',
      '',
    ].join('\n');
    expect(lint('sub/action.yml', composite)).toEqual(['5:13 unpinned-action actions/github-script@v7']);
    const docker = "runs:\n  using: docker\n  image: 'docker://ghcr.io/o/i:1'\n";
    expect(lint('action.yaml', docker)).toEqual(['3:11 unpinned-image docker://ghcr.io/o/i:1']);
    expect(lint('action.yml', 'runs:\n  using: docker\n  image: Dockerfile\n')).toEqual([]);
  });
});
