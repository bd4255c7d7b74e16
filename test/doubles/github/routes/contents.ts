/** GET /repos/{owner}/{repo}/contents/{path}?ref=: files (base64, wrapped at 60 like GitHub) and directories. */
import type { TreeEntry } from '../git/git-repo.ts';
import { entryAtPath } from '../git/tree-writer.ts';
import { HttpError } from '../http-error.ts';
import type { HostedRepo } from '../repo-store.ts';
import type { DoubleState, RestRoute } from '../rest-route.ts';
import { repoApiUrl, repoHtmlUrl } from '../shapes/repository-shape.ts';
import { resolveCommitish } from './commits.ts';

const TYPES: Record<string, string> = { blob: 'file', tree: 'dir', commit: 'submodule' };

function itemJson(state: DoubleState, repo: HostedRepo, ref: string, path: string, entry: TreeEntry) {
  const api = repoApiUrl(state, repo);
  const type = entry.mode === '120000' ? 'symlink' : (TYPES[entry.type] ?? 'file');
  const self = `${api}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const git = `${api}/git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.oid}`;
  const html = `${repoHtmlUrl(state, repo)}/${entry.type === 'tree' ? 'tree' : 'blob'}/${ref}/${path}`;
  return {
    type,
    size: entry.size ?? 0,
    name: path.split('/').pop() ?? path,
    path,
    sha: entry.oid,
    url: self,
    git_url: git,
    html_url: html,
    download_url: type === 'file' ? `${state.serverUrl}/raw/${repo.fullName}/${ref}/${path}` : null,
    _links: { self, git, html },
  };
}

export const contentRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/contents/{path}',
    greedy: 'path',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'read');
      const ref = ctx.query.get('ref') || repo.defaultBranch;
      const commit = await resolveCommitish(repo.git, ref);
      if (!commit) throw new HttpError(404, `No commit found for the ref ${ref}`);
      const path = ctx.params.path!.replace(/^\/+|\/+$/g, '');
      const tree = (await repo.git.readCommit(commit)).tree;
      const entry = await entryAtPath(repo.git, tree, path);
      if (!entry) throw new HttpError(404, 'Not Found');
      if (entry.type === 'tree') {
        const children = await repo.git.readTree(entry.oid);
        return {
          status: 200,
          body: children.map((c) => itemJson(ctx.state, repo, ref, `${path}/${c.name}`, c)),
        };
      }
      const content = await repo.git.readBlob(entry.oid);
      const base64 = content.toString('base64').replace(/.{60}/g, '$&\n');
      return {
        status: 200,
        body: {
          ...itemJson(ctx.state, repo, ref, path, { ...entry, size: content.length }),
          content: base64.endsWith('\n') || base64 === '' ? base64 : `${base64}\n`,
          encoding: 'base64',
        },
      };
    },
  },
];
