import { describe, expect, it } from 'vitest';
import {
  checkChainedDuration,
  checkManagedPolicies,
  checkSessionName,
  checkSessionPolicy,
  defaultSessionName,
  sanitizeSessionName,
} from './aws-session.ts';
import { parseRoleChain } from './aws-role-chain.ts';

describe('session names', () => {
  it('builds the default from the run', () => {
    expect(
      defaultSessionName({
        GITHUB_REPOSITORY: 'octo-org/octo-repo',
        GITHUB_RUN_ID: '1000001',
        GITHUB_RUN_ATTEMPT: '2',
      }),
    ).toBe('GitHubActions-octo-repo-1000001-2');
  });

  it('replaces characters outside [\\w+=,.@-] and cuts to 64', () => {
    expect(sanitizeSessionName('my repo/with:odd*chars')).toBe('my-repo-with-odd-chars');
    const long = defaultSessionName({ GITHUB_REPOSITORY: `o/${'r'.repeat(80)}`, GITHUB_RUN_ID: '9' });
    expect(long).toHaveLength(64);
    expect(long).toBe(`GitHubActions-${'r'.repeat(50)}`);
    expect(sanitizeSessionName('x')).toBe('x-');
  });

  it('validates a given name', () => {
    expect(checkSessionName('deploy@web,prod=1')).toBe('deploy@web,prod=1');
    expect(() => checkSessionName('a')).toThrow(
      "Input 'role-session-name' has the value 'a', which is not valid.",
    );
    expect(() => checkSessionName('x'.repeat(65))).toThrow('2 to 64 characters');
  });
});

describe('session limits', () => {
  it('caps chained sessions at 3600 seconds', () => {
    expect(() => checkChainedDuration(7200, 0)).not.toThrow();
    expect(() => checkChainedDuration(3600, 2)).not.toThrow();
    expect(() => checkChainedDuration(3601, 1)).toThrow(
      "Input 'role-duration-seconds' is 3601, but role-chain is set and AWS limits a chained role session to 3600 seconds. Expected a value from 900 to 3600 when role-chain is used.",
    );
  });

  it('checks the session policy and managed policy ARNs', () => {
    expect(checkSessionPolicy('{"Version":"2012-10-17"}')).toBe('{"Version":"2012-10-17"}');
    expect(() => checkSessionPolicy('[]')).toThrow("Input 'session-policy' is not a JSON object");
    expect(() => checkSessionPolicy(JSON.stringify({ p: 'x'.repeat(2050) }))).toThrow(
      'at most 2048 characters',
    );
    expect(() => checkManagedPolicies(['arn:aws:iam::aws:policy/ReadOnlyAccess', 'ReadOnlyAccess'])).toThrow(
      "Input 'managed-session-policies' contains 'ReadOnlyAccess', which is not a managed policy ARN.",
    );
  });
});

describe('parseRoleChain', () => {
  it('reads roles with external ids and tags, skipping comments and blank lines', () => {
    expect(
      parseRoleChain(
        '# first hop\narn:aws:iam::111122223333:role/a external-id=ext:1 tag:team=web tag:cost-center=\n\n  arn:aws:iam::444455556666:role/b  \n',
      ),
    ).toEqual([
      {
        roleArn: 'arn:aws:iam::111122223333:role/a',
        externalId: 'ext:1',
        tags: [
          { key: 'team', value: 'web' },
          { key: 'cost-center', value: '' },
        ],
      },
      { roleArn: 'arn:aws:iam::444455556666:role/b', tags: [] },
    ]);
    expect(parseRoleChain(undefined)).toEqual([]);
  });

  it('names the line of a bad option', () => {
    expect(() =>
      parseRoleChain('arn:aws:iam::111122223333:role/a\narn:aws:iam::111122223333:role/b tag:noequals'),
    ).toThrow("Input 'role-chain' has 'tag:noequals' on line 2, an invalid session tag.");
    expect(() => parseRoleChain('arn:aws:iam::111122223333:role/a external-id=x')).toThrow(
      'an invalid external id',
    );
  });
});
