import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.ts';
import { artifactServiceFromEnv, resultsScope } from './artifact-service.ts';

/** An unsigned JWT with these claims: the client reads the token, the service verifies it. */
const jwt = (claims: unknown) =>
  ['{"alg":"none"}', JSON.stringify(claims)]
    .map((part) => Buffer.from(part).toString('base64url'))
    .join('.') + '.c2ln';

describe('resultsScope', () => {
  it.each([
    [
      { scp: 'Actions.GenericRead:00000000 Actions.Results:ce7f54c7-61c7:ca395085-040a' },
      { run: 'ce7f54c7-61c7', job: 'ca395085-040a' },
    ],
    [{ scp: 'Actions.Results:run-1:job-2' }, { run: 'run-1', job: 'job-2' }],
    [{ scp: 'Actions.GenericRead:00000000' }, undefined],
    [{ scp: 'Actions.Results:run-only' }, undefined],
    [{ scp: 'Actions.Results:a:b:c' }, undefined],
    [{ scp: 'Actions.Results::job' }, undefined],
    [{ scp: ['Actions.Results:a:b'] }, undefined],
    [{}, undefined],
    [null, undefined],
  ])('%j -> %j', (claims, scope) => {
    expect(resultsScope(jwt(claims))).toEqual(scope);
  });

  it('reads nothing from what is not a JWT', () => {
    expect(resultsScope('ghs_notajwt')).toBeUndefined();
    expect(resultsScope('a.%%%.c')).toBeUndefined();
  });
});

describe('artifactServiceFromEnv', () => {
  const token = jwt({ scp: 'Actions.Results:run-1:job-2' });

  it('masks the token first and keeps only the origin of the results URL', () => {
    const masked: string[] = [];
    const service = artifactServiceFromEnv(
      {
        ACTIONS_RUNTIME_TOKEN: token,
        ACTIONS_RESULTS_URL: 'https://results-receiver.actions.githubusercontent.com/path/',
      },
      (value) => masked.push(value),
    );
    expect(service).toEqual({
      resultsOrigin: 'https://results-receiver.actions.githubusercontent.com',
      token,
      workflowRunBackendId: 'run-1',
      workflowJobRunBackendId: 'job-2',
    });
    expect(masked[0]).toBe(token);
  });

  it.each([
    [
      {},
      'ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set: there is no artifact service to upload to.',
    ],
    [
      { ACTIONS_RUNTIME_TOKEN: token },
      'ACTIONS_RESULTS_URL is not set: there is no artifact service to upload to.',
    ],
    [
      { ACTIONS_RUNTIME_TOKEN: token, ACTIONS_RESULTS_URL: 'results.example' },
      'ACTIONS_RESULTS_URL (results.example) is not an http(s) URL.',
    ],
    [
      {
        ACTIONS_RUNTIME_TOKEN: jwt({ scp: 'Actions.GenericRead:0' }),
        ACTIONS_RESULTS_URL: 'https://r.example/',
      },
      'ACTIONS_RUNTIME_TOKEN is not a JWT with an `Actions.Results:<run>:<job>` scope, so the artifact service cannot tell which run and job the upload belongs to.',
    ],
  ])('refuses %j, never quoting the token', (env, message) => {
    const masked: string[] = [];
    const refusal = (() => {
      try {
        artifactServiceFromEnv(env, (value) => masked.push(value));
      } catch (error) {
        return error as UserError;
      }
      throw new Error('accepted');
    })();
    expect(refusal).toBeInstanceOf(UserError);
    expect(refusal.message).toBe(message);
    expect(refusal.hint).toMatch(/^The runner sets ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL/);
    const secret = (env as { ACTIONS_RUNTIME_TOKEN?: string }).ACTIONS_RUNTIME_TOKEN;
    if (secret) {
      expect(masked).toContain(secret);
      expect(`${refusal.message}${refusal.hint}`).not.toContain(secret);
    }
  });
});
