import { describe, expect, it } from 'vitest';
import { UserError } from '@slipway/core';
import { parseCommentCommand } from './comment-command.ts';

const SHA = 'a'.repeat(40);

describe('parseCommentCommand', () => {
  it('reads /plan and /apply with the head SHA and an optional dir[@workspace]', () => {
    expect(parseCommentCommand(`/plan ${SHA}`)).toEqual({ command: 'plan', sha: SHA, target: null });
    expect(parseCommentCommand(`\n  /apply ABCDEF1 ./infra//prod/@staging\nthanks`)).toEqual({
      command: 'apply',
      sha: 'abcdef1',
      target: { dir: 'infra/prod', workspace: 'staging' },
    });
    expect(parseCommentCommand(`/apply ${SHA} infra/prod`)).toEqual({
      command: 'apply',
      sha: SHA,
      target: { dir: 'infra/prod' },
    });
  });

  it('reads /unlock with a directory and a reason of several words', () => {
    expect(parseCommentCommand('/unlock infra/prod the plan of #12 was abandoned')).toEqual({
      command: 'unlock',
      target: { dir: 'infra/prod' },
      reason: 'the plan of #12 was abandoned',
    });
  });

  it('is not a command when the first line does not start with one', () => {
    for (const body of ['LGTM', 'please /apply later', '/planet', '', '/applyall x', 'ok\n/apply ' + SHA])
      expect(parseCommentCommand(body)).toBeNull();
  });

  it('refuses commands without a valid SHA, with a usage hint', () => {
    for (const body of ['/apply', '/plan infra/prod', '/apply abc12', `/apply ${SHA}0`, '/plan zzzzzzz']) {
      const error = (() => {
        try {
          parseCommentCommand(body);
        } catch (thrown) {
          return thrown as UserError;
        }
        return undefined;
      })();
      expect(error, body).toBeInstanceOf(UserError);
      expect(error!.message).toMatch(/head commit SHA first/);
      expect(error!.hint).toContain('/apply <head sha> [dir[@workspace]]');
    }
  });

  it('refuses /unlock without a reason, paths leaving the repository and bad workspaces', () => {
    expect(() => parseCommentCommand('/unlock infra/prod')).toThrow(/needs a reason/);
    expect(() => parseCommentCommand('/unlock')).toThrow(/needs the directory/);
    expect(() => parseCommentCommand(`/plan ${SHA} ../outside`)).toThrow(/leaves the repository/);
    expect(() => parseCommentCommand(`/plan ${SHA} infra@bad/ws`)).toThrow(/not a valid workspace/);
    expect(() => parseCommentCommand(`/plan ${SHA} a b`)).toThrow(/at most one directory/);
  });
});
