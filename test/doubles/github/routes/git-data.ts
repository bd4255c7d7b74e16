/** Git database writes and reads: blobs, trees, commits (POST/GET git/blobs|trees|commits). */
import { isOid } from '../git/git-repo.ts';
import { writeTreeWithChanges, type TreeChange } from '../git/tree-writer.ts';
import { HttpError, unprocessable } from '../http-error.ts';
import { nodeIdFor, type HostedRepo } from '../repo-store.ts';
import type { DoubleState, RestRoute } from '../rest-route.ts';
import { gitUserJson, UNSIGNED } from '../shapes/commit-shape.ts';
import { repoApiUrl, repoHtmlUrl } from '../shapes/repository-shape.ts';

interface TreeItemInput {
  path?: string;
  mode?: string;
  type?: 'blob' | 'tree' | 'commit';
  sha?: string | null;
  content?: string;
}

interface Person {
  name?: string;
  email?: string;
  date?: string;
}

async function treeJson(state: DoubleState, repo: HostedRepo, oid: string, recursive: boolean) {
  const api = repoApiUrl(state, repo);
  const args = ['ls-tree', '-z', '--long', ...(recursive ? ['-r', '-t'] : []), oid];
  const out = await repo.git.run(args);
  const tree = out
    .split('\0')
    .filter((item) => item.length > 0)
    .map((item) => {
      const tab = item.indexOf('\t');
      const [mode, type, sha, size] = item.slice(0, tab).split(/\s+/);
      const kind = type === 'tree' ? 'trees' : 'blobs';
      return {
        path: item.slice(tab + 1),
        mode: mode!,
        type: type!,
        sha: sha!,
        ...(size && size !== '-' ? { size: Number(size) } : {}),
        url: `${api}/git/${kind}/${sha}`,
      };
    });
  return { sha: oid, url: `${api}/git/trees/${oid}`, tree, truncated: false };
}

export async function gitCommitJson(state: DoubleState, repo: HostedRepo, oid: string) {
  const commit = await repo.git.readCommit(oid);
  const api = repoApiUrl(state, repo);
  const html = repoHtmlUrl(state, repo);
  return {
    sha: oid,
    node_id: nodeIdFor('C', oid),
    url: `${api}/git/commits/${oid}`,
    html_url: `${html}/commit/${oid}`,
    author: gitUserJson(commit.author),
    committer: gitUserJson(commit.committer),
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/git/commits/${sha}`,
      html_url: `${html}/commit/${sha}`,
    })),
    verification: UNSIGNED,
  };
}

export const gitDataRoutes: RestRoute[] = [
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/blobs',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'write');
      const body = ctx.body as { content: string; encoding?: string };
      if (body.encoding !== undefined && body.encoding !== 'utf-8' && body.encoding !== 'base64') {
        throw unprocessable(`encoding must be either "utf-8" or "base64"`);
      }
      const content =
        body.encoding === 'base64' ? Buffer.from(body.content, 'base64') : Buffer.from(body.content, 'utf8');
      const sha = await repo.git.writeBlob(content);
      return { status: 201, body: { sha, url: `${repoApiUrl(ctx.state, repo)}/git/blobs/${sha}` } };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/trees',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'write');
      const body = ctx.body as { tree: TreeItemInput[]; base_tree?: string };
      if (body.base_tree !== undefined && (await repo.git.objectType(body.base_tree)) !== 'tree') {
        // GitHub accepts a commit sha as base_tree too.
        const peeled = await repo.git.revParse(`${body.base_tree}^{tree}`);
        if (!peeled || !isOid(body.base_tree)) throw unprocessable('Invalid tree info');
        body.base_tree = peeled;
      }
      const changes: TreeChange[] = [];
      for (const item of body.tree) {
        if (!item.path) throw unprocessable('Invalid tree info');
        if (item.sha === null) {
          changes.push({ path: item.path, delete: true });
        } else if (item.content !== undefined) {
          changes.push({
            path: item.path,
            content: item.content,
            mode: item.mode === '100755' ? '100755' : '100644',
          });
        } else if (item.sha !== undefined) {
          const type = item.type ?? 'blob';
          if (type !== 'commit' && (await repo.git.objectType(item.sha)) !== type) {
            throw unprocessable(`tree.sha ${item.sha} is not a valid ${type}`);
          }
          changes.push({ path: item.path, oid: item.sha, mode: item.mode ?? '100644', type });
        } else {
          throw unprocessable('Must supply either tree.sha or tree.content');
        }
      }
      const oid = await writeTreeWithChanges(repo.git, body.base_tree ?? null, changes);
      return { status: 201, body: await treeJson(ctx.state, repo, oid, false) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/trees/{tree_sha}',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'read');
      const oid = await repo.git.revParse(`${ctx.params.tree_sha}^{tree}`);
      if (!oid) throw new HttpError(404, 'Not Found');
      const recursive = Boolean(ctx.query.get('recursive'));
      return { status: 200, body: await treeJson(ctx.state, repo, oid, recursive) };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/commits',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'write');
      const body = ctx.body as {
        message: string;
        tree: string;
        parents?: string[];
        author?: Person;
        committer?: Person;
      };
      if ((await repo.git.objectType(body.tree)) !== 'tree') throw unprocessable('Tree SHA does not exist');
      for (const parent of body.parents ?? []) {
        if ((await repo.git.objectType(parent)) !== 'commit') {
          throw unprocessable('Parent SHA does not exist or is not a commit object');
        }
      }
      const person = (p: Person | undefined) =>
        p?.name && p.email ? { name: p.name, email: p.email } : undefined;
      const oid = await repo.git.writeCommit({
        tree: body.tree,
        parents: body.parents ?? [],
        message: body.message,
        date: body.author?.date ?? body.committer?.date,
        author: person(body.author),
        committer: person(body.committer) ?? person(body.author),
      });
      return { status: 201, body: await gitCommitJson(ctx.state, repo, oid) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/commits/{commit_sha}',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'read');
      const sha = ctx.params.commit_sha!;
      if ((await repo.git.objectType(sha)) !== 'commit') throw new HttpError(404, 'Not Found');
      return { status: 200, body: await gitCommitJson(ctx.state, repo, sha) };
    },
  },
];
