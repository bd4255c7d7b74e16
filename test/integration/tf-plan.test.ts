/**
 * tf-plan end to end through its committed bundle (dist/tf-plan) in the runner harness:
 * the real tofu, installed from the release-asset double in OpenTofu's archive layout,
 * plans a root module with a sensitive variable; the comment goes to the GitHub double.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { getOctokit } from '@actions/github';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../harness/run-action.ts';
import { startGitHubDouble, type GitHubDouble } from '../doubles/github/index.ts';
import { issueComments } from '../doubles/github/routes/issue-comments.ts';
import type { HostedRepo } from '../doubles/github/repo-store.ts';
import { startReleaseServer, type ReleaseServer } from '../doubles/release-assets/release-server.ts';
import { realTool } from '../real-tools.ts';
import { packTofuRelease } from '../../packages/terraform/src/install/tofu-release.fixture.ts';
import { planCommentMarker } from '@slipway/terraform/render';

const actionDir = resolve(import.meta.dirname, '../../actions/tf-plan');
const DB_PASSWORD = 'pw-Staple-Battery-77';
const TOKEN = 'ghs_fakeInstallationToken0123456789ABCD';
const BACKEND_SECRET = 'backend-secret-path-x9';
const TICKET = 'CASE-424242';

let releases: ReleaseServer;
let gh: GitHubDouble;
let repo: HostedRepo;
let root: string;
let workspace: string;
let env: (extra?: Record<string, string>) => Record<string, string>;

const MODULE_V1 = `
terraform {
  backend "local" {}
}
variable "db_password" {
  type      = string
  sensitive = true
}
resource "terraform_data" "db" { input = { password = var.db_password, user = "app" } }
resource "terraform_data" "ticket" { input = "${TICKET}" }
variable "note" {
  type    = string
  default = ""
}
# a plain variable whose value, from a var file, is a secret the job knows (here: the token input)
resource "terraform_data" "note" { input = var.note }
resource "terraform_data" "old" { input = "old" }
output "conn" {
  value     = "postgres://app:\${var.db_password}@db"
  sensitive = true
}
`;

beforeAll(async () => {
  const tofu = realTool('tofu');
  const release = packTofuRelease(tofu.path, tofu.version.replace(/^v/, ''));
  releases = await startReleaseServer();
  releases.add(release.files);
  gh = await startGitHubDouble();
  const builder = await gh.repos.create('octo/infra');
  await builder.commit({ files: { 'README.md': 'infra\n' } });
  await builder.commit({ branch: 'change', files: { 'README.md': 'infra 2\n' } });
  await getOctokit('t', { baseUrl: gh.url }).rest.pulls.create({
    owner: 'octo',
    repo: 'infra',
    head: 'change',
    base: 'main',
    title: 'change',
  });
  repo = builder.repo;
  root = mkdtempSync(join(tmpdir(), 'tf-plan-e2e-'));
  workspace = join(root, 'ws');
  const lockPath = join(root, 'tf-tools.lock.json');
  writeFileSync(lockPath, JSON.stringify(release.lock));
  const eventPath = join(root, 'event.json');
  writeFileSync(eventPath, JSON.stringify({ pull_request: { number: 1 } }));
  let job = 0;
  env = (extra = {}) => ({
    ...gh.env,
    SLIPWAY_RELEASES_URL: releases.url,
    SLIPWAY_TF_TOOLS_LOCK: lockPath,
    SLIPWAY_CACHE_DIR: join(root, 'actions-cache'),
    RUNNER_TOOL_CACHE: join(root, `tool-cache-${++job}`),
    GITHUB_REPOSITORY: 'octo/infra',
    GITHUB_RUN_ID: '4242',
    GITHUB_EVENT_PATH: eventPath,
    TF_VAR_db_password: DB_PASSWORD,
    ...extra,
  });
  writeModule(MODULE_V1);
}, 120_000);
afterAll(async () => {
  await releases.close();
  await gh.close();
  rmSync(root, { recursive: true, force: true });
});

function writeModule(text: string) {
  const dir = join(workspace, 'infra', 'app');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.tf'), text);
  writeFileSync(join(dir, 'ci.tfvars'), `note = "${TOKEN}"\n`);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const inputs = (extra: Record<string, string> = {}) => ({
  'working-directory': 'infra/app',
  'github-token': TOKEN,
  'backend-config': `path=${BACKEND_SECRET}.tfstate`,
  'var-files': 'ci.tfvars',
  redact: 'CASE-\\d+',
  ...extra,
});

describe('tf-plan (committed bundle, real tofu, GitHub double)', () => {
  it('plans, comments once and edits that comment on the next run; no secret reaches the comment, summary or written files', async () => {
    const first = await runAction({ actionDir, workspace, inputs: inputs(), env: env() });
    expect(first.exitCode, first.log).toBe(0);
    expect(first.outputs).toMatchObject({
      exitcode: '2',
      'has-changes': 'true',
      add: '4',
      change: '0',
      destroy: '0',
      replace: '0',
    });
    expect(first.outputs['plan-digest']).toMatch(/^[0-9a-f]{64}$/);
    expect(first.outputs['plan-file']).toBe(
      join(first.runnerTemp, 'slipway-tf-plan', 'infra%2Fapp@default', 'tfplan'),
    );
    const marker = planCommentMarker('infra/app', 'default');
    const plans = () => issueComments(repo).filter((c) => c.body.startsWith(marker));
    expect(plans()).toHaveLength(1);
    expect(plans()[0]!.body).toContain('**Plan: 4 to add, 0 to change, 0 to destroy**');
    expect(first.outputs['comment-url']).toContain(`#issuecomment-${plans()[0]!.id}`);
    expect(first.summary).toContain('+ terraform_data.db');
    // the token from the var file and the ticket matched by `redact` are replaced, not dropped
    expect(first.summary).toMatch(
      /\+ terraform_data\.note\n\+ {5}id = \(known after apply\)\n\+ {5}input = "\*\*\*"/,
    );
    expect(first.summary).toMatch(
      /\+ terraform_data\.ticket\n\+ {5}id = \(known after apply\)\n\+ {5}input = "\*\*\*"/,
    );

    // second run: one resource destroyed, one replaced: the same comment is edited
    execFileSync(
      realTool('tofu').path,
      ['apply', '-auto-approve', '-input=false', first.outputs['plan-file']!],
      {
        cwd: join(workspace, 'infra', 'app'),
        stdio: 'pipe',
      },
    );
    writeModule(
      MODULE_V1.replace('resource "terraform_data" "old" { input = "old" }', '').replace(
        'user = "app"',
        'user = "app2"',
      ),
    );
    gh.requests.reset();
    const second = await runAction({ actionDir, workspace, inputs: inputs(), env: env() });
    expect(second.exitCode, second.log).toBe(0);
    expect(second.outputs).toMatchObject({
      exitcode: '2',
      add: '0',
      change: '1',
      destroy: '1',
      replace: '0',
    });
    expect(gh.requests.count('POST /repos/{owner}/{repo}/issues/{issue_number}/comments')).toBe(0);
    expect(gh.requests.count('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}')).toBe(1);
    expect(plans()).toHaveLength(1);
    expect(plans()[0]!.body).toContain('- terraform_data.old');

    // nothing leaks: every comment, both summaries, every file the action wrote but the binary plan
    const written = [first, second].flatMap((r) => filesUnder(join(r.runnerTemp, 'slipway-tf-plan')));
    expect(written.some((f) => f.endsWith('tfplan.redacted.json'))).toBe(true);
    const texts = [
      ...issueComments(repo).map((c) => c.body),
      first.summary,
      second.summary,
      ...written.filter((f) => !f.endsWith('/tfplan')).map((f) => readFileSync(f, 'utf8')),
    ];
    for (const text of texts)
      for (const secret of [DB_PASSWORD, TOKEN, BACKEND_SECRET, TICKET]) expect(text).not.toContain(secret);
    for (const secret of [DB_PASSWORD, TOKEN, `${BACKEND_SECRET}.tfstate`])
      expect(first.masks).toContain(secret);
  });

  it('an error plan: exit code 1 output, the step fails, the comment says so', async () => {
    writeModule(
      'terraform {\n  backend "local" {}\n}\nresource "terraform_data" "x" { input = var.missing }\n',
    );
    const result = await runAction({
      actionDir,
      workspace,
      inputs: inputs({ workspace: 'broken' }),
      env: env(),
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({
      exitcode: '1',
      'has-changes': 'false',
      'plan-file': '',
      'plan-json': '',
    });
    expect(result.log).toContain('The plan of infra/app (workspace broken) failed (exit code 1)');
    const comment = issueComments(repo).find((c) =>
      c.body.startsWith(planCommentMarker('infra/app', 'broken')),
    );
    expect(comment?.body).toContain('**Plan failed** · exit code 1');
    expect(comment?.body).toMatch(
      /plan failed \(exit code 1\):\n[\s\S]*Reference to undeclared input variable/,
    );
  });

  it.each([
    [{ tool: 'pulumi' }, "Input 'tool' has the value 'pulumi'"],
    [{ version: 'latest' }, "Input 'version' has the value 'latest'"],
    [{ 'working-directory': 'nope' }, "Input 'working-directory' names nope"],
    [{ redact: 'ok\n(unclosed' }, "Input 'redact' has the line '(unclosed'"],
    [{ 'var-files': 'missing.tfvars' }, "Input 'var-files' names missing.tfvars"],
    [{ workspace: '../x' }, "Input 'workspace' has the value '../x'"],
  ])('bad input %j fails before any process or network call', async (bad, message) => {
    releases.resetCounters();
    gh.requests.reset();
    const result = await runAction({ actionDir, workspace, inputs: inputs(bad), env: env() });
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(message);
    expect(releases.requests).toEqual([]);
    expect(gh.requests.total).toBe(0);
    expect(result.log).not.toContain('[command]');
  });
});
