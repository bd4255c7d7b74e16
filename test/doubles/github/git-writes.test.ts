import { graphql } from '@octokit/graphql';
import { describe, expect, it } from 'vitest';
import { useOpsRepo } from './ops-repo-setup.ts';

const setup = useOpsRepo();

const COMMIT_ON_BRANCH = `mutation Commit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid url } ref { name } }
}`;

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

describe('contents', () => {
  it('returns a file as base64 with its blob sha, a directory as a list, and 404 like GitHub', async () => {
    const file = await setup.octokit.rest.repos.getContent({
      ...setup.repoArgs(),
      path: 'apps/web/kustomization.yaml',
      ref: 'main',
    });
    const data = file.data as { content: string; encoding: string; sha: string; type: string };
    expect(data.type).toBe('file');
    expect(Buffer.from(data.content, 'base64').toString('utf8')).toBe(
      'images:\n  - name: web\n    newTag: "1.0"\n',
    );
    expect(data.sha).toBe(await setup.ops.resolve('main:apps/web/kustomization.yaml'));
    const dir = await setup.octokit.rest.repos.getContent({ ...setup.repoArgs(), path: 'apps' });
    expect((dir.data as Array<{ path: string; type: string }>).map((e) => [e.path, e.type])).toEqual([
      ['apps/web', 'dir'],
    ]);
    await expect(
      setup.octokit.rest.repos.getContent({ ...setup.repoArgs(), path: 'missing.yaml' }),
    ).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'Not Found' } },
    });
    await expect(
      setup.octokit.rest.repos.getContent({ ...setup.repoArgs(), path: 'README.md', ref: 'no-such-branch' }),
    ).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'No commit found for the ref no-such-branch' } },
    });
  });
});

describe('git data API', () => {
  it('writes blob, tree on base_tree, commit, then fast-forwards the branch and rejects a non-fast-forward', async () => {
    const blob = await setup.octokit.rest.git.createBlob({
      ...setup.repoArgs(),
      content: b64('new\n'),
      encoding: 'base64',
    });
    const tree = await setup.octokit.rest.git.createTree({
      ...setup.repoArgs(),
      base_tree: setup.base,
      tree: [
        { path: 'apps/web/extra.txt', mode: '100644', type: 'blob', sha: blob.data.sha },
        { path: 'README.md', mode: '100644', type: 'blob', content: 'changed\n' },
      ],
    });
    const commit = await setup.octokit.rest.git.createCommit({
      ...setup.repoArgs(),
      message: 'bump',
      tree: tree.data.sha,
      parents: [setup.base],
    });
    expect(commit.status).toBe(201);
    expect(commit.data.parents.map((p) => p.sha)).toEqual([setup.base]);
    const read = await setup.octokit.rest.git.getCommit({ ...setup.repoArgs(), commit_sha: commit.data.sha });
    expect(read.data).toMatchObject({ sha: commit.data.sha, message: 'bump', tree: { sha: tree.data.sha } });

    const updated = await setup.octokit.rest.git.updateRef({
      ...setup.repoArgs(),
      ref: 'heads/main',
      sha: commit.data.sha,
      force: false,
    });
    expect(updated.data.object.sha).toBe(commit.data.sha);
    expect(await setup.ops.readFile('main', 'apps/web/extra.txt')).toBe('new\n');
    expect(await setup.ops.readFile('main', 'README.md')).toBe('changed\n');
    expect(await setup.ops.readFile('main', 'apps/web/kustomization.yaml')).toContain('newTag: "1.0"');

    await expect(
      setup.octokit.rest.git.updateRef({
        ...setup.repoArgs(),
        ref: 'heads/main',
        sha: setup.base,
        force: false,
      }),
    ).rejects.toMatchObject({ status: 422, response: { data: { message: 'Update is not a fast forward' } } });
    const forced = await setup.octokit.rest.git.updateRef({
      ...setup.repoArgs(),
      ref: 'heads/main',
      sha: setup.base,
      force: true,
    });
    expect(forced.data.object.sha).toBe(setup.base);
  });

  it('creates refs once: the second create gets 422 Reference already exists', async () => {
    const created = await setup.octokit.rest.git.createRef({
      ...setup.repoArgs(),
      ref: 'refs/heads/bump',
      sha: setup.base,
    });
    expect(created.status).toBe(201);
    await expect(
      setup.octokit.rest.git.createRef({ ...setup.repoArgs(), ref: 'refs/heads/bump', sha: setup.base }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { message: 'Reference already exists' } },
    });
  });

  it('lets exactly one of several concurrent fast-forward updates from the same parent win', async () => {
    const children = await Promise.all(
      [1, 2, 3, 4].map(async (n) => {
        const tree = await setup.octokit.rest.git.createTree({
          ...setup.repoArgs(),
          base_tree: setup.base,
          tree: [{ path: `f${n}`, mode: '100644', type: 'blob', content: `${n}\n` }],
        });
        return (
          await setup.octokit.rest.git.createCommit({
            ...setup.repoArgs(),
            message: `c${n}`,
            tree: tree.data.sha,
            parents: [setup.base],
          })
        ).data.sha;
      }),
    );
    const results = await Promise.allSettled(
      children.map((sha) =>
        setup.octokit.rest.git.updateRef({ ...setup.repoArgs(), ref: 'heads/main', sha, force: false }),
      ),
    );
    const winners = results.filter((r) => r.status === 'fulfilled');
    const losers = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(winners).toHaveLength(1);
    expect(losers.map((l) => (l.reason as { status: number; message: string }).status)).toEqual([
      422, 422, 422,
    ]);
    expect(children).toContain(await setup.ops.resolve('refs/heads/main'));
  });
});

describe('createCommitOnBranch', () => {
  it('commits additions and deletions and answers STALE_DATA when the branch moved between two requests', async () => {
    const client = graphql.defaults({ baseUrl: setup.gh.url });
    const input = (expectedHeadOid: string) => ({
      branch: { repositoryNameWithOwner: setup.ops.fullName, branchName: 'main' },
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
    }>(COMMIT_ON_BRANCH, { input: input(setup.base) });
    const oid = result.createCommitOnBranch.commit.oid;
    expect(result.createCommitOnBranch.commit.url).toBe(
      `${setup.gh.serverUrl}/${setup.ops.fullName}/commit/${oid}`,
    );
    expect(result.createCommitOnBranch.ref.name).toBe('main');
    expect(await setup.ops.resolve('refs/heads/main')).toBe(oid);
    expect(await setup.ops.readFile('main', 'apps/web/kustomization.yaml')).toContain('newTag: "1.1"');
    expect(await setup.ops.readFile('main', 'README.md')).toBeNull();
    expect((await setup.ops.repo.git.readCommit(oid)).message).toBe('Bump web to 1.1\n\nAutomated.');

    // Someone pushes between our read and our write.
    setup.gh.faults.beforeRequest('graphql:createCommitOnBranch', async () => {
      await setup.ops.commit({ files: { 'other.txt': 'x\n' }, message: 'concurrent push' });
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
    expect(await setup.ops.readFile('main', 'other.txt')).toBe('x\n');
  });

  it('refuses to delete a path that does not exist, and leaves the branch alone', async () => {
    const client = graphql.defaults({ baseUrl: setup.gh.url });
    const error = (await client(COMMIT_ON_BRANCH, {
      input: {
        branch: { repositoryNameWithOwner: setup.ops.fullName, branchName: 'main' },
        expectedHeadOid: setup.base,
        message: { headline: 'delete' },
        fileChanges: { deletions: [{ path: 'nope.txt' }] },
      },
    }).catch((e: unknown) => e)) as { errors: Array<{ type: string; message: string }> };
    expect(error.errors.map((e) => [e.type, e.message])).toEqual([
      [
        'UNPROCESSABLE',
        `A path was requested for deletion which does not exist as of commit oid \`${setup.base}\``,
      ],
    ]);
    expect(await setup.ops.resolve('refs/heads/main')).toBe(setup.base);
  });

  it('lets one of two concurrent commits with the same expectedHeadOid win; the other gets STALE_DATA', async () => {
    const client = graphql.defaults({ baseUrl: setup.gh.url });
    const attempt = (n: number) =>
      client(COMMIT_ON_BRANCH, {
        input: {
          branch: { repositoryNameWithOwner: setup.ops.fullName, branchName: 'main' },
          expectedHeadOid: setup.base,
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
    const head = await setup.ops.resolve('refs/heads/main');
    expect((await setup.ops.repo.git.readCommit(head!)).parents).toEqual([setup.base]);
  });
});
