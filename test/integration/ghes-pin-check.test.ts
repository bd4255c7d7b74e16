/**
 * pin-check online mode through the committed bundle on a GitHub Enterprise Server: the GitHub
 * double in its 'ghes' layout (REST only under /api/v3, GraphQL only at /api/graphql, the web at
 * the origin's root) and the runner's GHES variables. Findings that need the API work, every
 * request goes to the GHES paths, and links in the summary point at GITHUB_SERVER_URL.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findLeaks, runAction } from '../harness/run-action.ts';
import { startGitHubDouble, type GitHubDouble } from '../doubles/github/index.ts';

const actionDir = resolve(import.meta.dirname, '../../actions/pin-check');
const TOKEN = 'ghs_ghespincheck000000000000000000000001';

let gh: GitHubDouble;
let origin: string;
let c1: string; // v1.0.0 (annotated), v1
let c2: string; // main, v2.0.0 (annotated), v2
let impostor: string; // only in the fork evil/checkout

beforeAll(async () => {
  gh = await startGitHubDouble({ layout: 'ghes' });
  origin = new URL(gh.url).origin;
  const checkout = await gh.repos.create('actions/checkout');
  c1 = await checkout.commit({ files: { 'action.yml': 'name: one\n' }, date: '2024-01-01T00:00:00Z' });
  await checkout.annotatedTag('v1.0.0', c1, { message: 'v1.0.0', date: '2024-01-02T00:00:00Z' });
  await checkout.tag('v1', c1);
  c2 = await checkout.commit({ files: { 'action.yml': 'name: two\n' }, date: '2024-02-01T00:00:00Z' });
  await checkout.annotatedTag('v2.0.0', c2, { message: 'v2.0.0', date: '2024-02-02T00:00:00Z' });
  await checkout.tag('v2', c2);
  const fork = await checkout.fork('evil/checkout');
  impostor = await fork.commit({ files: { 'action.yml': 'name: evil\n' }, date: '2024-03-01T00:00:00Z' });
}, 60_000);

afterAll(async () => {
  await gh?.close();
});

let workspace: string;
beforeEach(() => {
  gh.requests.reset();
  workspace = mkdtempSync(join(tmpdir(), 'ghes-pin-check-'));
  mkdirSync(join(workspace, '.github', 'workflows'), { recursive: true });
  writeFileSync(
    join(workspace, '.github', 'workflows', 'ci.yml'),
    [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: [self-hosted, linux]',
      '    steps:',
      `      - uses: actions/checkout@${c1} # v2.0.0`,
      `      - uses: actions/checkout@${impostor} # v2`,
      `      - uses: actions/checkout@${c1} # v1.0.0`,
      '      - uses: actions/checkout@v2',
      '',
    ].join('\n'),
  );
});

/** The runner's variables on a GHES host (the double's origin stands for https://HOST). */
const ghesEnv = () => ({
  GITHUB_SERVER_URL: origin,
  GITHUB_API_URL: `${origin}/api/v3`,
  GITHUB_GRAPHQL_URL: `${origin}/api/graphql`,
});

function check(env: Record<string, string>) {
  return runAction({ actionDir, workspace, inputs: { online: 'true', token: TOKEN }, env });
}

const short = (sha: string) => sha.slice(0, 12);
const ci = (line: number) => ({ file: '.github/workflows/ci.yml', line, col: 15 });

/** Every request went to the GHES API paths and was routed (the root shapes would be 404 'unmatched'). */
function expectOnlyGhesPaths() {
  expect(gh.requests.total).toBeGreaterThan(0);
  for (const r of gh.requests.records) {
    expect(r.url, r.url).toMatch(/^\/api\/(v3\/|graphql$)/);
    expect(r.route).not.toBe('unmatched');
    // a tag without a release is GitHub's 404 (pin-check reads it as "no release")
    expect(r.status).toBe(r.route === 'GET /repos/{owner}/{repo}/releases/tags/{tag}' ? 404 : 200);
  }
}

describe('pin-check online on GitHub Enterprise Server', () => {
  it('finds drift, an impostor commit and a stale pin through /api/v3 and /api/graphql only', async () => {
    expect(ghesEnv()).toEqual(gh.env);
    const result = await check(ghesEnv());
    expect(result.exitCode).toBe(1);
    expect(result.annotations.slice(0, -1)).toEqual([
      {
        level: 'error',
        ...ci(6),
        title: 'pin-check: version-comment-drift',
        message: `the comment says v2.0.0, but v2.0.0 of actions/checkout points at ${short(c2)}, not at the pinned ${short(c1)}: the comment is wrong, the pinned commit is v1, v1.0.0. Correct the comment (the pin is not changed)`,
      },
      {
        level: 'error',
        ...ci(7),
        title: 'pin-check: impostor-commit',
        message: `commit ${short(impostor)} is not reachable from any branch or tag of actions/checkout; it may come from a fork`,
      },
      {
        level: 'error',
        ...ci(7),
        title: 'pin-check: version-comment-drift',
        message: `the comment says v2, but v2 of actions/checkout points at ${short(c2)}, not at the pinned ${short(impostor)}, and ${short(c2)} does not contain the pinned commit: the tag was moved to other history, or the comment is wrong. Check both before trusting the pin`,
      },
      {
        level: 'notice',
        ...ci(8),
        title: 'pin-check: stale-pin',
        message: 'actions/checkout v2.0.0 is available; the pin is at v1.0.0',
      },
      {
        level: 'error',
        ...ci(9),
        title: 'pin-check: unpinned-action',
        message:
          "uses 'actions/checkout@v2' is not pinned to a commit SHA: 'v2' is a tag or branch, which can be moved",
      },
    ]);
    expect(result.outputs).toMatchObject({ findings: '5', errors: '4' });
    // GraphQL: 3 requests: refs (5 distinct pairs), then branches and tags (1 repository and its
    // advisories), then the metadata of the 2 pinned commits (c1, the impostor): 8 repository selections.
    // REST compare: c1 is a tag tip but no branch tip (1, against main: behind); the impostor
    // against main (c2), then the tags' other commit (c1): 2; the drift of the impostor's comment
    // (is the impostor behind v2's commit?): 1. REST releases (information): the tags of lines 8
    // (v1.0.0) and 9 (v2); the comments of lines 6 and 7 drift, so they name no release.
    expect(gh.requests.counts()).toEqual({
      'POST /graphql': 3,
      'graphql:repository': 8,
      'graphql:securityVulnerabilities': 1,
      'GET /repos/{owner}/{repo}/compare/{basehead}': 4,
      'GET /repos/{owner}/{repo}/releases/tags/{tag}': 2,
    });
    expectOnlyGhesPaths();
    expect(findLeaks(result, [TOKEN])).toEqual([]);
  });

  it('links the online findings to pages on GITHUB_SERVER_URL in the job summary, never to github.com', async () => {
    const result = await check(ghesEnv());
    const row = (line: number, severity: string, rule: string, sha: string, page: string, message: string) =>
      `| .github/workflows/ci.yml:${line}:15 | ${severity} | ${rule} | [\`actions/checkout@${sha}\`](${origin}/actions/checkout/${page}) | ${message} |`;
    expect(result.summary).toBe(
      [
        '## pin-check',
        '',
        '5 finding(s) in 1 file(s).',
        '',
        '| Location | Severity | Rule | Reference | Message |',
        '| --- | --- | --- | --- | --- |',
        row(6, 'error', 'version-comment-drift', c1, `commit/${c1}`, result.annotations[0]!.message),
        row(7, 'error', 'impostor-commit', impostor, `commit/${impostor}`, result.annotations[1]!.message),
        row(
          7,
          'error',
          'version-comment-drift',
          impostor,
          `commit/${impostor}`,
          result.annotations[2]!.message,
        ),
        row(8, 'note', 'stale-pin', c1, 'releases', result.annotations[3]!.message),
        "| .github/workflows/ci.yml:9:15 | error | unpinned-action | `actions/checkout@v2` | uses 'actions/checkout@v2' is not pinned to a commit SHA: 'v2' is a tag or branch, which can be moved |",
        '',
        '',
      ].join('\n'),
    );
    const sarif = readFileSync(result.outputs.report!, 'utf8');
    // the only github.com URL in the SARIF is the tool's own home page (tool.driver.informationUri)
    expect(sarif.match(/https?:\/\/[^"\s]*github\.com[^"\s]*/g)).toEqual([
      'https://github.com/slipway-dev/slipway/tree/main/actions/pin-check',
    ]);
    expect(JSON.parse(sarif).runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual([
      'version-comment-drift',
      'impostor-commit',
      'version-comment-drift',
      'stale-pin',
      'unpinned-action',
    ]);
    for (const text of [result.log, result.summary, ...result.annotations.map((a) => a.message)])
      expect(text).not.toMatch(/github\.com/);
  });

  it('derives /api/graphql from GITHUB_API_URL when the runner does not set GITHUB_GRAPHQL_URL', async () => {
    const result = await check({ ...ghesEnv(), GITHUB_GRAPHQL_URL: '' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ findings: '5', errors: '4' });
    expect(gh.requests.records.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual([
      '/api/graphql',
      '/api/graphql',
      '/api/graphql',
    ]);
    expectOnlyGhesPaths();
  });
});
