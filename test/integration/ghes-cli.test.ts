/**
 * The `slipway` CLI (the committed dist/cli/index.js, run from the shared bundle) against a GitHub Enterprise Server: the GitHub
 * double in its 'ghes' layout (REST only under /api/v3, GraphQL only at /api/graphql). The server
 * comes from GITHUB_API_URL / GITHUB_GRAPHQL_URL, or from --api-url on a laptop; lookups cached
 * for one server never answer for another; `slipway bump` works offline and contacts no server.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubDouble, type GitHubDouble } from '../doubles/github/index.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const bundle = join(repoRoot, 'dist', 'cli', 'index.js');
const TOKEN = 'ghs_ghescli0000000000000000000000000001';

function slipway(args: string[], cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done, reject) => {
    const child = spawn(process.execPath, [bundle, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

let ghes: GitHubDouble;
let dotcom: GitHubDouble; // github.com-shaped, with a different actions/checkout
let origin: string;
let v1: string; // actions/checkout v1 on the GHES server
let impostor: string;

beforeAll(async () => {
  ghes = await startGitHubDouble({ layout: 'ghes' });
  origin = new URL(ghes.url).origin;
  const checkout = await ghes.repos.create('actions/checkout');
  v1 = await checkout.commit({ files: { 'action.yml': 'name: ghes\n' }, date: '2024-01-01T00:00:00Z' });
  await checkout.annotatedTag('v1', v1, { message: 'v1' });
  const fork = await checkout.fork('evil/checkout');
  impostor = await fork.commit({ files: { 'action.yml': 'name: evil\n' }, date: '2024-02-01T00:00:00Z' });
  dotcom = await startGitHubDouble();
  const other = await dotcom.repos.create('actions/checkout');
  const v1Elsewhere = await other.commit({
    files: { 'action.yml': 'name: dotcom\n' },
    date: '2024-01-01T00:00:00Z',
  });
  await other.tag('v1', v1Elsewhere);
}, 60_000);

afterAll(async () => {
  await ghes?.close();
  await dotcom?.close();
});

let work: string;
let home: string;
beforeEach(() => {
  ghes.requests.reset();
  dotcom.requests.reset();
  home = mkdtempSync(join(tmpdir(), 'ghes-cli-home-'));
  work = mkdtempSync(join(tmpdir(), 'ghes-cli-'));
  mkdirSync(join(work, '.github', 'workflows'), { recursive: true });
});

const workflow = (...uses: string[]) =>
  writeFileSync(
    join(work, '.github', 'workflows', 'ci.yml'),
    [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: self-hosted',
      '    steps:',
      ...uses.map((u) => `      - uses: ${u}`),
      '',
    ].join('\n'),
  );

const findings = (stdout: string) =>
  (JSON.parse(stdout) as { findings: { line: number; ruleId: string }[] }).findings.map(
    (f) => `${f.line} ${f.ruleId}`,
  );

function expectOnlyGhesPaths() {
  expect(ghes.requests.total).toBeGreaterThan(0);
  for (const r of ghes.requests.records) {
    expect(r.url, r.url).toMatch(/^\/api\/(v3\/|graphql$)/);
    expect(r.route).not.toBe('unmatched');
  }
}

describe('slipway pin-check --online on GitHub Enterprise Server', () => {
  it('takes the server from GITHUB_API_URL and GITHUB_GRAPHQL_URL, as on a GHES runner', async () => {
    workflow(`actions/checkout@${v1} # v1`, `actions/checkout@${impostor} # v1`);
    const result = await slipway(['pin-check', '--online', '--format', 'json'], work, {
      HOME: home,
      GITHUB_TOKEN: TOKEN,
      ...ghes.env,
    });
    expect(result.code, result.stderr).toBe(1);
    expect(findings(result.stdout)).toEqual(['7 impostor-commit', '7 version-comment-drift']);
    expectOnlyGhesPaths();
    expect(dotcom.requests.total).toBe(0);
  });

  it('takes the server from --api-url on a laptop (GraphQL derived: /api/graphql)', async () => {
    workflow(`actions/checkout@${impostor} # v1`);
    const result = await slipway(
      ['pin-check', '--online', '--format', 'json', '--api-url', `${origin}/api/v3`],
      work,
      { HOME: home, GH_TOKEN: TOKEN },
    );
    expect(result.code, result.stderr).toBe(1);
    expect(findings(result.stdout)).toEqual(['6 impostor-commit', '6 version-comment-drift']);
    // refs and reachability, then the nested-action read of action.yml at the pinned commit
    expect(ghes.requests.records.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual([
      '/api/graphql',
      '/api/graphql',
      '/api/graphql',
    ]);
    expectOnlyGhesPaths();
  });

  it('--api-url wins over GITHUB_API_URL and GITHUB_GRAPHQL_URL of another server', async () => {
    workflow(`actions/checkout@${v1} # v1`);
    const result = await slipway(['pin-check', '--online', '--api-url', `${origin}/api/v3`], work, {
      HOME: home,
      GITHUB_TOKEN: TOKEN,
      ...dotcom.env,
    });
    expect(result).toEqual({ code: 0, stdout: 'No findings in 1 file.\n', stderr: '' });
    expect(dotcom.requests.total).toBe(0);
    expectOnlyGhesPaths();
  });

  it('keeps lookups of each server in its own cache file: github.com answers never apply to GHES', async () => {
    workflow(`actions/checkout@${v1} # v1`);
    const cacheDir = join(home, 'cache');
    const elsewhere = await slipway(
      ['pin-check', '--online', '--format', 'json', '--cache-dir', cacheDir],
      work,
      {
        HOME: home,
        GITHUB_TOKEN: TOKEN,
        ...dotcom.env,
      },
    );
    expect(findings(elsewhere.stdout)).toEqual(['6 ref-not-found']);
    const onGhes = await slipway(
      ['pin-check', '--online', '--format', 'json', '--cache-dir', cacheDir],
      work,
      {
        HOME: home,
        GITHUB_TOKEN: TOKEN,
        ...ghes.env,
      },
    );
    expect(onGhes.code, onGhes.stderr).toBe(0);
    expect(findings(onGhes.stdout)).toEqual([]);
    expect(readdirSync(cacheDir).filter((f) => f.startsWith('pin-check-refs')).length).toBe(2);
    // and the second run on GHES is served from its own cache
    ghes.requests.reset();
    const again = await slipway(
      ['pin-check', '--online', '--cache-dir', cacheDir, '--api-url', `${origin}/api/v3`],
      work,
      { HOME: home, GITHUB_TOKEN: TOKEN },
    );
    expect(again.code).toBe(0);
    expect(ghes.requests.total).toBe(0);
  });

  it('refuses an --api-url that is not an http(s) URL, before any request', async () => {
    workflow(`actions/checkout@${v1} # v1`);
    const result = await slipway(['pin-check', '--online', '--api-url', 'ghes.example.com'], work, {
      HOME: home,
      GITHUB_TOKEN: TOKEN,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "--api-url must be an http(s) URL such as https://github.example.com/api/v3, not 'ghes.example.com'",
    );
    expect(ghes.requests.total + dotcom.requests.total).toBe(0);
  });
});

describe('slipway bump with GHES variables', () => {
  it('edits the local checkout and contacts no server (bump has no API mode)', async () => {
    const fixture = join(repoRoot, 'test/fixtures/gitops/ops-repo');
    cpSync(fixture, work, { recursive: true });
    const file = 'apps/web/overlays/dev/kustomization.yaml';
    const result = await slipway(['bump', '--file', file, '--image', 'web=*:v9', '--write'], work, {
      HOME: home,
      GITHUB_TOKEN: TOKEN,
      ...ghes.env,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(work, file), 'utf8')).toBe(
      readFileSync(join(fixture, file), 'utf8').replace('newTag: "3f2a9c1"', 'newTag: "v9"'),
    );
    expect(ghes.requests.total).toBe(0);
  });
});
