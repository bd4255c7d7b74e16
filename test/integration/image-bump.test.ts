/**
 * image-bump through the committed bundle (test/harness runAction) against the
 * GitHub API double: real git repositories behind REST and GraphQL.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findLeaks, runAction } from '../harness/run-action.ts';
import { node24Path } from '../harness/node-versions.ts';
import { startGitHubDouble, type GitHubDouble, type RepoBuilder } from '../doubles/github/index.ts';
import { writeTreeWithChanges } from '../doubles/github/git/tree-writer.ts';

const root = resolve(import.meta.dirname, '../..');
const actionDir = join(root, 'actions/image-bump');
const fixture = join(root, 'test/fixtures/gitops/ops-repo');
const DEV = 'apps/web/overlays/dev/kustomization.yaml';
const PROD = 'apps/web/overlays/prod/kustomization.yaml';
const VALUES = 'charts/api/values.yaml';
const TOKEN = 'ghs_imagebumptoken0000000000000000000001';
const D1 = `sha256:${'1'.repeat(64)}`;
const original = (path: string) => readFileSync(join(fixture, path), 'utf8');

let gh: GitHubDouble;
let ops: RepoBuilder;
let baseOid: string;

beforeAll(async () => {
  gh = await startGitHubDouble();
  gh.tokens.set(TOKEN, {
    permissions: { contents: 'write', pull_requests: 'write', issues: 'write', metadata: 'read' },
  });
});
afterAll(async () => {
  await gh.close();
});
beforeEach(async () => {
  gh.faults.clear();
  ops = await gh.repos.create(`acme/ops-${Math.random().toString(36).slice(2, 8)}`);
  baseOid = await ops.commit({
    files: Object.fromEntries([DEV, PROD, VALUES].map((p) => [p, original(p)])),
    message: 'init',
  });
  gh.requests.reset();
});

function bump(inputs: Record<string, string>, env: Record<string, string> = {}, node?: string) {
  return runAction({
    actionDir,
    ...(node ? { node } : {}),
    inputs: { repository: ops.fullName, token: TOKEN, ...inputs },
    env: { ...gh.env, GITHUB_REPOSITORY: 'acme/web', ...env },
  });
}

const pulls = () => ops.repo.pulls.filter((p) => p.state === 'open');

describe('image-bump action', () => {
  it('creates the branch, one verified commit and one pull request', async () => {
    const result = await bump({
      file: `${DEV}\n${PROD}`,
      image: `web=ghcr.io/acme/web:9b8c7d6@${D1}`,
      labels: 'deploy, prod',
      reviewers: 'octocat',
      'team-reviewers': 'sre',
      assignees: 'hubot',
      'auto-merge': 'squash',
    });
    expect(result.exitCode, result.log).toBe(0);
    const branchHead = await ops.resolve('refs/heads/slipway/bump/web');
    expect(result.outputs).toEqual({
      changed: 'true',
      'commit-sha': branchHead,
      'pull-request-number': '1',
      'pull-request-url': `${gh.serverUrl}/${ops.fullName}/pull/1`,
      files: JSON.stringify([DEV, PROD]),
      branch: 'slipway/bump/web',
    });
    expect(await ops.readFile(branchHead!, DEV)).toBe(
      original(DEV).replace(
        '    newTag: "3f2a9c1" # {"$imagepolicy": "flux-system:web:tag"}\n',
        `    newTag: "9b8c7d6" # {"$imagepolicy": "flux-system:web:tag"}\n    digest: ${D1}\n`,
      ),
    );
    expect(await ops.readFile(branchHead!, PROD)).toBe(
      original(PROD).replace("newTag: '1.4.1'}", `newTag: '9b8c7d6', digest: ${D1}}`),
    );
    expect(await ops.resolve(`${branchHead}^`)).toBe(baseOid);
    expect(await ops.resolve('refs/heads/main')).toBe(baseOid);
    const [pr] = pulls();
    expect(pr).toMatchObject({
      number: 1,
      title: 'Bump web to 9b8c7d6',
      base: 'main',
      labels: ['deploy', 'prod'],
      assignees: ['hubot'],
      requestedReviewers: ['octocat'],
      requestedTeams: ['sre'],
      autoMerge: { mergeMethod: 'SQUASH' },
      draft: false,
    });
    expect(pr!.body).toContain(
      '| apps/web/overlays/dev/kustomization.yaml:12 | images[web].newTag | `3f2a9c1` | `9b8c7d6` |',
    );
    expect(pr!.body).toContain(`Source run: ${gh.serverUrl}/acme/web/actions/runs/1000001`);
    expect(gh.requests.counts()).toMatchObject({
      'graphql:repository': 1,
      'POST /repos/{owner}/{repo}/git/refs': 1,
      'graphql:createCommitOnBranch': 1,
      'POST /repos/{owner}/{repo}/pulls': 1,
      'graphql:enablePullRequestAutoMerge': 1,
    });
    expect(result.summary).toContain('+    newTag: "9b8c7d6" # {"$imagepolicy": "flux-system:web:tag"}');
    expect(findLeaks(result, [TOKEN])).toEqual([]);
  });

  it('updates the open pull request with a new commit on top, in 3 requests', async () => {
    const first = await bump({
      file: DEV,
      image: 'web=ghcr.io/acme/web:v2',
      labels: 'deploy',
      draft: 'true',
    });
    expect(first.exitCode, first.log).toBe(0);
    gh.requests.reset();
    const second = await bump({ file: DEV, image: 'web=ghcr.io/acme/web:v3', labels: 'deploy' });
    expect(second.exitCode, second.log).toBe(0);
    expect(second.outputs).toMatchObject({ changed: 'true', 'pull-request-number': '1' });
    expect(gh.requests.total).toBe(3);
    expect(gh.requests.counts()).toMatchObject({
      'graphql:repository': 1,
      'graphql:createCommitOnBranch': 1,
      'PATCH /repos/{owner}/{repo}/pulls/{pull_number}': 1,
    });
    const head = second.outputs['commit-sha']!;
    expect(await ops.resolve(`${head}^`)).toBe(first.outputs['commit-sha']);
    expect(await ops.readFile(head, DEV)).toBe(original(DEV).replace('newTag: "3f2a9c1"', 'newTag: "v3"'));
    expect(pulls()).toHaveLength(1);
    expect(pulls()[0]).toMatchObject({ title: 'Bump web to v3', labels: ['deploy'], draft: true });
    expect(pulls()[0]!.body).toContain('| `3f2a9c1` | `v3` |');
  });

  it('describes every image its branch moves when runs of a matrix share the branch', async () => {
    await bump({ file: DEV, image: 'web=ghcr.io/acme/web:v2', branch: 'release' });
    const second = await bump({
      file: VALUES,
      image: 'registry.example.com/acme/api:2.0.0',
      branch: 'release',
    });
    expect(second.exitCode, second.log).toBe(0);
    const [pr] = pulls();
    expect(pr!.title).toBe('Bump web to v2, registry.example.com/acme/api to 2.0.0');
    expect(pr!.body).toContain(
      '| apps/web/overlays/dev/kustomization.yaml:12 | images[web].newTag | `3f2a9c1` | `v2` |',
    );
    expect(pr!.body).toContain('| charts/api/values.yaml:9 | image.tag | `1.9.0` | `2.0.0` |');
  });

  it('escapes outside text in the pull request body and the job summary: an unclosed <!-- hides nothing', async () => {
    // the old value comes from the ops repository: whoever can commit there controls it
    await ops.commit({ files: { [DEV]: original(DEV).replace('"3f2a9c1"', '"3f2a9c1` <!-- hide"') } });
    const result = await bump({ file: DEV, image: 'web=*:v2' });
    expect(result.exitCode, result.log).toBe(0);
    const row =
      '| apps/web/overlays/dev/kustomization.yaml:12 | images[web].newTag | `` 3f2a9c1` <!-- hide `` | `v2` |';
    const [pr] = pulls();
    expect(pr!.body).toContain(`\n${row}\n`);
    expect(result.summary).toContain(`\n${row}\n`);
    // outside that code span the body's only comment is its own marker, at the end
    const rest = pr!.body!.replace(row, '');
    expect(rest.match(/<!--/g)).toHaveLength(1);
    expect(rest).toMatch(/\n<!-- slipway:image-bump \[[^\n]*\] -->\n$/);
    expect(result.summary.slice(0, result.summary.indexOf('<details>')).replace(row, '')).not.toContain(
      '<!--',
    );
  });

  it('does nothing when the value is already there: no commit, no pull request', async () => {
    const result = await bump({ file: VALUES, path: 'image.tag', value: '1.9.0' });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs).toEqual({
      changed: 'false',
      'commit-sha': '',
      'pull-request-number': '',
      'pull-request-url': '',
      files: '[]',
      branch: 'slipway/bump/image.tag',
    });
    expect(gh.requests.total).toBe(1);
    expect(await ops.resolve('refs/heads/slipway/bump/image.tag')).toBeNull();
    expect(ops.repo.pulls).toEqual([]);
    expect(result.summary).toContain('Every value was already set; nothing was committed.');
  });

  it('re-reads and re-applies when the branch moves under it (STALE_DATA)', async () => {
    await bump({ file: DEV, image: 'web=ghcr.io/acme/web:v2', branch: 'release' });
    const moved = gh.faults.beforeRequest('graphql:createCommitOnBranch', async () => {
      await ops.commit({
        branch: 'release',
        files: { [VALUES]: original(VALUES).replace('replicaCount: 2', 'replicaCount: 5') },
        message: 'someone else',
      });
    });
    gh.requests.reset();
    const result = await bump({ file: PROD, image: 'web=ghcr.io/acme/web:v2', branch: 'release' });
    expect(result.exitCode, result.log).toBe(0);
    expect(moved.hits).toBe(1);
    expect(result.log).toContain('the branch moved during attempt 1');
    expect(gh.requests.count('graphql:createCommitOnBranch')).toBe(2);
    const head = result.outputs['commit-sha']!;
    expect(await ops.readFile(head, VALUES)).toContain('replicaCount: 5');
    expect(await ops.readFile(head, DEV)).toContain('newTag: "v2"');
    expect(await ops.readFile(head, PROD)).toContain("newTag: 'v2'");
    expect(pulls()).toHaveLength(1);
  });

  it('re-reads and re-applies when the Git Data API ref update is not a fast forward', async () => {
    await bump({ file: DEV, image: 'web=ghcr.io/acme/web:v2', branch: 'release', 'commit-api': 'rest' });
    const moved = gh.faults.beforeRequest('PATCH /repos/{owner}/{repo}/git/refs/{ref}', async () => {
      await ops.commit({
        branch: 'release',
        files: { [VALUES]: original(VALUES).replace('replicaCount: 2', 'replicaCount: 5') },
        message: 'someone else',
      });
    });
    gh.requests.reset();
    const result = await bump({
      file: PROD,
      image: 'web=ghcr.io/acme/web:v2',
      branch: 'release',
      'commit-api': 'rest',
    });
    expect(result.exitCode, result.log).toBe(0);
    expect(moved.hits).toBe(1);
    expect(gh.requests.count('PATCH /repos/{owner}/{repo}/git/refs/{ref}')).toBe(2);
    expect(gh.requests.count('graphql:createCommitOnBranch')).toBe(0);
    const head = result.outputs['commit-sha']!;
    expect(await ops.resolve('refs/heads/release')).toBe(head);
    expect(await ops.readFile(head, VALUES)).toContain('replicaCount: 5');
    expect(await ops.readFile(head, DEV)).toContain('newTag: "v2"');
    expect(await ops.readFile(head, PROD)).toContain("newTag: 'v2'");
    expect(pulls()).toHaveLength(1);
  });

  it('starts the branch again from the base when its last pull request was closed', async () => {
    const first = await bump({ file: DEV, image: 'web=*:v2' });
    expect(first.exitCode, first.log).toBe(0);
    ops.repo.pulls[0]!.state = 'closed';
    const main = await ops.commit({
      files: { [VALUES]: original(VALUES).replace('replicaCount: 2', 'replicaCount: 4') },
    });
    gh.requests.reset();
    const second = await bump({ file: DEV, image: 'web=*:v3' });
    expect(second.exitCode, second.log).toBe(0);
    expect(second.log).toContain(
      'slipway/bump/web is left over from a closed pull request; resetting it to main',
    );
    const head = second.outputs['commit-sha']!;
    expect(await ops.resolve(`${head}^`)).toBe(main);
    expect(await ops.readFile(head, DEV)).toBe(original(DEV).replace('newTag: "3f2a9c1"', 'newTag: "v3"'));
    expect(second.outputs['pull-request-number']).toBe('2');
    expect(pulls().map((p) => p.number)).toEqual([2]);
    expect(gh.requests.count('PATCH /repos/{owner}/{repo}/git/refs/{ref}')).toBe(1);
  });

  it('opens the missing pull request when the branch already holds the change', async () => {
    const branchHead = await ops.commit({
      branch: 'slipway/bump/web',
      files: { [DEV]: original(DEV).replace('newTag: "3f2a9c1"', 'newTag: "v5"') },
    });
    const result = await bump({ file: DEV, image: 'web=*:v5' });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs).toMatchObject({ changed: 'false', 'commit-sha': '', 'pull-request-number': '1' });
    expect(await ops.resolve('refs/heads/slipway/bump/web')).toBe(branchHead);
    expect(pulls()).toHaveLength(1);
  });

  it('commits straight to the base branch with direct: true (under node 24, as the runner)', async () => {
    const result = await bump(
      {
        file: VALUES,
        image: `ghcr.io/acme/api:2.0.0@${D1}`,
        direct: 'true',
        create: 'true',
      },
      {},
      node24Path(),
    );
    expect(result.exitCode, result.log).toBe(0);
    const main = await ops.resolve('refs/heads/main');
    expect(result.outputs).toMatchObject({
      changed: 'true',
      'commit-sha': main,
      'pull-request-number': '',
      branch: 'main',
    });
    expect(await ops.readFile(main!, VALUES)).toBe(
      original(VALUES)
        .replace('repository: registry.example.com/acme/api', 'repository: ghcr.io/acme/api')
        .replace('tag: "1.9.0"', 'tag: "2.0.0"')
        .replace('    pullPolicy: IfNotPresent\n', `    pullPolicy: IfNotPresent\n    digest: ${D1}\n`),
    );
    expect(ops.repo.pulls).toEqual([]);
  });

  it('falls back to the Git Data API when createCommitOnBranch does not exist', async () => {
    gh.faults.add({
      route: 'graphql:createCommitOnBranch',
      status: 200,
      body: {
        errors: [
          {
            message: "Field 'createCommitOnBranch' doesn't exist on type 'Mutation'",
            extensions: { code: 'undefinedField', typeName: 'Mutation', fieldName: 'createCommitOnBranch' },
          },
        ],
      },
    });
    const result = await bump({ file: DEV, image: 'web=*:v9' });
    expect(result.exitCode, result.log).toBe(0);
    expect(gh.requests.counts()).toMatchObject({
      'POST /repos/{owner}/{repo}/git/trees': 1,
      'POST /repos/{owner}/{repo}/git/commits': 1,
      'PATCH /repos/{owner}/{repo}/git/refs/{ref}': 1,
    });
    const head = result.outputs['commit-sha']!;
    expect(await ops.resolve('refs/heads/slipway/bump/web')).toBe(head);
    expect(await ops.readFile(head, DEV)).toBe(original(DEV).replace('newTag: "3f2a9c1"', 'newTag: "v9"'));
    expect(await ops.readFile(head, PROD)).toBe(original(PROD));
  });

  it('waits out a secondary rate limit and a 502', async () => {
    gh.faults.secondaryRateLimit('graphql:createCommitOnBranch', { retryAfterSeconds: 1 });
    gh.faults.serverError('POST /repos/{owner}/{repo}/pulls', { status: 502 });
    const result = await bump({ file: DEV, image: 'web=*:v4' });
    expect(result.exitCode, result.log).toBe(0);
    expect(gh.requests.count('graphql:createCommitOnBranch')).toBe(2);
    expect(pulls()).toHaveLength(1);
  });

  it('refuses malformed YAML, naming file and line, and commits nothing', async () => {
    await ops.commit({ files: { [DEV]: 'images:\n  - name: web\n    newTag: [v1\n' } });
    gh.requests.reset();
    const result = await bump({ file: DEV, image: 'web=*:v2' });
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(`::error::${DEV}:4:1: the file is not valid YAML`);
    expect(gh.requests.total).toBe(1);
    expect(await ops.resolve('refs/heads/slipway/bump/web')).toBeNull();
  });

  it('refuses a target that is a symbolic link in the repository', async () => {
    const git = ops.repo.git;
    const link = await git.writeBlob('../../../../etc/passwd');
    const main = (await ops.resolve('refs/heads/main'))!;
    const tree = await writeTreeWithChanges(git, (await git.readCommit(main)).tree, [
      { path: 'apps/evil/kustomization.yaml', oid: link, mode: '120000', type: 'blob' },
    ]);
    const commit = await git.writeCommit({ tree, parents: [main], message: 'symlink' });
    await git.run(['update-ref', 'refs/heads/main', commit]);
    gh.requests.reset();
    const result = await bump({ file: 'apps/evil/kustomization.yaml', image: 'web:v2' });
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(
      `apps/evil/kustomization.yaml is a symbolic link in ${ops.fullName}@main; edit the file it points to instead.`,
    );
    expect(gh.requests.total).toBe(1);
  });

  it('warns, without failing, when auto-merge cannot be enabled', async () => {
    gh.faults.add({
      route: 'graphql:enablePullRequestAutoMerge',
      status: 200,
      body: {
        data: { enablePullRequestAutoMerge: null },
        errors: [
          {
            type: 'UNPROCESSABLE',
            path: ['enablePullRequestAutoMerge'],
            message: 'Pull request Auto merge is not allowed for this repository',
          },
        ],
      },
    });
    const result = await bump({ file: DEV, image: 'web=*:v6', 'auto-merge': 'rebase' });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.annotations).toEqual([
      {
        level: 'warning',
        message:
          'Auto-merge was not enabled on #1: Pull request Auto merge is not allowed for this repository',
      },
    ]);
    expect(result.outputs['pull-request-number']).toBe('1');
  });

  it('names the branch input when the bump branch is the base branch', async () => {
    const result = await bump({ file: DEV, image: 'web=*:v2', branch: 'main' });
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain("::error::Input 'branch': the bump branch 'main' is the base branch.");
    expect(result.log).toContain('Choose another `branch` template, or set `direct: true`');
    expect(ops.repo.pulls).toEqual([]);
  });

  it('names a base branch that does not exist', async () => {
    const result = await bump({ file: DEV, image: 'web=*:v2', base: 'release-2' });
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(
      `::error::Input 'base': the branch 'release-2' does not exist in ${ops.fullName}.`,
    );
    expect(result.log).toContain('Set the `base` input to a branch that exists in the ops repository.');
    expect(gh.requests.total).toBe(1);
  });

  it('validates inputs before any request', async () => {
    const bad = await bump({ file: '../escape/kustomization.yaml', image: 'web:v1' });
    expect(bad.exitCode).toBe(1);
    expect(bad.log).toContain(
      "::error::Input 'file': '../escape/kustomization.yaml' contains `..`. Give a path relative to the repository root",
    );
    const second = await bump({ file: `${DEV}\n../b/kustomization.yaml`, image: 'web:v1' });
    expect(second.log).toContain("::error::Input 'file' (line 2): '../b/kustomization.yaml' contains `..`.");
    const badImage = await bump({ file: DEV, image: 'web=Ghcr.io/acme/web:v1@sha256:12' });
    expect(badImage.log).toContain(
      "::error::Input 'image': 'web=Ghcr.io/acme/web:v1@sha256:12' is not valid: the digest 'sha256:12' is not a digest",
    );
    expect(badImage.log).toContain('Use `name[=newName][:newTag][@digest]`');
    const neitherForm = await bump({ changes: `- {file: ${VALUES}, image: "api=ghcr.io/acme/api:"}` });
    expect(neitherForm.log).toContain(
      "::error::Input 'changes', item 1, `image`: 'api=ghcr.io/acme/api:' is not valid",
    );
    const pathInKustomization = await bump({ file: DEV, path: 'images[0].newTag', value: 'v2' });
    expect(pathInKustomization.log).toContain(
      `::error::Input 'path': cannot set a value in the kustomization ${DEV}; use \`image\` instead.`,
    );
    const badTemplate = await bump({ file: DEV, image: 'web:v1', branch: 'bump/{{ summary }}' });
    expect(badTemplate.log).toContain("Input 'branch' uses the unknown variable {{ summary }}");
    expect(gh.requests.total).toBe(0);
  });
});

describe('image-bump: the file content decides kustomize or Helm', () => {
  it('refuses the kustomize form for a Helm values file once it is read, writing nothing', async () => {
    gh.requests.reset();
    const helmForm = await bump({ changes: `- {file: ${VALUES}, image: "api=ghcr.io/acme/api:2"}` });
    expect(helmForm.exitCode).toBe(1);
    expect(helmForm.log).toContain(
      `::error::Input 'changes', item 1, \`image\`: uses the kustomize \`name=newName\` form, but ${VALUES} is a Helm values file; give the image reference`,
    );
    // the snapshot read happened; no ref, commit or pull request was written
    expect(gh.requests.total).toBeGreaterThan(0);
    expect(gh.requests.records.filter((r) => r.method !== 'GET' && r.route !== 'POST /graphql')).toEqual([]);
    expect(gh.requests.count('graphql:createCommitOnBranch')).toBe(0);
    expect(gh.requests.count('graphql:createRef')).toBe(0);
  });
});

describe('image-bump permission errors', () => {
  it.each([
    [
      { contents: 'read' as const, pull_requests: 'write' as const },
      'create or update a branch in',
      '`contents: write`',
    ],
    [
      { contents: 'write' as const, pull_requests: 'read' as const },
      'open or update a pull request in',
      '`pull-requests: write`',
    ],
  ])('%j', async (permissions, step, needs) => {
    const token = `ghs_limited${Math.random().toString(36).slice(2)}`;
    gh.tokens.set(token, { permissions: { ...permissions, metadata: 'read' }, repositories: [ops.fullName] });
    const result = await bump({ file: DEV, image: 'web=*:v2', token });
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(
      `The token may not ${step} ${ops.fullName} (403: Resource not accessible by integration). It needs ${needs} on ${ops.fullName}.`,
    );
    expect(findLeaks(result, [token])).toEqual([]);
  });

  it('a repository the token cannot see is a 404 that names the token scope', async () => {
    const token = `ghs_other${Math.random().toString(36).slice(2)}`;
    gh.tokens.set(token, {
      permissions: { contents: 'write', pull_requests: 'write' },
      repositories: ['acme/other'],
    });
    ops.repo.private = true;
    const result = await bump({ file: DEV, image: 'web=*:v2', token });
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(`${ops.fullName} was not found while trying to read it`);
    expect(result.log).toContain('The token needs `contents: read`');
  });
});

describe('image-bump defaults', () => {
  it('bumps the repository running the workflow when `repository` is not set', async () => {
    const result = await runAction({
      actionDir,
      inputs: { token: TOKEN, file: DEV, image: 'web=*:v7', direct: 'true' },
      env: { ...gh.env, GITHUB_REPOSITORY: ops.fullName },
    });
    expect(result.exitCode, result.log).toBe(0);
    expect(await ops.readFile('refs/heads/main', DEV)).toContain('newTag: "v7"');
  });
});
