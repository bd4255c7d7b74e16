/**
 * Who may run a comment command, and on what. Decided from plain facts
 * (`authoriseCommand`) that `readCommandFacts` gathers through the API:
 *
 * - the commenter's permission on the repository (`GET collaborators/{user}/permission`):
 *   write, maintain or admin; anyone else (read, triage, none, not a collaborator) is refused;
 * - the pull request is open, and for `/plan` and `/apply` the SHA named in the comment is its
 *   head now (a prefix of 7+ characters): the workflow then checks out and runs that full SHA;
 * - `/apply` also needs an approval of that head: the latest review of at least one user with
 *   write access is APPROVED on exactly that commit, and no such user's latest review requests
 *   changes (an approval of an older commit does not approve what would be applied).
 */
import { statusOf, UserError } from '@slipway/core';
import type { GitHubClient } from '@slipway/github';
import type { CommentCommand } from './comment-command.ts';

export type RepoPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

const WRITERS: readonly RepoPermission[] = ['admin', 'maintain', 'write'];
const DECIDING = ['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'];

export interface ReviewFact {
  user: string;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING, as the API says. */
  state: string;
  commitId: string | null;
  /** The reviewer's permission; only writers' reviews count. */
  permission: RepoPermission;
}

export interface CommandFacts {
  actor: string;
  actorPermission: RepoPermission;
  pull: { number: number; state: string; headSha: string };
  /** In the order GitHub lists them (oldest first); only needed for /apply. */
  reviews: ReviewFact[];
}

export class CommandRefusedError extends UserError {
  constructor(message: string, hint: string) {
    super(message, { hint });
    this.name = 'CommandRefusedError';
  }
}

/** The latest deciding review (approve, request changes, dismissed) of each user. */
export function latestReviews(reviews: readonly ReviewFact[]): ReviewFact[] {
  const latest = new Map<string, ReviewFact>();
  for (const review of reviews) {
    if (DECIDING.includes(review.state)) latest.set(review.user.toLowerCase(), review);
  }
  return [...latest.values()];
}

/** Throws CommandRefusedError unless the command may run; returns the full SHA to run on. */
export function authoriseCommand(command: CommentCommand, facts: CommandFacts): { sha: string } {
  const { pull } = facts;
  const name = `/${command.command}`;
  if (!WRITERS.includes(facts.actorPermission)) {
    throw new CommandRefusedError(
      `${name} by @${facts.actor} refused: their permission on this repository is "${facts.actorPermission}"; commands need write, maintain or admin.`,
      'Ask someone with write access to comment the command.',
    );
  }
  if (pull.state !== 'open') {
    throw new CommandRefusedError(
      `${name} refused: pull request #${pull.number} is ${pull.state}.`,
      'Commands run on open pull requests only.',
    );
  }
  if (command.command === 'unlock') return { sha: pull.headSha };
  if (!pull.headSha.startsWith(command.sha)) {
    throw new CommandRefusedError(
      `${name} ${command.sha} refused: the head of pull request #${pull.number} is ${pull.headSha}, not ${command.sha}.`,
      `Review the new commits, then comment "${name} ${pull.headSha.slice(0, 12)}${command.target ? ` ${command.target.dir}` : ''}".`,
    );
  }
  if (command.command === 'apply') {
    const deciding = latestReviews(facts.reviews).filter((r) => WRITERS.includes(r.permission));
    const blocking = deciding.filter((r) => r.state === 'CHANGES_REQUESTED');
    if (blocking.length > 0) {
      throw new CommandRefusedError(
        `/apply refused: ${blocking.map((r) => `@${r.user}`).join(', ')} requested changes on pull request #${pull.number}.`,
        'Resolve the requested changes and get an approval of the head commit.',
      );
    }
    if (!deciding.some((r) => r.state === 'APPROVED' && r.commitId === pull.headSha)) {
      throw new CommandRefusedError(
        `/apply refused: pull request #${pull.number} has no approval of its head ${pull.headSha.slice(0, 12)} from a user with write access.`,
        'Get the head commit approved (an approval of an earlier commit does not count), then comment /apply again.',
      );
    }
  }
  return { sha: pull.headSha };
}

interface PermissionResponse {
  permission: string;
  role_name?: string;
}
interface PullResponse {
  number: number;
  state: string;
  head: { sha: string };
}
interface ReviewResponse {
  user: { login: string } | null;
  state: string;
  commit_id: string | null;
}

/** The repository permission of `user`; `none` when GitHub does not know them as a collaborator. */
export async function repoPermission(
  client: GitHubClient,
  coords: { owner: string; repo: string },
  user: string,
): Promise<RepoPermission> {
  try {
    const data = await client.rest<PermissionResponse>(
      `GET /repos/${coords.owner}/${coords.repo}/collaborators/${encodeURIComponent(user)}/permission`,
    );
    // `permission` folds maintain into write and triage into read; `role_name` keeps them
    const name = (data.role_name ?? data.permission) as RepoPermission;
    return ['admin', 'maintain', 'write', 'triage', 'read'].includes(name)
      ? name
      : (data.permission as RepoPermission);
  } catch (error) {
    if (statusOf(error) === 404) return 'none';
    throw error;
  }
}

export async function readCommandFacts(
  client: GitHubClient,
  coords: { owner: string; repo: string },
  request: { actor: string; pr: number; reviews: boolean },
): Promise<CommandFacts> {
  const base = `/repos/${coords.owner}/${coords.repo}`;
  const [actorPermission, pull] = await Promise.all([
    repoPermission(client, coords, request.actor),
    client.rest<PullResponse>(`GET ${base}/pulls/${request.pr}`),
  ]);
  const reviews: ReviewFact[] = [];
  if (request.reviews) {
    const raw: ReviewResponse[] = [];
    for (let page = 1; ; page += 1) {
      const batch = await client.rest<ReviewResponse[]>(`GET ${base}/pulls/${request.pr}/reviews`, {
        per_page: 100,
        page,
      });
      raw.push(...batch);
      if (batch.length < 100) break;
    }
    const permissions = new Map<string, Promise<RepoPermission>>();
    for (const review of raw) {
      const login = review.user?.login;
      if (!login || !DECIDING.includes(review.state)) continue;
      if (!permissions.has(login)) permissions.set(login, repoPermission(client, coords, login));
      reviews.push({
        user: login,
        state: review.state,
        commitId: review.commit_id,
        permission: await permissions.get(login)!,
      });
    }
  }
  return {
    actor: request.actor,
    actorPermission,
    pull: { number: pull.number, state: pull.state, headSha: pull.head.sha },
    reviews,
  };
}
