/**
 * The pull request comment commands of the Terraform workflow:
 *
 * ```
 * /plan   <sha> [dir[@workspace]]
 * /apply  <sha> [dir[@workspace]]
 * /unlock <dir[@workspace]> <reason...>
 * ```
 *
 * `/plan` and `/apply` name the pull request head they were written against (7 to 40 hex
 * characters); the workflow runs only when that is still the head, and then plans or applies
 * exactly that commit, so a push between the comment and the run cannot slip in unreviewed
 * code. Only the first non-empty line counts; a comment that does not start with one of the
 * three commands is not a command (null). A command with bad arguments throws a UserError
 * that says how to write it.
 */
import { UserError } from '@slipway/core';
import { normalizeDirectory, validateWorkspace, type LockKey } from '../lock/lock-name.ts';

export type CommentCommand =
  | { command: 'plan' | 'apply'; sha: string; target: Partial<LockKey> | null }
  | { command: 'unlock'; target: Partial<LockKey> & { dir: string }; reason: string };

export const COMMAND_USAGE = [
  '/plan <head sha> [dir[@workspace]]',
  '/apply <head sha> [dir[@workspace]]',
  '/unlock <dir[@workspace]> <reason>',
].join(', ');

const SHA = /^[0-9a-f]{7,40}$/;

/** `dir` or `dir@workspace`, normalised as locks name them. */
export function parseTarget(text: string): Partial<LockKey> & { dir: string } {
  const at = text.lastIndexOf('@');
  const dir = normalizeDirectory(at > 0 ? text.slice(0, at) : text, 'directory of the command');
  if (at <= 0) return { dir };
  return { dir, workspace: validateWorkspace(text.slice(at + 1), 'workspace of the command') };
}

export function parseCommentCommand(body: string): CommentCommand | null {
  const first = body.split(/\r?\n/).find((line) => line.trim() !== '');
  const words = (first ?? '').trim().split(/\s+/);
  const name = words[0] ?? '';
  if (!['/plan', '/apply', '/unlock'].includes(name)) return null;
  const args = words.slice(1);
  const usage = (why: string) =>
    new UserError(`"${first!.trim().slice(0, 200)}": ${why}`, { hint: `Write one of: ${COMMAND_USAGE}.` });
  if (name === '/unlock') {
    const [target, ...reason] = args;
    if (!target) throw usage('/unlock needs the directory whose lock to release');
    if (reason.length === 0) throw usage('/unlock needs a reason after the directory');
    return { command: 'unlock', target: parseTarget(target), reason: reason.join(' ') };
  }
  const [sha, target, extra] = args;
  if (!sha || !SHA.test(sha.toLowerCase()))
    throw usage(
      `${name} needs the pull request's head commit SHA first (7 to 40 hex characters), so that it runs only on the commit you reviewed`,
    );
  if (extra !== undefined) throw usage(`${name} takes at most one directory`);
  return {
    command: name === '/plan' ? 'plan' : 'apply',
    sha: sha.toLowerCase(),
    target: target ? parseTarget(target) : null,
  };
}
