import { getOctokit } from '@actions/github';
import { graphql } from '@octokit/graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubDouble, type GitHubDouble, type RepoBuilder } from './index.ts';
import { createOpsRepo, ownerAndRepo } from './ops-repo-setup.ts';

let gh: GitHubDouble;
let ops: RepoBuilder;
let octokit: ReturnType<typeof getOctokit>;
let base: string;

const COMMIT_ON_BRANCH = `mutation Commit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid url } ref { name } }
}`;

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

beforeAll(async () => {
  gh = await startGitHubDouble();
  octokit = getOctokit('t', { baseUrl: gh.url });
});

beforeEach(async () => {
  ({ ops, base } = await createOpsRepo(gh));
});

afterAll(async () => {
  await gh.close();
});

const repoArgs = () => ownerAndRepo(ops);

describe('contents', () => {
  it('returns a file as base64 with its blob sha, a directory as a list, and 404 like GitHub', async () => {
    const file = await octokit.rest.repos.getContent({
      ...repoArgs(),
      path: 'apps/web/kustomization.yaml',
      ref: 'main',
    });
    const data = file.data as { content: string; encoding: string; sha: string; type: string };
    expect(data.type).toBe('file');
    expect(Buffer.from(data.content, 'base64').toString('utf8')).toBe(
      'images:\n  - name: web\n    newTag: "1.0"\n',
    );
    expect(data.sha).toBe(await ops.resolve('main:apps/web/kustomization.yaml'));
    const dir = await octokit.rest.repos.getContent({ ...repoArgs(), path: 'apps' });
    expect((dir.data as Array<{ path: string; type: string }>).map((e) => [e.path, e.type])).toEqual([
      ['apps/web', 'dir'],
    ]);
    await expect(
      octokit.rest.repos.getContent({ ...repoArgs(), path: 'missing.yaml' }),
    ).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'Not Found' } },
    });
    await expect(
      octokit.rest.repos.getContent({ ...repoArgs(), path: 'README.md', ref: 'no-such-branch' }),
    ).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'No commit found for the ref no-such-branch' } },
    });
  });
});

describe('git data API', () => {
  it('writes blob, tree on base_tree, commit, then fast-forwards the branch and rejects a non-fast-forward', async () => {
    const blob = await octokit.rest.git.createBlob({
      ...repoArgs(),
      content: b64('new\n'),
      encoding: 'base64',
    });
    const tree = await octokit.rest.git.createTree({
      ...repoArgs(),
      base_tree: base,
      tree: [
        { path: 'apps/web/extra.txt', mode: '100644', type: 'blob', sha: blob.data.sha },
        { path: 'README.md', mode: '100644', type: 'blob', content: 'changed\n' },
      ],
    });
    const commit = await octokit.rest.git.createCommit({
      ...repoArgs(),
      message: 'bump',
      tree: tree.data.sha,
      parents: [base],
    });
    expect(commit.status).toBe(201);
    expect(commit.data.parents.map((p) => p.sha)).toEqual([base]);
    const read = await octokit.rest.git.getCommit({ ...repoArgs(), commit_sha: commit.data.sha });
    expect(read.data).toMatchObject({ sha: commit.data.sha, message: 'bump', tree: { sha: tree.data.sha } });

    const updated = await octokit.rest.git.updateRef({
      ...repoArgs(),
      ref: 'heads/main',
      sha: commit.data.sha,
      force: false,
    });
    expect(updated.data.object.sha).toBe(commit.data.sha);
    expect(await ops.readFile('main', 'apps/web/extra.txt')).toBe('new\n');
    expect(await ops.readFile('main', 'README.md')).toBe('changed\n');
    expect(await ops.readFile('main', 'apps/web/kustomization.yaml')).toContain('newTag: "1.0"');

    await expect(
      octokit.rest.git.updateRef({ ...repoArgs(), ref: 'heads/main', sha: base, force: false }),
    ).rejects.toMatchObject({ status: 422, response: { data: { message: 'Update is not a fast forward' } } });
    const forced = await octokit.rest.git.updateRef({
      ...repoArgs(),
      ref: 'heads/main',
      sha: base,
      force: true,
    });
    expect(forced.data.object.sha).toBe(base);
  });

  it('creates refs once: the second create gets 422 Reference already exists', async () => {
    const created = await octokit.rest.git.createRef({ ...repoArgs(), ref: 'refs/heads/bump', sha: base });
    expect(created.status).toBe(201);
    await expect(
      octokit.rest.git.createRef({ ...repoArgs(), ref: 'refs/heads/bump', sha: base }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { message: 'Reference already exists' } },
    });
  });

  it('lets exactly one of several concurrent fast-forward updates from the same parent win', async () => {
    const children = await Promise.all(
      [1, 2, 3, 4].map(async (n) => {
        const tree = await octokit.rest.git.createTree({
          ...repoArgs(),
          base_tree: base,
          tree: [{ path: `f${n}`, mode: '100644', type: 'blob', content: `${n}\n` }],
        });
        return (
          await octokit.rest.git.createCommit({
            ...repoArgs(),
            message: `c${n}`,
            tree: tree.data.sha,
            parents: [base],
          })
        ).data.sha;
      }),
    );
    const results = await Promise.allSettled(
      children.map((sha) =>
        octokit.rest.git.updateRef({ ...repoArgs(), ref: 'heads/main', sha, force: false }),
      ),
    );
    const winners = results.filter((r) => r.status === 'fulfilled');
    const losers = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(winners).toHaveLength(1);
    expect(losers.map((l) => (l.reason as { status: number; message: string }).status)).toEqual([
      422, 422, 422,
    ]);
    expect(children).toContain(await ops.resolve('refs/heads/main'));
  });
});

describe('createCommitOnBranch', () => {
  it('commits additions and deletions and answers STALE_DATA when the branch moved between two requests', async () => {
    const client = graphql.defaults({ baseUrl: gh.url });
    const input = (expectedHeadOid: string) => ({
      branch: { repositoryNameWithOwner: ops.fullName, branchName: 'main' },
      expectedHeadOid,
      message: { headline: 'Bump web to 1.1', body: 'Automated.' },
      fileChanges: {
        additions: [
          {
            path: 'apps/web/kustomization.yaml',
            contents: b64('images:\n  - name: web\n    newTag: "1.1"\n'),
          },
        ],
        deletions: [{ path: 'README.md' }],
      },
    });
    const result = await client<{
      createCommitOnBranch: { commit: { oid: string; url: string }; ref: { name: string } };
    }>(COMMIT_ON_BRANCH, { input: input(base) });
    const oid = result.createCommitOnBranch.commit.oid;
    expect(result.createCommitOnBranch.commit.url).toBe(`${gh.serverUrl}/${ops.fullName}/commit/${oid}`);
    expect(result.createCommitOnBranch.ref.name).toBe('main');
    expect(await ops.resolve('refs/heads/main')).toBe(oid);
    expect(await ops.readFile('main', 'apps/web/kustomization.yaml')).toContain('newTag: "1.1"');
    expect(await ops.readFile('main', 'README.md')).toBeNull();
    expect((await ops.repo.git.readCommit(oid)).message).toBe('Bump web to 1.1\n\nAutomated.');

    // Someone pushes between our read and our write.
    gh.faults.beforeRequest('graphql:createCommitOnBranch', async () => {
      await ops.commit({ files: { 'other.txt': 'x\n' }, message: 'concurrent push' });
    });
    const stale = (await client(COMMIT_ON_BRANCH, { input: input(oid) }).catch((e: unknown) => e)) as {
      data: unknown;
      errors: unknown;
    };
    expect(stale.data).toEqual({ createCommitOnBranch: null });
    expect(stale.errors).toEqual([
      {
        type: 'STALE_DATA',
        path: ['createCommitOnBranch'],
        locations: [{ line: 2, column: 3 }],
        message: `Expected branch to point to "${oid}" but it did not.  Pull and try again.`,
      },
    ]);
    expect(await ops.readFile('main', 'other.txt')).toBe('x\n');
  });

  it('refuses to delete a path that does not exist, and leaves the branch alone', async () => {
    const client = graphql.defaults({ baseUrl: gh.url });
    const error = (await client(COMMIT_ON_BRANCH, {
      input: {
        branch: { repositoryNameWithOwner: ops.fullName, branchName: 'main' },
        expectedHeadOid: base,
        message: { headline: 'delete' },
        fileChanges: { deletions: [{ path: 'nope.txt' }] },
      },
    }).catch((e: unknown) => e)) as { errors: Array<{ type: string; message: string }> };
    expect(error.errors.map((e) => [e.type, e.message])).toEqual([
      [
        'UNPROCESSABLE',
        `A path was requested for deletion which does not exist as of commit oid \`${base}\``,
      ],
    ]);
    expect(await ops.resolve('refs/heads/main')).toBe(base);
  });

  it('lets one of two concurrent commits with the same expectedHeadOid win; the other gets STALE_DATA', async () => {
    const client = graphql.defaults({ baseUrl: gh.url });
    const attempt = (n: number) =>
      client(COMMIT_ON_BRANCH, {
        input: {
          branch: { repositoryNameWithOwner: ops.fullName, branchName: 'main' },
          expectedHeadOid: base,
          message: { headline: `attempt ${n}` },
          fileChanges: { additions: [{ path: `n${n}.txt`, contents: b64(`${n}\n`) }] },
        },
      });
    const results = await Promise.allSettled([attempt(1), attempt(2)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as { errors: Array<{ type: string }> }).errors.map((e) => e.type)).toEqual([
      'STALE_DATA',
    ]);
    const head = await ops.resolve('refs/heads/main');
    expect((await ops.repo.git.readCommit(head!)).parents).toEqual([base]);
  });
});
