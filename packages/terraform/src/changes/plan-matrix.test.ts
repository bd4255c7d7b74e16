/**
 * Pull request -> root modules -> matrix, on the GitHub double (real git
 * repositories; files, tree and blobs through the REST and GraphQL APIs), with
 * real Terraform files read by the real HCL parser.
 */
import { getOctokit } from '@actions/github';
import type { GitHubClient } from '@slipway/github';
import { clientOnDouble } from '../../../../test/doubles/github/client.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startGitHubDouble,
  type GitHubDouble,
  type RepoBuilder,
} from '../../../../test/doubles/github/index.ts';
import { emptyCloudLogin } from './cloud-login.ts';
import { matrixForAllRoots, matrixForPullRequest } from './pull-request-matrix.ts';

let gh: GitHubDouble;
let client: GitHubClient;
let octokit: ReturnType<typeof getOctokit>;

const moduleCall = (name: string, source: string) => `module "${name}" {\n  source = "${source}"\n}\n`;
const data = (name: string) => `resource "terraform_data" "${name}" {\n  input = "${name}"\n}\n`;

const FILES: Record<string, string> = {
  'live/prod/main.tf': moduleCall('net', '../../modules/network') + data('prod'),
  'live/prod/prod.tfvars': 'size = 3\n',
  'live/staging/main.tf': `${moduleCall('net', '../../modules/network')}`,
  'live/dev/main.tf': data('dev'),
  'live/dev/extra.tf': data('extra'),
  'live/old/main.tf': data('old'),
  'modules/network/main.tf': `${moduleCall('base', '../base')}variable "cidr" {\n  default = "10.0.0.0/16"\n}\n`,
  'modules/base/main.tf': 'output "id" {\n  value = "base"\n}\n',
  'README.md': '# infra\n',
};

async function openPullRequest(repo: RepoBuilder, branch: string, headSha: string) {
  const pr = await octokit.rest.pulls.create({
    ...coordinates(repo),
    head: branch,
    base: 'main',
    title: branch,
  });
  return { number: pr.data.number, headSha };
}

async function pullRequest(repo: RepoBuilder, branch: string, files: Record<string, string | null>) {
  return openPullRequest(repo, branch, await repo.commit({ branch, files }));
}

/** A branch adding `count` files in one commit, written by one `git fast-import` (a process per file is too slow). */
async function bigPullRequest(repo: RepoBuilder, branch: string, count: number) {
  const lines = [
    `commit refs/heads/${branch}`,
    'committer Test <test@example.com> 1700000000 +0000',
    'data 4',
    'many',
  ];
  lines.push('from refs/heads/main');
  for (let i = 0; i < count; i += 1)
    lines.push(`M 100644 inline docs/page-${i}.txt`, `data ${String(i).length}`, String(i));
  await repo.repo.git.run(['fast-import', '--quiet'], `${lines.join('\n')}\n`);
  return openPullRequest(repo, branch, (await repo.resolve(branch))!);
}

function coordinates(repo: RepoBuilder) {
  const [owner = '', name = ''] = repo.fullName.split('/');
  return { owner, repo: name };
}

const dirs = (m: { matrix: { include: { dir: string; workspace: string }[] } }) =>
  m.matrix.include.map((e) => `${e.dir}:${e.workspace}`);

beforeAll(async () => {
  gh = await startGitHubDouble();
  octokit = getOctokit('t', { baseUrl: gh.url });
  client = clientOnDouble(gh);
});
afterAll(async () => {
  await gh.close();
});

describe('roots found by themselves (no settings file)', () => {
  let repo: RepoBuilder;
  beforeAll(async () => {
    repo = await gh.repos.create('infra/auto');
    await repo.commit({ files: FILES });
  });

  it('a change in a shared module plans every root that uses it, also through another module', async () => {
    const pr = await pullRequest(repo, 'base', {
      'modules/base/main.tf': 'output "id" {\n  value = "v2"\n}\n',
    });
    const result = await matrixForPullRequest(client, coordinates(repo), pr);
    expect(dirs(result)).toEqual(['live/prod:default', 'live/staging:default']);
    expect(result.matrix.include[0]).toEqual({
      dir: 'live/prod',
      workspace: 'default',
      cloud: '',
      ...emptyCloudLogin(),
      environment: '',
      'backend-config': '',
      'var-files': '',
      reason: 'module modules/base (modules/base/main.tf)',
    });
    expect(result.warnings).toEqual([]);
  });

  it('a renamed file plans the root it left and the root it joined', async () => {
    const pr = await pullRequest(repo, 'rename', {
      'live/dev/extra.tf': null,
      'live/staging/extra.tf': data('extra'),
    });
    const result = await matrixForPullRequest(client, coordinates(repo), pr);
    expect(dirs(result)).toEqual(['live/dev:default', 'live/staging:default']);
    expect(result.matrix.include.map((e) => e.reason)).toEqual([
      'live/dev/extra.tf',
      'live/staging/extra.tf',
    ]);
  });

  it('a deleted root is reported with a warning and not planned', async () => {
    const pr = await pullRequest(repo, 'delete-old', { 'live/old/main.tf': null });
    const result = await matrixForPullRequest(client, coordinates(repo), pr);
    expect(result.matrix.include).toEqual([]);
    expect(result.deleted).toEqual([{ dir: 'live/old', workspace: 'default' }]);
    expect(result.warnings.join('\n')).toMatch(/live\/old no longer has Terraform files: it is not planned/);
  });

  it('documentation changes plan nothing', async () => {
    const pr = await pullRequest(repo, 'docs', { 'README.md': '# v2\n', 'live/dev/README.md': 'dev\n' });
    expect((await matrixForPullRequest(client, coordinates(repo), pr)).matrix.include).toEqual([]);
  });

  it('past GitHub’s 3000-file list every root is planned, with a warning', async () => {
    const pr = await bigPullRequest(repo, 'huge', 3001);
    gh.requests.reset();
    const result = await matrixForPullRequest(client, coordinates(repo), pr);
    expect(dirs(result)).toEqual([
      'live/dev:default',
      'live/old:default',
      'live/prod:default',
      'live/staging:default',
    ]);
    expect(result.matrix.include.every((e) => e.reason === 'file list truncated')).toBe(true);
    expect(result.warnings.join('\n')).toContain(
      'changes 3000 or more files; GitHub lists at most that many',
    );
    expect(gh.requests.count('GET /repos/{owner}/{repo}/pulls/{pull_number}/files')).toBe(30);
  });

  it('the scheduled mode plans every root, reading the tree once and the files in one GraphQL request', async () => {
    const main = await repo.resolve('main');
    gh.requests.reset();
    const result = await matrixForAllRoots(client, coordinates(repo), main!);
    expect(dirs(result)).toEqual([
      'live/dev:default',
      'live/old:default',
      'live/prod:default',
      'live/staging:default',
    ]);
    expect(gh.requests.count('GET /repos/{owner}/{repo}/git/trees/{tree_sha}')).toBe(1);
    expect(gh.requests.count('POST /graphql')).toBe(1); // 8 .tf files, one batch; modules are known by then
  });
});

describe('roots and settings from .github/slipway-tf.yml', () => {
  let repo: RepoBuilder;
  const SETTINGS = [
    'defaults:',
    '  role: arn:aws:iam::111122223333:role/plan',
    'projects:',
    '  - dir: live/prod',
    '    environment: production',
    '    var-files: [../shared/common.tfvars, prod.tfvars]',
    '    backend-config: [key=prod.tfstate, ../backend.hcl]',
    '  - dirs: "live/*"',
    '  - dir: live/prod',
    '    workspace: canary',
    '',
  ].join('\n');

  beforeAll(async () => {
    repo = await gh.repos.create('infra/configured');
    await repo.commit({
      files: {
        ...FILES,
        '.github/slipway-tf.yml': SETTINGS,
        'live/shared/common.tfvars': 'x = 1\n',
        'live/backend.hcl': 'b = 1\n',
      },
    });
  });

  it('a var file outside the directory plans the roots that read it, with their settings', async () => {
    const pr = await pullRequest(repo, 'vars', { 'live/shared/common.tfvars': 'x = 2\n' });
    const result = await matrixForPullRequest(client, coordinates(repo), pr);
    expect(result.matrix.include).toEqual([
      {
        dir: 'live/prod',
        workspace: 'default',
        cloud: 'aws',
        ...emptyCloudLogin(),
        role: 'arn:aws:iam::111122223333:role/plan',
        environment: 'production',
        'backend-config': 'key=prod.tfstate\n../backend.hcl',
        'var-files': '../shared/common.tfvars\nprod.tfvars',
        reason: 'live/shared/common.tfvars',
      },
    ]);
  });

  it('a module change plans each configured workspace of the roots that use it', async () => {
    const pr = await pullRequest(repo, 'net', {
      'modules/network/vars.tf': 'variable "x" {\n  default = 1\n}\n',
    });
    const result = await matrixForPullRequest(client, coordinates(repo), pr);
    expect(dirs(result)).toEqual(['live/prod:canary', 'live/prod:default', 'live/staging:default']);
    expect(result.matrix.include.find((e) => e.workspace === 'canary')?.environment).toBe('');
  });

  it('changing the settings file plans every root', async () => {
    const pr = await pullRequest(repo, 'settings', { '.github/slipway-tf.yml': `${SETTINGS}# touched\n` });
    const result = await matrixForPullRequest(client, coordinates(repo), pr);
    expect(dirs(result)).toEqual([
      'live/dev:default',
      'live/old:default',
      'live/prod:canary',
      'live/prod:default',
      'live/staging:default',
    ]);
  });

  it('a configured directory without Terraform files is an error naming file and line', async () => {
    const pr = await pullRequest(repo, 'typo', {
      '.github/slipway-tf.yml': 'projects:\n  - dir: live/prod\n  - dir: live/prdo\n',
    });
    await expect(matrixForPullRequest(client, coordinates(repo), pr)).rejects.toThrow(
      /^\.github\/slipway-tf\.yml:3: live\/prdo has no Terraform files at [0-9a-f]{12}/,
    );
  });

  it('a root a dirs glob matched, deleted by the pull request, is reported', async () => {
    const pr = await pullRequest(repo, 'drop-staging', { 'live/staging/main.tf': null });
    const result = await matrixForPullRequest(client, coordinates(repo), pr);
    expect(result.deleted).toEqual([{ dir: 'live/staging', workspace: 'default' }]);
    expect(dirs(result)).toEqual([]);
  });

  it('a configured root deleted by the pull request is reported per workspace', async () => {
    const pr = await pullRequest(repo, 'drop-prod', { 'live/prod/main.tf': null });
    const result = await matrixForPullRequest(client, coordinates(repo), pr);
    expect(result.deleted).toEqual([
      { dir: 'live/prod', workspace: 'default' },
      { dir: 'live/prod', workspace: 'canary' },
    ]);
    expect(dirs(result)).toEqual([]);
  });
});
