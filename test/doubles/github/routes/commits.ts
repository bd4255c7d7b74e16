/** GET commits (list: sha, path, per_page, page), commits/{ref} and compare/{basehead} (status from git merge-base). */
import { isOid, type GitRepo } from '../git/git-repo.ts';
import { HttpError } from '../http-error.ts';
import type { HostedRepo } from '../repo-store.ts';
import { paginate, type RestContext, type RestRoute } from '../rest-route.ts';
import { commitJson } from '../shapes/commit-shape.ts';
import { repoApiUrl, repoHtmlUrl } from '../shapes/repository-shape.ts';

/** Resolves a SHA (full or abbreviated), branch or tag name to a commit oid, like GitHub's `{ref}`. */
export async function resolveCommitish(git: GitRepo, ref: string): Promise<string | null> {
  const candidates = isOid(ref)
    ? [ref]
    : [`refs/heads/${ref}`, `refs/tags/${ref}`, ...(/^[0-9a-f]{7,39}$/.test(ref) ? [ref] : [])];
  for (const candidate of candidates) {
    const oid = await git.revParse(`${candidate}^{commit}`);
    if (oid) return oid;
  }
  return null;
}

/** `base`, `owner:ref` or `owner:repo:ref` -> the network member and commit. */
async function resolveCompareSide(ctx: RestContext, repo: HostedRepo, spec: string): Promise<string> {
  const parts = spec.split(':');
  let target = repo;
  let ref = spec;
  if (parts.length >= 2) {
    const owner = parts[0]!;
    const name = parts.length === 3 ? parts[1]! : undefined;
    ref = parts[parts.length - 1]!;
    const network = repo.networkRoot ?? repo;
    const member = ctx.state.store
      .all()
      .find(
        (r) =>
          (r === network || r.networkRoot === network) &&
          r.owner.toLowerCase() === owner.toLowerCase() &&
          (name === undefined || r.name === name),
      );
    if (!member) throw new HttpError(404, 'Not Found');
    target = member;
  }
  const oid = await resolveCommitish(target.git, ref);
  if (!oid) throw new HttpError(404, 'Not Found');
  return oid;
}

export const commitRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'read');
      const ref = ctx.query.get('sha') || repo.defaultBranch;
      const oid = await resolveCommitish(repo.git, ref);
      if (!oid) throw new HttpError(404, `No commit found for SHA: ${ref}`);
      const path = ctx.query.get('path');
      // git log order with history simplification, as GitHub lists a file's commits
      const out = await repo.git.run(['rev-list', oid, ...(path ? ['--', path] : [])]);
      const page = paginate(ctx, out.trim() ? out.trim().split('\n') : []);
      const body = await Promise.all(
        page.body.map(async (c) => commitJson(ctx.state, repo, await repo.git.readCommit(c))),
      );
      return { ...page, body };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref}',
    greedy: 'ref',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'read');
      const ref = ctx.params.ref!;
      const oid = await resolveCommitish(repo.git, ref);
      if (!oid) throw new HttpError(422, `No commit found for SHA: ${ref}`);
      if (/application\/vnd\.github(\.v3)?\.sha/.test(ctx.accept)) {
        return { status: 200, text: { body: oid, contentType: 'application/vnd.github.sha; charset=utf-8' } };
      }
      return { status: 200, body: commitJson(ctx.state, repo, await repo.git.readCommit(oid)) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/compare/{basehead}',
    greedy: 'basehead',
    async handle(ctx) {
      const repo = ctx.repo('contents', 'read');
      const basehead = ctx.params.basehead!;
      const split = basehead.indexOf('...');
      if (split <= 0) throw new HttpError(404, 'Not Found');
      const baseSpec = basehead.slice(0, split);
      const headSpec = basehead.slice(split + 3);
      const base = await resolveCompareSide(ctx, repo, baseSpec);
      const head = await resolveCompareSide(ctx, repo, headSpec);
      const mergeBase = await repo.git.mergeBase(base, head);
      if (!mergeBase) throw new HttpError(404, `No common ancestor between ${baseSpec} and ${headSpec}.`);
      const aheadBy = await repo.git.countCommits(`${base}..${head}`);
      const behindBy = await repo.git.countCommits(`${head}..${base}`);
      const status =
        aheadBy === 0 && behindBy === 0
          ? 'identical'
          : behindBy === 0
            ? 'ahead'
            : aheadBy === 0
              ? 'behind'
              : 'diverged';
      const commits = await repo.git.commitsBetween(mergeBase, head);
      const api = repoApiUrl(ctx.state, repo);
      const html = repoHtmlUrl(ctx.state, repo);
      const show = async (oid: string) => commitJson(ctx.state, repo, await repo.git.readCommit(oid));
      return {
        status: 200,
        body: {
          url: `${api}/compare/${basehead}`,
          html_url: `${html}/compare/${basehead}`,
          permalink_url: `${html}/compare/${base}...${head}`,
          diff_url: `${html}/compare/${basehead}.diff`,
          patch_url: `${html}/compare/${basehead}.patch`,
          base_commit: await show(base),
          merge_base_commit: await show(mergeBase),
          status,
          ahead_by: aheadBy,
          behind_by: behindBy,
          total_commits: commits.length,
          commits: await Promise.all(commits.slice(0, 250).map(show)),
          files: [],
        },
      };
    },
  },
];
