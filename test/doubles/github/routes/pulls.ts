/** Pull requests: list (head/base/state filters), create (422 on duplicates), get, update, request reviewers. */
import { HttpError, unprocessable } from '../http-error.ts';
import type { PullRequestRecord } from '../pull-request-record.ts';
import { nodeIdFor, type HostedRepo } from '../repo-store.ts';
import { paginate, type RestContext, type RestRoute } from '../rest-route.ts';
import { pullRequestJson, pullRequestSimpleJson } from '../shapes/pull-shape.ts';

let nextPullId = 5000;

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function findPull(repo: HostedRepo, number: number): PullRequestRecord {
  const pr = repo.pulls.find((p) => p.number === number);
  if (!pr) throw new HttpError(404, 'Not Found');
  return pr;
}

/**
 * `branch` or `owner:branch` (plus `head_repo` = `owner/name`, which GitHub asks for when
 * both repositories have the same owner) -> the network member that holds the branch.
 */
function headRepository(
  ctx: RestContext,
  repo: HostedRepo,
  head: string,
  headRepo: string | undefined,
): { repo: HostedRepo; ref: string } | null {
  const colon = head.indexOf(':');
  const ref = colon === -1 ? head : head.slice(colon + 1);
  const network = repo.networkRoot ?? repo;
  const members = ctx.state.store.all().filter((r) => r === network || r.networkRoot === network);
  if (headRepo !== undefined) {
    const member = members.find((r) => r.fullName.toLowerCase() === headRepo.toLowerCase());
    const ownerMatches = colon === -1 || head.slice(0, colon).toLowerCase() === member?.owner.toLowerCase();
    return member && ownerMatches ? { repo: member, ref } : null;
  }
  if (colon === -1) return { repo, ref };
  const owner = head.slice(0, colon).toLowerCase();
  // the base repository first when it has that owner, else the owner's fork
  const member = [repo, ...members].find((r) => r.owner.toLowerCase() === owner);
  return member ? { repo: member, ref } : null;
}

function invalidField(field: string): HttpError {
  return unprocessable('Validation Failed', [{ resource: 'PullRequest', field, code: 'invalid' }]);
}

export const pullRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls',
    async handle(ctx) {
      const repo = ctx.repo('pull_requests', 'read');
      const state = ctx.query.get('state') ?? 'open';
      const head = ctx.query.get('head');
      const base = ctx.query.get('base');
      const matches = repo.pulls.filter(
        (p) =>
          (state === 'all' || p.state === state) &&
          (!base || p.base === base) &&
          (!head || `${p.head.repo.owner}:${p.head.ref}`.toLowerCase() === head.toLowerCase()),
      );
      const sorted = [...matches].sort((a, b) => b.number - a.number);
      const page = paginate(ctx, sorted);
      return {
        ...page,
        body: await Promise.all(page.body.map((p) => pullRequestSimpleJson(ctx.state, repo, p))),
      };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/pulls',
    async handle(ctx) {
      const repo = ctx.repo('pull_requests', 'write');
      const body = ctx.body as {
        title?: string;
        body?: string;
        head: string;
        head_repo?: string;
        base: string;
        draft?: boolean;
        maintainer_can_modify?: boolean;
      };
      return repo.serialize(async () => {
        const head = headRepository(ctx, repo, body.head, body.head_repo);
        const headOid = head ? await head.repo.git.revParse(`refs/heads/${head.ref}`) : null;
        if (!head || !headOid) throw invalidField('head');
        const baseOid = await repo.git.revParse(`refs/heads/${body.base}`);
        if (!baseOid) throw invalidField('base');
        const duplicate = repo.pulls.find(
          (p) =>
            p.state === 'open' &&
            p.head.repo === head.repo &&
            p.head.ref === head.ref &&
            p.base === body.base,
        );
        if (duplicate) {
          throw unprocessable('Validation Failed', [
            {
              resource: 'PullRequest',
              code: 'custom',
              message: `A pull request already exists for ${head.repo.owner}:${head.ref}.`,
            },
          ]);
        }
        if ((await repo.git.countCommits(`${baseOid}..${headOid}`)) === 0) {
          throw unprocessable('Validation Failed', [
            {
              resource: 'PullRequest',
              code: 'custom',
              message: `No commits between ${body.base} and ${body.head}`,
            },
          ]);
        }
        const number = repo.pulls.length + repo.issues.length + 1;
        nextPullId += 1;
        const pr: PullRequestRecord = {
          number,
          id: nextPullId,
          nodeId: nodeIdFor('PR', nextPullId),
          title: body.title ?? head.ref,
          body: body.body ?? null,
          state: 'open',
          draft: body.draft ?? false,
          head,
          base: body.base,
          labels: [],
          assignees: [],
          requestedReviewers: [],
          requestedTeams: [],
          maintainerCanModify: body.maintainer_can_modify ?? true,
          autoMerge: null,
          createdAt: now(),
          updatedAt: now(),
        };
        repo.pulls.push(pr);
        return {
          status: 201,
          body: await pullRequestJson(ctx.state, repo, pr),
          headers: { location: `${ctx.state.apiUrl}/repos/${repo.fullName}/pulls/${number}` },
        };
      });
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}',
    async handle(ctx) {
      const repo = ctx.repo('pull_requests', 'read');
      const pr = findPull(repo, Number(ctx.params.pull_number));
      return { status: 200, body: await pullRequestJson(ctx.state, repo, pr) };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}',
    async handle(ctx) {
      const repo = ctx.repo('pull_requests', 'write');
      const body = ctx.body as {
        title?: string;
        body?: string;
        state?: 'open' | 'closed';
        base?: string;
        maintainer_can_modify?: boolean;
      };
      return repo.serialize(async () => {
        const pr = findPull(repo, Number(ctx.params.pull_number));
        if (body.base !== undefined) {
          if (!(await repo.git.revParse(`refs/heads/${body.base}`))) throw invalidField('base');
          pr.base = body.base;
        }
        if (body.title !== undefined) pr.title = body.title;
        if (body.body !== undefined) pr.body = body.body;
        if (body.state !== undefined) pr.state = body.state;
        if (body.maintainer_can_modify !== undefined) pr.maintainerCanModify = body.maintainer_can_modify;
        pr.updatedAt = now();
        return { status: 200, body: await pullRequestJson(ctx.state, repo, pr) };
      });
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
    async handle(ctx) {
      const repo = ctx.repo('pull_requests', 'write');
      const body = ctx.body as { reviewers?: string[]; team_reviewers?: string[] };
      const pr = findPull(repo, Number(ctx.params.pull_number));
      for (const login of body.reviewers ?? [])
        if (!pr.requestedReviewers.includes(login)) pr.requestedReviewers.push(login);
      for (const slug of body.team_reviewers ?? [])
        if (!pr.requestedTeams.includes(slug)) pr.requestedTeams.push(slug);
      return { status: 201, body: await pullRequestSimpleJson(ctx.state, repo, pr) };
    },
  },
];
