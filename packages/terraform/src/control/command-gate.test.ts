import { describe, expect, it } from 'vitest';
import { authoriseCommand, CommandRefusedError, latestReviews, type CommandFacts } from './command-gate.ts';
import type { CommentCommand } from './comment-command.ts';

const HEAD = '1234567890abcdef1234567890abcdef12345678';
const OLD = 'f'.repeat(40);

const facts = (over: Partial<CommandFacts> = {}): CommandFacts => ({
  actor: 'alice',
  actorPermission: 'write',
  pull: { number: 7, state: 'open', headSha: HEAD },
  reviews: [{ user: 'bob', state: 'APPROVED', commitId: HEAD, permission: 'maintain' }],
  ...over,
});
const apply = (sha = HEAD): CommentCommand => ({ command: 'apply', sha, target: null });
const plan = (sha = HEAD): CommentCommand => ({ command: 'plan', sha, target: null });

function refusal(command: CommentCommand, f: CommandFacts): string {
  try {
    authoriseCommand(command, f);
  } catch (error) {
    expect(error).toBeInstanceOf(CommandRefusedError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('authoriseCommand', () => {
  it('allows writers, maintainers and admins and returns the full head SHA for a prefix', () => {
    for (const permission of ['write', 'maintain', 'admin'] as const)
      expect(authoriseCommand(apply(HEAD.slice(0, 7)), facts({ actorPermission: permission }))).toEqual({
        sha: HEAD,
      });
  });

  it('refuses anyone below write, naming the permission', () => {
    for (const permission of ['triage', 'read', 'none'] as const)
      expect(refusal(plan(), facts({ actorPermission: permission }))).toBe(
        `/plan by @alice refused: their permission on this repository is "${permission}"; commands need write, maintain or admin.`,
      );
    expect(
      refusal({ command: 'unlock', target: { dir: 'x' }, reason: 'r' }, facts({ actorPermission: 'read' })),
    ).toMatch(/^\/unlock by @alice refused/);
  });

  it('refuses a SHA that is not the head (a push after the comment), and closed pull requests', () => {
    expect(refusal(apply(OLD), facts())).toBe(
      `/apply ${OLD} refused: the head of pull request #7 is ${HEAD}, not ${OLD}.`,
    );
    expect(refusal(plan('1234567890abcdef0'), facts())).toMatch(/not 1234567890abcdef0/);
    expect(refusal(plan(), facts({ pull: { number: 7, state: 'closed', headSha: HEAD } }))).toMatch(
      /#7 is closed/,
    );
  });

  it('/apply needs an approval of the head by a writer; /plan does not', () => {
    expect(authoriseCommand(plan(), facts({ reviews: [] }))).toEqual({ sha: HEAD });
    expect(refusal(apply(), facts({ reviews: [] }))).toMatch(/no approval of its head 1234567890ab/);
    // approval of an older commit
    expect(
      refusal(
        apply(),
        facts({ reviews: [{ user: 'bob', state: 'APPROVED', commitId: OLD, permission: 'write' }] }),
      ),
    ).toMatch(/no approval/);
    // approval by someone without write access
    expect(
      refusal(
        apply(),
        facts({ reviews: [{ user: 'eve', state: 'APPROVED', commitId: HEAD, permission: 'read' }] }),
      ),
    ).toMatch(/no approval/);
    // approved, then dismissed
    expect(
      refusal(
        apply(),
        facts({
          reviews: [
            { user: 'bob', state: 'APPROVED', commitId: HEAD, permission: 'write' },
            { user: 'bob', state: 'DISMISSED', commitId: HEAD, permission: 'write' },
          ],
        }),
      ),
    ).toMatch(/no approval/);
  });

  it('/apply is refused while a writer requests changes, even with another approval', () => {
    const reviews = [
      { user: 'bob', state: 'APPROVED', commitId: HEAD, permission: 'write' as const },
      { user: 'carol', state: 'CHANGES_REQUESTED', commitId: HEAD, permission: 'admin' as const },
      { user: 'carol', state: 'COMMENTED', commitId: HEAD, permission: 'admin' as const },
    ];
    expect(refusal(apply(), facts({ reviews }))).toBe(
      '/apply refused: @carol requested changes on pull request #7.',
    );
    // carol approves later: her latest deciding review counts
    reviews.push({ user: 'Carol', state: 'APPROVED', commitId: HEAD, permission: 'admin' });
    expect(authoriseCommand(apply(), facts({ reviews }))).toEqual({ sha: HEAD });
  });
});

describe('latestReviews', () => {
  it('keeps the last deciding review per user; comments do not replace an approval', () => {
    const latest = latestReviews([
      { user: 'bob', state: 'CHANGES_REQUESTED', commitId: OLD, permission: 'write' },
      { user: 'bob', state: 'APPROVED', commitId: HEAD, permission: 'write' },
      { user: 'bob', state: 'COMMENTED', commitId: HEAD, permission: 'write' },
    ]);
    expect(latest).toEqual([{ user: 'bob', state: 'APPROVED', commitId: HEAD, permission: 'write' }]);
  });
});
