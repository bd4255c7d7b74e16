/**
 * tf-control through its committed bundle (dist/tf-control) in the
 * runner harness against the GitHub double: `route` maps a pull request's changed files to root
 * modules with the HCL module scanner running from the bundle (a change in a local module plans the
 * root that calls it; a file that does not parse is a warning naming file:line); `lock` takes the
 * directory's lock and posts a pending status, and fails for a second pull request, naming the
 * holder, with a failure status; bad inputs fail before any request.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction, type ActionRunResult } from '../harness/run-action.ts';
import { startGitHubDouble, type GitHubDouble } from '../doubles/github/index.ts';
import type { RepoBuilder } from '../doubles/github/repo-builder.ts';

const action = resolve(import.meta.dirname, '../../actions/tf-control');
const TOKEN = 'ghs_tfControlBundleToken0123456789ABCD';

let gh: GitHubDouble;
let builder: RepoBuilder;
let root: string;
let head: string;
const runs: ActionRunResult[] = [];

beforeAll(async () => {
  gh = await startGitHubDouble();
  builder = await gh.repos.create('octo/platform');
  await builder.commit({
    files: {
      'infra/prod/main.tf': 'module "net" {\n  source = "../../modules/net"\n}\n',
      'infra/dev/main.tf': 'resource "terraform_data" "x" {}\n',
      'modules/net/main.tf': 'variable "cidr" {\n  default = "10.0.0.0/16"\n}\n',
      'services/api/main.tf': 'resource "terraform_data" "api" {}\n',
    },
  });
  head = await builder.commit({
    branch: 'net',
    files: {
      'modules/net/main.tf': 'variable "cidr" {\n  default = "10.1.0.0/16"\n}\n',
      'services/api/main.tf': 'resource "terraform_data" "api" {\n  input = \n}\n',
    },
  });
  await getOctokit(TOKEN, { baseUrl: gh.url }).rest.pulls.create({
    owner: 'octo',
    repo: 'platform',
    head: 'net',
    base: 'main',
    title: 'net',
  });
  root = mkdtempSync(join(tmpdir(), 'tf-control-'));
}, 60_000);

afterAll(async () => {
  await gh?.close();
  for (const r of runs) rmSync(dirname(r.runnerTemp), { recursive: true, force: true });
  if (root) rmSync(root, { recursive: true, force: true });
});

async function control(
  inputs: Record<string, string>,
  event: { name: string; payload: unknown } = { name: 'pull_request', payload: {} },
): Promise<ActionRunResult> {
  const eventPath = join(root, `event-${runs.length}.json`);
  writeFileSync(eventPath, JSON.stringify(event.payload));
  const result = await runAction({
    actionDir: action,
    workspace: root,
    inputs: { 'github-token': TOKEN, ...inputs },
    env: {
      ...gh.env,
      GITHUB_REPOSITORY: 'octo/platform',
      GITHUB_RUN_ID: String(300 + runs.length),
      GITHUB_ACTOR: 'alice',
      GITHUB_EVENT_NAME: event.name,
      GITHUB_EVENT_PATH: eventPath,
    },
  });
  runs.push(result);
  return result;
}

const opened = () => ({
  name: 'pull_request',
  payload: { action: 'opened', pull_request: { number: 1, head: { sha: head } } },
});

describe('tf-control (committed bundle)', () => {
  it('route: plans the roots a change reaches through local modules, parsing HCL inside the bundle', async () => {
    const result = await control({ command: 'route' }, opened());
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs).toMatchObject({ action: 'plan', pr: '1', sha: head });
    const matrix = JSON.parse(result.outputs.matrix!) as { include: { dir: string; artifact: string }[] };
    // infra/prod calls ../../modules/net; infra/dev is untouched; services/api changed itself
    expect(matrix.include.map((e) => [e.dir, e.artifact])).toEqual([
      ['infra/prod', 'tfplan-infra%2Fprod@default'],
      ['services/api', 'tfplan-services%2Fapi@default'],
    ]);
    expect(result.outputs.count).toBe('2');
    // the broken file is named with its position, by the scanner inside the bundle
    expect(result.log).toContain(
      '::warning::Cannot read the modules of services/api: services/api/main.tf:2,11: an expression is required after "="',
    );
  }, 60_000);

  it('lock: the first pull request takes it (pending status); a second one fails naming the holder', async () => {
    const first = await control({ command: 'lock', directory: 'infra/prod', pr: '1', sha: head });
    expect(first.exitCode, first.log).toBe(0);
    expect(first.outputs.message).toBe('');
    const second = await control({ command: 'lock', directory: './infra/prod/', pr: '2', sha: head });
    expect(second.exitCode).toBe(1);
    expect(second.outputs.message).toMatch(
      /^infra\/prod \(workspace default\) is locked by PR #1 \(run 301\)/,
    );
    expect(second.log).toContain('::error::infra/prod (workspace default) is locked by PR #1');
    const statuses = (
      await getOctokit(TOKEN, { baseUrl: gh.url }).rest.repos.listCommitStatusesForRef({
        owner: 'octo',
        repo: 'platform',
        ref: head,
      })
    ).data.map((s) => [s.context, s.state, s.description]);
    expect(statuses).toEqual([
      [
        'slipway/terraform plan: infra/prod',
        'failure',
        'Locked by PR #1 (run 301); merge or close it, or /unlock infra/prod.',
      ],
      ['slipway/terraform plan: infra/prod', 'pending', 'Planning…'],
    ]);
  }, 60_000);

  it('refuses bad inputs before any request', async () => {
    const before = gh.requests.total;
    const noSha = await control({ command: 'lock', directory: 'infra/prod', pr: '1' });
    expect(noSha.exitCode).toBe(1);
    expect(noSha.log).toContain(
      "Input 'sha' is required with command lock. Expected a full 40-character commit SHA.",
    );
    const escape = await control({ command: 'status', directory: '../x', sha: head });
    expect(escape.exitCode).toBe(1);
    expect(escape.log).toMatch(/Input 'directory'.*leaves the repository/);
    const unknown = await control({ command: 'deploy' });
    expect(unknown.exitCode).toBe(1);
    expect(unknown.log).toMatch(/Input 'command'/);
    expect(gh.requests.total).toBe(before);
    const unmasked = (r: ActionRunResult) => r.log.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    for (const r of [noSha, escape, unknown]) expect(unmasked(r).join('\n')).not.toContain(TOKEN);
  }, 60_000);
  it('vars: exports the tf-vars lines as TF_VAR_*, masked; a bad line is named by number, never printed', async () => {
    const before = gh.requests.total;
    const secret = 'pa55-w0rd=with=equals';
    const ok = await control({
      command: 'vars',
      'tf-vars': `# comment\ndb_password=${secret}\nregion=eu-west-1\n`,
    });
    expect(ok.exitCode).toBe(0);
    expect(ok.env).toMatchObject({ TF_VAR_db_password: secret, TF_VAR_region: 'eu-west-1' });
    expect(ok.masks).toEqual(expect.arrayContaining([secret, 'eu-west-1']));
    expect(ok.log).toContain('Exported (masked): TF_VAR_db_password, TF_VAR_region.');
    const bad = await control({
      command: 'vars',
      'tf-vars': `db_password=${secret}\nexport TOKEN=${secret}x\n`,
    });
    expect(bad.exitCode).toBe(1);
    expect(bad.log).toContain('tf-vars line 2 is not NAME=value');
    expect(bad.env).toEqual({});
    expect(gh.requests.total).toBe(before);
    const unmasked = (r: ActionRunResult) => r.log.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    for (const r of [ok, bad]) expect(unmasked(r).join('\n')).not.toContain(secret);
  }, 60_000);
});
