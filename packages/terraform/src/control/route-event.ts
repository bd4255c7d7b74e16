/**
 * What one event asks of the Terraform workflow (the `route` job):
 *
 * | event | action |
 * | --- | --- |
 * | `pull_request` opened, synchronize, reopened, ready_for_review | `plan` the changed roots at the head |
 * | `pull_request` closed | `release` the pull request's locks (see `locksToRelease`) |
 * | `issue_comment` created on a pull request, `/plan` / `/apply` / `/unlock` | `plan` / `apply` / `unlock`, once authorised |
 * | `push` to the default branch | `apply` the reviewed plans of the pushed tree |
 * | anything else (other comments, other branches) | `none` |
 *
 * A comment command that is refused throws (CommandRefusedError, or UserError for bad syntax),
 * after replying on the pull request with the reason when `options.replyToRefusals` is set.
 */
import { UserError } from '@slipway/core';
import { listLocks } from '../lock/lock-list.ts';
import type { LockKey } from '../lock/lock-name.ts';
import { authoriseCommand, readCommandFacts } from './command-gate.ts';
import { parseCommentCommand, type CommentCommand } from './comment-command.ts';
import { postRefusalReply } from './refusal-reply.ts';
import {
  applyEntriesForCommand,
  applyEntriesForPush,
  planEntries,
  type ApplyEntry,
  type Coordinates,
  type PlanEntry,
} from './run-matrix.ts';

export type Route =
  | { action: 'none'; reason: string }
  | { action: 'plan'; pr: number; sha: string; entries: PlanEntry[]; warnings: string[] }
  | { action: 'apply'; pr: number; sha: string; entries: ApplyEntry[]; warnings: string[] }
  | {
      action: 'unlock';
      pr: number;
      sha: string;
      target: Partial<LockKey> & { dir: string };
      reason: string;
      actor: string;
    }
  | { action: 'release'; pr: number; mergeCommit: string | null };

/** The parts of GitHub's webhook payloads this reads. */
export interface WorkflowEvent {
  action?: string;
  ref?: string;
  after?: string;
  repository?: { default_branch?: string };
  pull_request?: {
    number: number;
    head: { sha: string };
    merged?: boolean;
    merge_commit_sha?: string | null;
  };
  issue?: { number: number; pull_request?: unknown };
  comment?: { body?: string; user?: { login: string } };
}

const PLAN_ACTIONS = ['opened', 'synchronize', 'reopened', 'ready_for_review'];

export interface RouteOptions {
  /** Reply on the pull request when a comment command is refused (needs `pull-requests: write`). */
  replyToRefusals?: boolean;
  /** The run, linked from the reply. */
  runUrl?: string | undefined;
  /** Where a failure to post the reply is reported; the refusal itself is thrown regardless. */
  warn?: (message: string) => void;
}

export async function routeEvent(
  at: Coordinates,
  eventName: string,
  event: WorkflowEvent,
  options: RouteOptions = {},
): Promise<Route> {
  const coords = { owner: at.owner, repo: at.repo };
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const pull = event.pull_request!;
    if (event.action === 'closed') {
      return {
        action: 'release',
        pr: pull.number,
        mergeCommit: pull.merged ? (pull.merge_commit_sha ?? null) : null,
      };
    }
    if (!PLAN_ACTIONS.includes(event.action ?? ''))
      return { action: 'none', reason: `pull_request ${event.action} plans nothing` };
    const { entries, warnings } = await planEntries(
      at,
      { number: pull.number, headSha: pull.head.sha },
      null,
    );
    return { action: 'plan', pr: pull.number, sha: pull.head.sha, entries, warnings };
  }
  if (eventName === 'issue_comment') {
    if (event.action !== 'created' || !event.issue?.pull_request)
      return { action: 'none', reason: 'not a new comment on a pull request' };
    const body = event.comment?.body ?? '';
    const pr = event.issue.number;
    let command: CommentCommand | null = null;
    try {
      command = parseCommentCommand(body);
      if (!command)
        return { action: 'none', reason: 'the comment is not a /plan, /apply or /unlock command' };
      return await routeCommand(at, command, event.comment?.user?.login ?? '', pr);
    } catch (error) {
      if (options.replyToRefusals && error instanceof UserError) {
        const reply = { command: command?.command ?? null, error, runUrl: options.runUrl };
        await postRefusalReply(at.client, { ...coords, pr }, reply).catch((failure: unknown) =>
          options.warn?.(`Could not reply to the refused command on #${pr}: ${(failure as Error).message}`),
        );
      }
      throw error;
    }
  }
  if (eventName === 'push') {
    const branch = event.repository?.default_branch;
    if (!branch || event.ref !== `refs/heads/${branch}` || !event.after)
      return { action: 'none', reason: `a push to ${event.ref ?? '?'}, not to the default branch` };
    const locks = await listLocks(at.client, at.owner, at.repo);
    const { entries, warnings } = await applyEntriesForPush(at, event.after, locks);
    return { action: 'apply', pr: 0, sha: event.after, entries, warnings };
  }
  return { action: 'none', reason: `${eventName} events are not handled` };
}

/** An authorised /plan, /apply or /unlock; throws when it is refused. */
async function routeCommand(
  at: Coordinates,
  command: CommentCommand,
  actor: string,
  pr: number,
): Promise<Route> {
  const coords = { owner: at.owner, repo: at.repo };
  const facts = await readCommandFacts(at.client, coords, {
    actor,
    pr,
    reviews: command.command === 'apply',
  });
  const { sha } = authoriseCommand(command, facts);
  if (command.command === 'unlock')
    return { action: 'unlock', pr, sha, target: command.target, reason: command.reason, actor };
  const pull = { number: pr, headSha: sha };
  if (command.command === 'plan') {
    const { entries, warnings } = await planEntries(at, pull, command.target);
    return { action: 'plan', pr, sha, entries, warnings };
  }
  const [roots, locks] = await Promise.all([
    planEntries(at, pull, command.target),
    listLocks(at.client, at.owner, at.repo),
  ]);
  const entries = applyEntriesForCommand(roots.entries, locks, pull, command.target);
  return { action: 'apply', pr, sha, entries, warnings: roots.warnings };
}
