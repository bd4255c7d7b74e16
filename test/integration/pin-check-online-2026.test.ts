/**
 * pin-check online against the GitHub API double, for issue 13: a failed lookup is
 * "could not verify" (its own finding and outcome, never a pass); version comments in the
 * styles of other tools, read, and written with the version last and their directives kept.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CouldNotVerifyError,
  runOutcome,
  runPinCheck,
  type Finding,
  type RunPinCheckOptions,
} from '@slipway/pinning';
import { startGitHubDouble, type GitHubDouble } from '../doubles/github/index.ts';

let gh: GitHubDouble;
let v1: string; // actions/checkout v1.0.0, v1 (a tag tip)
let c2: string; // actions/checkout on main, neither tagged nor a branch tip
let c3: string; // actions/checkout main tip, v1.1.0
let s1: string; // chain/one: uses docker://alpine:3 and chain/two@s2
let s2: string; // chain/two: uses chain/three/sub@s3
let s3: string; // chain/three/sub/action.yaml: uses actions/toolkit-x@v2
let sImg: string; // chain/img: a Docker action with runs.image docker://ghcr.io/x/y:1
let sBulk: string; // bulk/actions: 150 actions p0..p149
let sArchived: string; // old/archived (an archived repository): v1.0.0
let sVuln100: string; // vuln/action v1.0.0, v1: affected by GHSA-aaaa-bbbb-cccc
let sVuln120: string; // vuln/action v1.2.0: fixed
let m1: string; // shady/action: main~1; tag v1 (a branch v1 points at m2); a branch is named like m1
let m2: string; // shady/action: main tip
let t1: string; // shady/action: reachable only from the tag v3 (its branch was deleted)
let a1: string; // shady/action: v2.0.0 (annotated) and v2 (an annotated tag of the v2.0.0 tag object)

beforeAll(async () => {
  gh = await startGitHubDouble();
  const checkout = await gh.repos.create('actions/checkout');
  v1 = await checkout.commit({ files: { 'action.yml': 'name: one\n' }, date: '2024-01-01T00:00:00Z' });
  await checkout.tag('v1.0.0', v1);
  await checkout.tag('v1', v1);
  c2 = await checkout.commit({ files: { 'action.yml': 'name: two\n' }, date: '2024-02-01T00:00:00Z' });
  c3 = await checkout.commit({ files: { 'action.yml': 'name: three\n' }, date: '2024-03-01T00:00:00Z' });
  await checkout.tag('v1.1.0', c3);
  // A chain of composite actions, 3 deep: chain/one -> chain/two -> chain/three/sub -> toolkit@v2.
  const three = await gh.repos.create('chain/three');
  s3 = await three.commit({
    files: {
      'sub/action.yaml':
        'name: three\nruns:\n  using: composite\n  steps:\n    - uses: actions/toolkit-x@v2\n    - uses: ./local\n',
    },
  });
  const two = await gh.repos.create('chain/two');
  s2 = await two.commit({
    files: {
      'action.yml': `name: two\nruns:\n  using: composite\n  steps:\n    - uses: chain/three/sub@${s3}\n`,
    },
  });
  const one = await gh.repos.create('chain/one');
  s1 = await one.commit({
    files: {
      'action.yml': `name: one\nruns:\n  using: composite\n  steps:\n    - run: echo\n      shell: bash\n    - uses: docker://alpine:3\n    - uses: chain/two@${s2}\n`,
    },
  });
  const img = await gh.repos.create('chain/img');
  sImg = await img.commit({
    files: { 'action.yml': "name: img\nruns:\n  using: docker\n  image: 'docker://ghcr.io/x/y:1'\n" },
  });
  const shady = await gh.repos.create('shady/action');
  a1 = await shady.commit({ files: { 'action.yml': 'name: s0\n' }, date: '2023-12-01T00:00:00Z' });
  const v200 = await shady.annotatedTag('v2.0.0', a1, { message: 'v2.0.0' });
  await shady.annotatedTag('v2', v200, { message: 'v2 -> v2.0.0' });
  m1 = await shady.commit({ files: { 'action.yml': 'name: s1\n' }, date: '2024-01-01T00:00:00Z' });
  m2 = await shady.commit({ files: { 'action.yml': 'name: s2\n' }, date: '2024-02-01T00:00:00Z' });
  await shady.tag('v1', m1);
  await shady.branch('v1', m2);
  await shady.setRef(`refs/heads/${m1}`, m2);
  await shady.branch('deadbeef', m2);
  t1 = await shady.commit({ branch: 'tmp', files: { 'evil.js': 'x\n' }, date: '2024-03-01T00:00:00Z' });
  await shady.tag('v3', t1);
  await shady.deleteRef('refs/heads/tmp');
  const archived = await gh.repos.create('old/archived', { archived: true });
  sArchived = await archived.commit({ files: { 'action.yml': 'name: old\n' } });
  await archived.tag('v1.0.0', sArchived);
  const vuln = await gh.repos.create('vuln/action');
  sVuln100 = await vuln.commit({ files: { 'action.yml': 'name: v100\n' }, date: '2024-01-01T00:00:00Z' });
  await vuln.tag('v1.0.0', sVuln100);
  await vuln.tag('v1', sVuln100);
  sVuln120 = await vuln.commit({ files: { 'action.yml': 'name: v120\n' }, date: '2024-02-01T00:00:00Z' });
  await vuln.tag('v1.2.0', sVuln120);
  gh.advisories.push(
    {
      ghsaId: 'GHSA-aaaa-bbbb-cccc',
      summary: 'Token written to the log',
      severity: 'HIGH',
      ecosystem: 'ACTIONS',
      package: 'vuln/action',
      vulnerableVersionRange: '>= 1.0.0, < 1.2.0',
      firstPatchedVersion: '1.2.0',
    },
    {
      ghsaId: 'GHSA-dddd-eeee-ffff',
      summary: 'Withdrawn: not a vulnerability',
      severity: 'LOW',
      ecosystem: 'ACTIONS',
      package: 'vuln/action',
      vulnerableVersionRange: '< 2.0.0',
      withdrawnAt: '2026-01-02T00:00:00Z',
    },
    {
      ghsaId: 'GHSA-gggg-hhhh-iiii',
      summary: 'Another ecosystem',
      severity: 'CRITICAL',
      ecosystem: 'NPM',
      package: 'vuln/action',
      vulnerableVersionRange: '< 2.0.0',
    },
  );
  const many = await gh.repos.create('bulk/actions');
  sBulk = await many.commit({
    files: Object.fromEntries(
      Array.from({ length: 150 }, (_, i) => [
        `p${i}/action.yml`,
        `name: p${i}\nruns:\n  using: node24\n  main: x.js\n`,
      ]),
    ),
  });
}, 120_000);

afterAll(async () => {
  await gh?.close();
});

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pin-check-2026-'));
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
});
afterEach(() => {
  gh.faults.clear();
  rmSync(root, { recursive: true, force: true });
});

const write = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};

function options(overrides: Partial<RunPinCheckOptions> = {}): RunPinCheckOptions {
  return {
    root,
    paths: [],
    online: true,
    fix: false,
    update: false,
    major: false,
    token: 'ghs_test_token',
    apiUrl: gh.url,
    graphqlUrl: gh.graphqlUrl,
    cacheTtlMs: 3_600_000,
    retries: 1,
    retryAfterUnitMs: 5,
    // v1.1.0 makes every v1.0.0 pin stale; these tests are about other rules
    extraPolicy: { allow: [], ignore: [], severity: { 'stale-pin': 'off' } },
    ...overrides,
  };
}

const shown = (findings: readonly Finding[]) =>
  findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.ruleId}: ${f.message}`);

describe('could not verify', () => {
  it('a GraphQL failure turns every action reference into could-not-verify, and the run is unverified', async () => {
    write(
      '.github/workflows/ci.yml',
      `jobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@${v1} # v1.0.0\n      - uses: ./local\n      - uses: "actions/checkout@${c2}"\n`,
    );
    const fault = gh.faults.serverError('POST /graphql', { status: 503, times: 2 });
    const result = await runPinCheck(options());
    expect(fault.hits).toBe(2);
    expect(shown(result.findings)).toEqual([
      `.github/workflows/ci.yml:5:15 error could-not-verify: could not verify 'actions/checkout@${v1}' (resolving its ref): GitHub GraphQL request failed with HTTP 503`,
      `.github/workflows/ci.yml:7:16 error could-not-verify: could not verify 'actions/checkout@${c2}' (resolving its ref): GitHub GraphQL request failed with HTTP 503`,
    ]);
    expect(runOutcome(result.findings)).toBe('unverified');
  });

  it('other findings at error severity take precedence over could-not-verify', async () => {
    write(
      '.github/workflows/ci.yml',
      'jobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v1\n',
    );
    gh.faults.serverError('POST /graphql', { status: 502, times: 2 });
    const result = await runPinCheck(options());
    expect(result.findings.map((f) => f.ruleId)).toEqual(['could-not-verify', 'unpinned-action']);
    expect(runOutcome(result.findings)).toBe('findings');
  });

  it('the policy can accept unverified references: severity could-not-verify: warning', async () => {
    write('.github/slipway-pin.yml', 'severity:\n  could-not-verify: warning\n');
    write('.github/workflows/ci.yml', `jobs:\n  a:\n    steps:\n      - uses: actions/checkout@${v1}\n`);
    gh.faults.serverError('POST /graphql', { status: 503, times: 2 });
    const result = await runPinCheck(options());
    expect(shown(result.findings)).toEqual([
      `.github/workflows/ci.yml:4:15 warning could-not-verify: could not verify 'actions/checkout@${v1}' (resolving its ref): GitHub GraphQL request failed with HTTP 503`,
    ]);
    expect(runOutcome(result.findings)).toBe('ok');
  });

  it('a failed compare marks only the commits it was checking (a branch tip needs none)', async () => {
    write(
      '.github/workflows/ci.yml',
      `jobs:\n  a:\n    steps:\n      - uses: actions/checkout@${c3}\n      - uses: actions/checkout@${c2}\n`,
    );
    gh.faults.serverError('GET /repos/{owner}/{repo}/compare/{basehead}', { status: 500, times: Infinity });
    const result = await runPinCheck(options());
    expect(shown(result.findings)).toEqual([
      `.github/workflows/ci.yml:5:15 error could-not-verify: could not verify 'actions/checkout@${c2}' (checking that the commit is on a branch or tag): GitHub compare actions/checkout ${c3}...${c2} failed with HTTP 500`,
    ]);
  });

  it('without faults the same run verifies and passes', async () => {
    write(
      '.github/workflows/ci.yml',
      `jobs:\n  a:\n    steps:\n      - uses: actions/checkout@${v1} # v1.0.0\n`,
    );
    const result = await runPinCheck(options());
    expect(result.findings).toEqual([]);
    expect(runOutcome(result.findings)).toBe('ok');
  });

  it('fix mode cannot go on: it throws CouldNotVerifyError and writes nothing', async () => {
    const before = 'jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v1\n';
    write('.github/workflows/ci.yml', before);
    gh.faults.serverError('POST /graphql', { status: 503, times: 2 });
    const error = await runPinCheck(options({ online: false, fix: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CouldNotVerifyError);
    expect((error as Error).message).toBe('GitHub GraphQL request failed with HTTP 503');
    expect(readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8')).toBe(before);
  });
});

describe('version comments', () => {
  it('--fix and --update write " # vX.Y.Z" last and keep other tools\' directives, byte for byte', async () => {
    const before = [
      'jobs:',
      '  a:',
      '    steps:',
      '      - uses: actions/checkout@v1.0.0 # zizmor: ignore[unpinned-uses]',
      '      - uses: actions/checkout@v1 # ratchet:actions/checkout@v1',
      `      - uses: actions/checkout@${v1}   # tag=v1.0.0 # renovate: datasource=github-tags`,
      `      - uses: actions/checkout@${v1} # pin @v1.0.0`,
      '      - uses: actions/checkout@v1.0.0 # needed for the build',
      '',
    ].join('\n');
    write('.github/workflows/ci.yml', before);
    await runPinCheck(options({ online: false, fix: true }));
    const fixed = readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8');
    expect(fixed).toBe(
      [
        'jobs:',
        '  a:',
        '    steps:',
        `      - uses: actions/checkout@${v1} # zizmor: ignore[unpinned-uses] # v1.0.0`,
        `      - uses: actions/checkout@${v1} # ratchet:actions/checkout@v1 # v1`,
        `      - uses: actions/checkout@${v1}   # tag=v1.0.0 # renovate: datasource=github-tags`,
        `      - uses: actions/checkout@${v1} # pin @v1.0.0`,
        `      - uses: actions/checkout@${v1} # v1.0.0`,
        '',
      ].join('\n'),
    );
    await runPinCheck(options({ online: false, fix: true, update: true }));
    expect(readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8')).toBe(
      [
        'jobs:',
        '  a:',
        '    steps:',
        `      - uses: actions/checkout@${c3} # zizmor: ignore[unpinned-uses] # v1.1.0`,
        `      - uses: actions/checkout@${c3} # ratchet:actions/checkout@v1 # v1.1.0`,
        `      - uses: actions/checkout@${c3}   # renovate: datasource=github-tags # v1.1.0`,
        `      - uses: actions/checkout@${c3} # v1.1.0`,
        `      - uses: actions/checkout@${c3} # v1.1.0`,
        '',
      ].join('\n'),
    );
  });

  it('online, every comment style is read for version-comment-drift (ratchet only for its own action)', async () => {
    write(
      '.github/workflows/ci.yml',
      [
        'jobs:',
        '  a:',
        '    steps:',
        `      - uses: actions/checkout@${v1} # ratchet:actions/checkout@v1`,
        `      - uses: actions/checkout@${v1} # ratchet:actions/checkout@v1.1.0`,
        `      - uses: actions/checkout@${v1} # pin @v1.1.0`,
        `      - uses: actions/checkout@${v1} # tag=v1.0.0`,
        `      - uses: actions/checkout@${v1} # ratchet:actions/other@v1.1.0`,
        '',
      ].join('\n'),
    );
    const result = await runPinCheck(options());
    expect(
      result.findings.filter((f) => f.ruleId === 'version-comment-drift').map((f) => `${f.line}:${f.column}`),
    ).toEqual(['5:15', '6:15']);
  });
});

describe('gh actions-lock lockfile in fix mode', () => {
  it('leaves the step actions of an onboarded workflow to gh actions-lock and pins the others', async () => {
    const ci = 'jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v1\n';
    write('.github/workflows/ci.yml', ci);
    write('.github/workflows/other.yml', ci);
    write(
      '.github/workflows/actions.lock',
      `version: 'v0.0.2'\nworkflows:\n  '.github/workflows/ci.yml':\n    - 'actions/checkout@v1'\ndependencies:\n  'actions/checkout@v1':\n    ref: 'v1'\n    commit: 'sha1-${v1}'\n    owner_id: 1\n    repo_id: 2\n`,
    );
    const result = await runPinCheck(options({ online: false, fix: true }));
    expect(readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8')).toBe(ci);
    expect(readFileSync(join(root, '.github/workflows/other.yml'), 'utf8')).toBe(
      `jobs:\n  a:\n    steps:\n      - uses: actions/checkout@${v1} # v1\n`,
    );
    expect(result.plan?.skipped).toEqual([
      {
        file: '.github/workflows/ci.yml',
        line: 4,
        column: 15,
        reference: 'actions/checkout@v1',
        reason:
          'the workflow is onboarded to .github/workflows/actions.lock; update it with `gh actions-lock`',
      },
    ]);
    expect(result.findings).toEqual([]);
  });
});

describe('nested actions (transitive check)', () => {
  const chainWorkflow = () =>
    write(
      '.github/workflows/ci.yml',
      `jobs:\n  a:\n    steps:\n      - uses: chain/one@${s1}\n      - uses: chain/img@${sImg}\n`,
    );
  const metadataRequests = () => gh.requests.count('graphql operation:ActionMetadata');

  it('reports unpinned uses and runs.image 3 levels down with the chain, one request per level, cached by SHA', async () => {
    chainWorkflow();
    const cacheFile = join(root, 'cache', 'refs.json');
    const before = metadataRequests();
    const result = await runPinCheck(options({ cacheFile }));
    const short = (sha: string) => sha.slice(0, 12);
    expect(shown(result.findings)).toEqual([
      `.github/workflows/ci.yml:4:15 error unpinned-nested-action: .github/workflows/ci.yml:4 → chain/one@${short(s1)} → docker://alpine:3: uses at chain/one/action.yml:7 is not pinned (it uses the tag '3' without a digest); GitHub's SHA-pinning policy rejects the run`,
      `.github/workflows/ci.yml:4:15 error unpinned-nested-action: .github/workflows/ci.yml:4 → chain/one@${short(s1)} → chain/two@${short(s2)} → chain/three/sub@${short(s3)} → actions/toolkit-x@v2: uses at chain/three/sub/action.yaml:5 is not pinned ('v2' is a tag or branch, which can be moved); GitHub's SHA-pinning policy rejects the run`,
      `.github/workflows/ci.yml:5:15 error unpinned-nested-action: .github/workflows/ci.yml:5 → chain/img@${short(sImg)} → docker://ghcr.io/x/y:1: runs.image at chain/img/action.yml:4 is not pinned (it uses the tag '1' without a digest); GitHub's SHA-pinning policy rejects the run`,
    ]);
    expect(metadataRequests() - before).toBe(3);
    // Metadata at a commit never changes: a later run (even past the TTL) asks nothing again.
    const again = await runPinCheck(options({ cacheFile, cacheTtlMs: 1 }));
    expect(shown(again.findings)).toEqual(shown(result.findings));
    expect(metadataRequests() - before).toBe(3);
  });

  it('applies the allow-list to what nested actions use', async () => {
    chainWorkflow();
    const result = await runPinCheck(
      options({
        extraPolicy: { allow: ['actions/*', 'alpine'], ignore: [], severity: { 'stale-pin': 'off' } },
      }),
    );
    expect(result.findings.map((f) => f.message.split(': ')[0]?.split(' → ').at(-1))).toEqual([
      'docker://ghcr.io/x/y:1',
    ]);
  });

  it('stops at the depth limit', async () => {
    chainWorkflow();
    const result = await runPinCheck(options({ nestedDepth: 2 }));
    // depth 2 reads chain/one and chain/two, not chain/three/sub (which names the unpinned toolkit)
    expect(
      result.findings.map((f) => `${f.line}:${f.column} ${f.ruleId} ${f.message.split(': ')[0]}`),
    ).toEqual([
      `4:15 unpinned-nested-action .github/workflows/ci.yml:4 → chain/one@${s1.slice(0, 12)} → docker://alpine:3`,
      `5:15 unpinned-nested-action .github/workflows/ci.yml:5 → chain/img@${sImg.slice(0, 12)} → docker://ghcr.io/x/y:1`,
    ]);
    const deeper = await runPinCheck(options({ nestedDepth: 3 }));
    expect(deeper.findings.some((f) => f.message.includes('actions/toolkit-x@v2'))).toBe(true);
  });

  it('reads 150 actions in 2 requests (at most 100 a request)', async () => {
    const steps = Array.from({ length: 150 }, (_, i) => `      - uses: bulk/actions/p${i}@${sBulk}\n`).join(
      '',
    );
    write('.github/workflows/ci.yml', `jobs:\n  a:\n    steps:\n${steps}`);
    const before = metadataRequests();
    const result = await runPinCheck(options());
    expect(result.findings).toEqual([]);
    expect(metadataRequests() - before).toBe(2);
  });

  it('a failed metadata lookup is could-not-verify on the workflow line', async () => {
    chainWorkflow();
    gh.faults.add({
      route: 'POST /graphql',
      match: (request) => JSON.stringify(request.body ?? '').includes('ActionMetadata'),
      status: 502,
      body: { message: 'Server Error' },
      times: 2,
    });
    const result = await runPinCheck(options());
    expect(result.findings.map((f) => `${f.line}:${f.column} ${f.ruleId}`)).toEqual([
      '4:15 could-not-verify',
      '5:15 could-not-verify',
    ]);
    expect(runOutcome(result.findings)).toBe('unverified');
  });
});

describe('refs in doubt and reachability', () => {
  it('reports a same-named tag and branch, refs named like SHAs, and a tag-only commit; peels a tag of a tag', async () => {
    write(
      '.github/workflows/ci.yml',
      [
        'jobs:',
        '  a:',
        '    steps:',
        '      - uses: shady/action@v1',
        `      - uses: shady/action@${m1}`,
        '      - uses: shady/action@deadbeef',
        `      - uses: shady/action@${t1} # v3`,
        `      - uses: shady/action@${a1} # v2`,
        `      - uses: shady/action@${m2}`,
        '',
      ].join('\n'),
    );
    const result = await runPinCheck(options());
    expect(shown(result.findings.filter((f) => f.ruleId !== 'unpinned-action'))).toEqual([
      `.github/workflows/ci.yml:4:15 error ambiguous-ref: 'v1' names both a tag and a branch of shady/action; pin-check does not guess which one runs: pin the commit SHA you mean`,
      `.github/workflows/ci.yml:5:15 error sha-like-ref-name: shady/action has a branch named '${m1}', like the pinned commit: a ref named like a SHA is there to be confused with one. Check the repository before trusting this pin`,
      `.github/workflows/ci.yml:6:15 error sha-like-ref-name: 'deadbeef' looks like a commit SHA but is a branch of shady/action, which can be moved: pin the full commit SHA`,
      `.github/workflows/ci.yml:7:15 warning tag-only-commit: commit ${t1.slice(0, 12)} is reachable only from tags of shady/action (tag v3), not from any branch: a tag pointing outside the branches is how the tj-actions/changed-files compromise shipped`,
    ]);
  });

  it('--fix never guesses: it leaves ambiguous and SHA-like refs alone and pins a tag of a tag to its commit', async () => {
    const before =
      'jobs:\n  a:\n    steps:\n      - uses: shady/action@v1\n      - uses: shady/action@deadbeef\n      - uses: shady/action@v2\n';
    write('.github/workflows/ci.yml', before);
    const result = await runPinCheck(options({ online: false, fix: true }));
    expect(readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8')).toBe(
      `jobs:\n  a:\n    steps:\n      - uses: shady/action@v1\n      - uses: shady/action@deadbeef\n      - uses: shady/action@${a1} # v2\n`,
    );
    expect(result.plan?.skipped.map((s) => `${s.line}:${s.column} ${s.reason.split(':')[0]}`)).toEqual([
      '4:15 ambiguous-ref',
      '5:15 sha-like-ref-name',
    ]);
  });
});

describe('version-comment-drift says what happened', () => {
  it('tells a wrong comment from a tag that moved on and a tag moved to other history, and moves no pin', async () => {
    const text = [
      'jobs:',
      '  a:',
      '    steps:',
      `      - uses: actions/checkout@${v1} # v1.1.0`,
      `      - uses: actions/checkout@${c2} # v1.1.0`,
      `      - uses: shady/action@${m2} # v2`,
      '',
    ].join('\n');
    write('.github/workflows/ci.yml', text);
    const result = await runPinCheck(options());
    const s = (sha: string) => sha.slice(0, 12);
    expect(shown(result.findings.filter((f) => f.ruleId === 'version-comment-drift'))).toEqual([
      `.github/workflows/ci.yml:4:15 error version-comment-drift: the comment says v1.1.0, but v1.1.0 of actions/checkout points at ${s(c3)}, not at the pinned ${s(v1)}: the comment is wrong, the pinned commit is v1, v1.0.0. Correct the comment (the pin is not changed)`,
      `.github/workflows/ci.yml:5:15 error version-comment-drift: the comment says v1.1.0, but v1.1.0 of actions/checkout points at ${s(c3)}, not at the pinned ${s(c2)}: the tag has moved on since the pin was written (the pinned commit is an ancestor of ${s(c3)}). The pin still runs ${s(c2)}; move it with --update, or write the version it is`,
      `.github/workflows/ci.yml:6:15 error version-comment-drift: the comment says v2, but v2 of shady/action points at ${s(a1)}, not at the pinned ${s(m2)}, and ${s(a1)} does not contain the pinned commit: the tag was moved to other history, or the comment is wrong. Check both before trusting the pin`,
    ]);
    await runPinCheck(options({ online: false, fix: true }));
    expect(readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8')).toBe(text);
  });
});

describe('archived repositories and advisories', () => {
  it('reports them from the same batched request as tags and branches', async () => {
    write(
      '.github/workflows/ci.yml',
      [
        'jobs:',
        '  a:',
        '    steps:',
        `      - uses: old/archived@${sArchived} # v1.0.0`,
        `      - uses: vuln/action@${sVuln100} # v1`,
        `      - uses: vuln/action@${sVuln120} # v1.2.0`,
        '',
      ].join('\n'),
    );
    const repoRefsRequests = () => gh.requests.count('graphql operation:RepoRefs');
    const vulnerabilityFields = () => gh.requests.count('graphql:securityVulnerabilities');
    const [beforeRefs, beforeFields] = [repoRefsRequests(), vulnerabilityFields()];
    const result = await runPinCheck(options());
    expect(shown(result.findings)).toEqual([
      '.github/workflows/ci.yml:4:15 warning archived-action: old/archived is archived: it is read-only and gets no more fixes, security ones included',
      '.github/workflows/ci.yml:5:15 error known-vulnerable-action: vuln/action 1.0.0 is affected by GHSA-aaaa-bbbb-cccc (high, versions >= 1.0.0, < 1.2.0): Token written to the log; fixed in 1.2.0',
    ]);
    expect(repoRefsRequests() - beforeRefs).toBe(1);
    expect(vulnerabilityFields() - beforeFields).toBe(2);
  });
});

describe('--update with min-release-age (cooldown)', () => {
  const text = `jobs:\n  a:\n    steps:\n      - uses: vuln/action@${'SHA'} # v1.0.0\n`;
  it('moves only to a tag made at least min-release-age before now', async () => {
    write('.github/workflows/ci.yml', text.replace('SHA', sVuln100));
    const now = new Date('2024-02-05T00:00:00Z'); // v1.2.0's commit is from 2024-02-01
    await runPinCheck(
      options({ online: false, fix: true, update: true, now, minReleaseAgeMs: 7 * 86_400_000 }),
    );
    expect(readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8')).toBe(text.replace('SHA', sVuln100));
    await runPinCheck(options({ online: false, fix: true, update: true, now, minReleaseAgeMs: 86_400_000 }));
    expect(readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8')).toBe(
      `jobs:\n  a:\n    steps:\n      - uses: vuln/action@${sVuln120} # v1.2.0\n`,
    );
  });
});

describe('gh actions-lock lockfile online: repository and owner identity', () => {
  it('reports an entry whose repo_id or owner_id is not the id GitHub gives, or whose repository is gone', async () => {
    const checkout = gh.repos.get('actions', 'checkout')!;
    const shady = gh.repos.get('shady', 'action')!;
    const img = gh.repos.get('chain', 'img')!;
    write(
      '.github/workflows/ci.yml',
      `jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v1\n      - uses: shady/action@v3\n      - uses: gone/away@v1\n      - uses: chain/img@${sImg}\n`,
    );
    const entry = (key: string, ref: string, sha: string, ownerId: number, repoId: number) =>
      `  '${key}':\n    ref: '${ref}'\n    commit: 'sha1-${sha}'\n    owner_id: ${ownerId}\n    repo_id: ${repoId}\n`;
    write(
      '.github/workflows/actions.lock',
      `version: 'v0.0.2'\nworkflows:\n  '.github/workflows/ci.yml':\n    - 'actions/checkout@v1'\n    - 'shady/action@v3'\n    - 'gone/away@v1'\n    - 'chain/img@${sImg}'\ndependencies:\n` +
        entry('actions/checkout@v1', 'v1', v1, checkout.ownerId, checkout.id) +
        entry('shady/action@v3', 'v3', t1, shady.ownerId, 1) +
        entry('gone/away@v1', 'v1', 'f'.repeat(40), 1, 7) +
        entry(`chain/img@${sImg}`, 'main', sImg, img.ownerId + 1, img.id),
    );
    const result = await runPinCheck(options());
    expect(shown(result.findings.filter((f) => f.file.endsWith('actions.lock')))).toEqual([
      `.github/workflows/actions.lock:14:3 error lockfile-invalid: .github/workflows/actions.lock: 'shady/action@v3' has repo_id 1, but shady/action is repository ${shady.id} on GitHub: it was deleted and re-created, or another repository took its name. Review it, then run \`gh actions-lock\``,
      `.github/workflows/actions.lock:19:3 error lockfile-invalid: .github/workflows/actions.lock: 'gone/away@v1' locks gone/away, which does not exist or is not accessible`,
      `.github/workflows/actions.lock:24:3 error lockfile-invalid: .github/workflows/actions.lock: 'chain/img@${sImg}' has owner_id ${img.ownerId + 1}, but chain is owner ${img.ownerId} on GitHub: the account was deleted and another one took its name. Review it, then run \`gh actions-lock\``,
    ]);
    expect(result.findings.filter((f) => f.ruleId === 'unpinned-action')).toEqual([]);
  });
});

describe('immutable releases (information, never a pass)', () => {
  const route = 'GET /repos/{owner}/{repo}/releases/tags/{tag}';
  let r100: string; // rel/action v1.0.0: an immutable release
  let r110: string; // rel/action v1.1.0 (a release, not immutable) and v1 (a major tag, no release)
  beforeAll(async () => {
    const rel = await gh.repos.create('rel/action');
    r100 = await rel.commit({ files: { 'action.yml': 'name: r100\n' }, date: '2024-01-01T00:00:00Z' });
    await rel.tag('v1.0.0', r100);
    await rel.release('v1.0.0', { immutable: true });
    r110 = await rel.commit({ files: { 'action.yml': 'name: r110\n' }, date: '2024-02-01T00:00:00Z' });
    await rel.tag('v1.1.0', r110);
    await rel.tag('v1', r110);
    await rel.release('v1.1.0');
  });
  const ci = () =>
    [
      'jobs:',
      '  a:',
      '    steps:',
      `      - uses: rel/action@${r100} # v1.0.0`,
      `      - uses: rel/action@${r110}`,
      '      - uses: rel/action@v1',
      '      - uses: rel/action@v1.0.0',
      `      - uses: rel/action@${r110} # v1.0.0`,
      '',
    ].join('\n');
  const at = (line: number, reference: string, tag: string, release: string) => ({
    file: '.github/workflows/ci.yml',
    line,
    column: 15,
    reference,
    repository: 'rel/action',
    tag,
    release,
  });

  it('reads the release of each pinned tag once, from the cache on the next run, and passes nothing', async () => {
    write('.github/workflows/ci.yml', ci());
    const cacheFile = join(root, 'cache', 'refs.json');
    const before = gh.requests.count(route);
    const result = await runPinCheck(options({ cacheFile }));
    const expected = [
      at(4, `rel/action@${r100}`, 'v1.0.0', 'immutable'),
      // no comment: the most specific tag at the commit (v1.1.0 over v1)
      at(5, `rel/action@${r110}`, 'v1.1.0', 'mutable'),
      at(6, 'rel/action@v1', 'v1', 'none'),
      at(7, 'rel/action@v1.0.0', 'v1.0.0', 'immutable'),
      // line 8's comment drifts from its pin: it names no release of that commit
    ];
    expect(result.releases).toEqual(expected);
    expect(gh.requests.count(route) - before).toBe(3);
    expect(result.releaseRequests).toBe(3);
    // an immutable release never makes a tag reference pinned
    expect(
      shown(result.findings.filter((f) => f.ruleId === 'unpinned-action')).map((f) => f.split(' ')[0]),
    ).toEqual(['.github/workflows/ci.yml:6:15', '.github/workflows/ci.yml:7:15']);
    const again = await runPinCheck(options({ cacheFile }));
    expect(again.releases).toEqual(expected);
    expect(gh.requests.count(route) - before).toBe(3);
  });

  it('a failed release lookup reads unknown, stops further ones and changes no finding', async () => {
    write('.github/workflows/ci.yml', ci());
    const clean = await runPinCheck(options());
    gh.faults.serverError(route, { status: 503, times: Infinity });
    const before = gh.requests.count(route);
    const result = await runPinCheck(options());
    expect(result.releases?.map((r) => r.release)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
    expect(gh.requests.count(route) - before).toBe(2); // one lookup, retried once
    expect(result.findings).toEqual(clean.findings);
    expect(runOutcome(result.findings)).toBe(runOutcome(clean.findings));
  });
});
