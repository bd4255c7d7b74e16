/**
 * bumpOpsRepo against the GitHub double (real git repositories, GitHub's REST and GraphQL), through
 * the octokit client the image-bump action uses: the commit it makes, the pull request it opens or
 * updates, what it reports, how it retries when the branch moves, and the errors that name an input.
 */
import { UserError } from '@slipway/core';
import { describe, expect, it } from 'vitest';
import { bumpOpsRepo } from './bump.ts';
import {
  BUMP_TEMPLATES,
  bumpRequest,
  client,
  gh,
  octokit,
  ops,
  owner,
  repo,
  useOpsRepoDouble,
} from './ops-repo.fixture.ts';

const WEB = 'apps/web/kustomization.yaml';
const API = 'apps/api/kustomization.yaml';
const BRANCH = 'slipway/bump/web';
const kustomization = (name: string, tag: string) =>
  `# ${name}\nimages:\n  - name: ${name} # keep\n    newTag: "${tag}"\n`;
const noWait = { sleep: async () => {} };
const request = bumpRequest;

useOpsRepoDouble({ [WEB]: kustomization('web', '1.0'), [API]: kustomization('api', '1.0') });

describe('bumpOpsRepo', () => {
  it('creates the bump branch, commits only the changed line and opens a pull request', async () => {
    const main = await ops.resolve('main');
    const outcome = await bumpOpsRepo(client, request('web=*:2.0', WEB), noWait);

    expect(outcome).toMatchObject({ changed: true, branch: BRANCH, base: 'main', files: [WEB], attempts: 1 });
    expect(outcome.changes).toEqual([expect.objectContaining({ file: WEB, from: '1.0', to: '2.0' })]);
    expect(outcome.diff).toContain(`--- a/${WEB}`);
    expect(outcome.diff).toContain('-    newTag: "1.0"\n+    newTag: "2.0"\n');
    // the commit is on the branch, on top of main, and changes exactly one line
    expect(outcome.commit?.oid).toBe(await ops.resolve(BRANCH));
    expect(await ops.resolve(`${BRANCH}~1`)).toBe(main);
    expect(await ops.readFile(BRANCH, WEB)).toBe(kustomization('web', '1.0').replace('"1.0"', '"2.0"'));
    expect(await ops.readFile(BRANCH, API)).toBe(kustomization('api', '1.0'));
    expect(await ops.resolve('main')).toBe(main);
    const commit = await octokit.rest.git.getCommit({ owner, repo, commit_sha: outcome.commit!.oid });
    expect(commit.data.message).toContain('https://github.com/acme/web/actions/runs/1');
    // one pull request from the branch into main, described by the templates
    expect(outcome.pullRequest?.created).toBe(true);
    const pr = ops.repo.pulls.find((p) => p.number === outcome.pullRequest!.number)!;
    expect(pr.head.ref).toBe(BRANCH);
    expect(pr.base).toBe('main');
    expect(pr.title).toContain('2.0');
    expect(pr.body).toContain(WEB);
    expect(outcome.pullRequest?.url).toContain(`/pull/${pr.number}`);
  });

  it('run again with the same change: no commit, the same pull request', async () => {
    const first = await bumpOpsRepo(client, request('web=*:2.0', WEB), noWait);
    const head = await ops.resolve(BRANCH);
    gh.requests.reset();
    const second = await bumpOpsRepo(client, request('web=*:2.0', WEB), noWait);
    expect(second).toMatchObject({ changed: false, commit: undefined, files: [] });
    expect(second.pullRequest).toEqual({ ...first.pullRequest, created: false });
    expect(await ops.resolve(BRANCH)).toBe(head);
    expect(gh.requests.count('graphql:createCommitOnBranch')).toBe(0);
    expect(gh.requests.count('POST /repos/{owner}/{repo}/pulls')).toBe(0);
  });

  it('a second image on the same branch commits on top and the pull request describes both', async () => {
    const first = await bumpOpsRepo(
      client,
      request('web=*:2.0', WEB, { templates: { ...BUMP_TEMPLATES, branch: 'slipway/bump/all' } }),
      noWait,
    );
    const second = await bumpOpsRepo(
      client,
      request('api=*:3.0', API, { templates: { ...BUMP_TEMPLATES, branch: 'slipway/bump/all' } }),
      noWait,
    );
    expect(second.pullRequest).toEqual({ ...first.pullRequest, created: false });
    expect(await ops.resolve('slipway/bump/all~1')).toBe(first.commit!.oid);
    expect(await ops.readFile('slipway/bump/all', WEB)).toContain('"2.0"');
    expect(await ops.readFile('slipway/bump/all', API)).toContain('"3.0"');
    const pr = ops.repo.pulls.find((p) => p.number === second.pullRequest!.number)!;
    expect(pr.body).toContain(WEB);
    expect(pr.body).toContain(API);
  });

  it('direct: commits to the base branch and opens no pull request', async () => {
    const main = await ops.resolve('main');
    const outcome = await bumpOpsRepo(client, request('web=*:2.0', WEB, { direct: true }), noWait);
    expect(outcome).toMatchObject({ changed: true, branch: 'main', base: 'main', pullRequest: undefined });
    expect(await ops.resolve('main~1')).toBe(main);
    expect(await ops.readFile('main', WEB)).toContain('newTag: "2.0"');
    expect(await ops.resolve(BRANCH)).toBeNull();
    expect(ops.repo.pulls).toEqual([]);
  });

  it('when another run commits to the branch first, re-reads and lands on top of it', async () => {
    await bumpOpsRepo(client, request('web=*:2.0', WEB), noWait);
    let other = '';
    gh.faults.beforeRequest('graphql:createCommitOnBranch', async () => {
      other = await ops.commit({ branch: BRANCH, files: { 'apps/other.yaml': 'x: 1\n' } });
    });
    const log: string[] = [];
    const outcome = await bumpOpsRepo(client, request('web=*:3.0', WEB), {
      ...noWait,
      log: (m) => log.push(m),
    });
    expect(outcome.attempts).toBe(2);
    expect(outcome.changes).toEqual([expect.objectContaining({ from: '2.0', to: '3.0' })]);
    expect(await ops.resolve(`${BRANCH}~1`)).toBe(other);
    expect(await ops.readFile(BRANCH, WEB)).toContain('newTag: "3.0"');
    expect(log.some((line) => line.includes('the branch moved during attempt 1'))).toBe(true);
  });

  it('gives up with a UserError naming the branch when it keeps moving', async () => {
    await bumpOpsRepo(client, request('web=*:2.0', WEB), noWait);
    let n = 0;
    gh.faults.beforeRequest(
      'graphql:createCommitOnBranch',
      async () => void (await ops.commit({ branch: BRANCH, files: { 'apps/other.yaml': `x: ${++n}\n` } })),
      { times: Infinity },
    );
    const error = await bumpOpsRepo(client, request('web=*:3.0', WEB), { ...noWait, maxAttempts: 2 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(`${BRANCH} kept moving under this run: gave up after 2 attempts.`);
  });

  it('refuses a branch template that names the base branch, naming the input', async () => {
    const templates = { ...BUMP_TEMPLATES, branch: 'main' };
    const error = await bumpOpsRepo(client, request('web=*:2.0', WEB, { templates }), noWait).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(`Input 'branch': the bump branch 'main' is the base branch.`);
    expect(await ops.readFile('main', WEB)).toBe(kustomization('web', '1.0'));
  });

  it('an image with no entry in the file is an error naming the file and the entries, and writes nothing', async () => {
    gh.requests.reset();
    const error = await bumpOpsRepo(client, request('db=*:2.0', WEB), noWait).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(`${WEB} has no \`images\` entry named 'db' (it has 'web').`);
    expect((error as UserError).hint).toContain('set `create: true`');
    // one read, nothing written
    expect(gh.requests.records.map((r) => r.route)).toEqual(['POST /graphql']);
    expect(await ops.resolve(BRANCH)).toBeNull();
  });
});
