import { describe, expect, it } from 'vitest';
import { identityMismatch, validateIdentityPolicy } from './identity-policy.ts';

const ID = 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main';
const GH = 'https://token.actions.githubusercontent.com';

describe('validateIdentityPolicy', () => {
  it('refuses to verify without an identity constraint', () => {
    expect(() => validateIdentityPolicy({ issuer: GH })).toThrow(
      "Input 'certificate-identity' is not set (nor certificate-identity-regexp); verifying without an identity constraint would accept a signature by anyone.",
    );
  });

  it.each([
    [
      { identity: ID, identityRegexp: '.*', issuer: GH },
      "Input 'certificate-identity-regexp' is set together with certificate-identity",
    ],
    [
      { identity: ID, issuer: GH, issuerRegexp: '.*' },
      "Input 'certificate-oidc-issuer-regexp' is set together",
    ],
    [
      { identityRegexp: '(', issuer: GH },
      "Input 'certificate-identity-regexp' is not a valid regular expression",
    ],
    [
      { identity: ID, issuer: GH, sourceRepository: 'https://github.com/octo-org/app' },
      "Input 'certificate-github-workflow-repository' is 'https://github.com/octo-org/app'.",
    ],
    [
      { identity: ID, issuer: GH, sourceRepository: 'octo-org' },
      "Input 'certificate-github-workflow-repository' is 'octo-org'.",
    ],
  ])('rejects %j', (policy, message) => {
    expect(() => validateIdentityPolicy(policy)).toThrow(message);
  });

  it('accepts one identity form with an issuer', () => {
    expect(() => validateIdentityPolicy({ identity: ID, issuer: GH })).not.toThrow();
    expect(() =>
      validateIdentityPolicy({ identityRegexp: '^https://github\\.com/octo-org/', issuer: GH }),
    ).not.toThrow();
  });
});

describe('identityMismatch', () => {
  const signer = { subjectAlternativeName: ID, issuer: GH };
  it.each([
    [{ identity: ID, issuer: GH }, undefined],
    [{ identityRegexp: 'https://github\\.com/octo-org/.*', issuer: GH }, undefined],
    [
      {
        identityRegexp: '.*release\\.yml@refs/heads/main',
        issuerRegexp: '^https://token\\.actions\\.githubusercontent\\.com$',
      },
      undefined,
    ],
    [{ identity: `${ID}x`, issuer: GH }, `signed by '${ID}', not '${ID}x'`],
    [
      { identityRegexp: '^https://github\\.com/evil/', issuer: GH },
      `signed by '${ID}', which does not match /^(?:^https:\\/\\/github\\.com\\/evil\\/)$/`,
    ],
    [
      { identity: ID, issuer: 'https://accounts.google.com' },
      `issued by '${GH}', not 'https://accounts.google.com'`,
    ],
    [{ identity: ID, issuerRegexp: 'gitlab' }, `issued by '${GH}', which does not match /^(?:gitlab)$/`],
  ])('%j', (policy, expected) => {
    expect(identityMismatch(policy, signer)).toBe(expected);
  });

  describe('workflow repository', () => {
    const policy = { identity: ID, issuer: GH, sourceRepository: 'octo-org/app' };
    it.each([
      [{ ...signer, sourceRepository: 'octo-org/app' }, undefined],
      [
        { ...signer, sourceRepository: 'evil-org/app' },
        "signed by a workflow run of 'evil-org/app', not 'octo-org/app'",
      ],
      [
        { ...signer, sourceRepository: 'Octo-Org/app' },
        "signed by a workflow run of 'Octo-Org/app', not 'octo-org/app'",
      ],
      [signer, "the certificate names no GitHub workflow repository, and 'octo-org/app' is required"],
    ])('%j', (who, expected) => {
      expect(identityMismatch(policy, who)).toBe(expected);
    });

    it('is not checked when the policy does not ask for it', () => {
      expect(identityMismatch({ identity: ID, issuer: GH }, { ...signer, sourceRepository: 'x/y' })).toBe(
        undefined,
      );
    });
  });
});

describe('anchored identity regexps', () => {
  const signer = { subjectAlternativeName: ID, issuer: GH };
  it.each([
    // unanchored, each of these matched the identity before
    'https://github\\.com/octo-org/octo-repo/',
    'release\\.yml@refs/heads/main',
    'https://github\\.com/octo-org/octo-repo/\\.github/workflows/release\\.yml@refs/heads/ma',
    'octo-repo|nothing',
  ])('a regexp that matches only part of the identity (%s) is refused', (identityRegexp) => {
    expect(identityMismatch({ identityRegexp, issuer: GH }, signer)).toMatch(/which does not match/);
  });

  it('the issuer regexp must match the whole issuer too', () => {
    expect(identityMismatch({ identity: ID, issuerRegexp: 'https://token' }, signer)).toMatch(
      /which does not match/,
    );
  });
});

describe('regexp syntax JavaScript and RE2 read differently', () => {
  it.each([
    ['(a)\\1', 'a backreference'],
    ['(?<n>a)\\k<n>', 'a named group'],
    ['x\\k<n>', 'a named backreference'],
    ['https://github\\.com/(?!evil)', 'lookaround'],
    ['(?<=x)y', 'lookaround'],
    ['(?i)HTTPS://github', 'an inline flag group'],
    ['(?P<n>a)', 'a named group'],
    ['\\Ahttps://', 'the RE2-only escape \\A'],
    ['x\\z', 'the RE2-only escape \\z'],
    ['[]a]', 'a character class that starts with ]'],
  ])('%s is refused with an input error', (identityRegexp, what) => {
    expect(() => validateIdentityPolicy({ identityRegexp, issuer: GH })).toThrow(
      `Input 'certificate-identity-regexp' uses ${what} at offset`,
    );
  });

  it('names the issuer regexp input when that is the one', () => {
    expect(() => validateIdentityPolicy({ identity: ID, issuerRegexp: '(?=x)' })).toThrow(
      "Input 'certificate-oidc-issuer-regexp' uses lookaround",
    );
  });

  it.each([
    'https://github\\.com/octo-org/[a-z-]+/\\.github/workflows/release\\.yml@refs/tags/v[0-9.]+',
    '[\\]a]',
    '(?:a|b)\\d+',
  ])('accepts %s', (identityRegexp) => {
    expect(() => validateIdentityPolicy({ identityRegexp, issuer: GH })).not.toThrow();
  });
});

describe('run constraints', () => {
  const CALLER = 'octo-org/app/.github/workflows/release.yml';
  const signer = {
    subjectAlternativeName: ID,
    issuer: GH,
    sourceRepository: 'octo-org/app',
    sourceRepositoryRef: 'refs/heads/main',
    trigger: 'push',
    buildConfigUri: `https://github.com/${CALLER}@refs/heads/main`,
    sourceRepositoryId: '700001',
    sourceRepositoryOwnerId: '900001',
  };
  const policy = {
    identity: ID,
    issuer: GH,
    sourceRepository: 'octo-org/app',
    sourceRepositoryRef: 'refs/heads/main',
    allowedTriggers: ['push'],
    callerWorkflow: CALLER,
    sourceRepositoryId: '700001',
    sourceRepositoryOwnerId: '900001',
  };

  it('the production run passes every constraint', () => {
    expect(identityMismatch(policy, signer)).toBeUndefined();
    expect(
      identityMismatch({ ...policy, callerWorkflow: `${CALLER}@refs/heads/main` }, signer),
    ).toBeUndefined();
    expect(identityMismatch({ ...policy, allowedTriggers: ['release', 'push'] }, signer)).toBeUndefined();
  });

  it.each([
    [
      'a feature-branch push',
      {
        sourceRepositoryRef: 'refs/heads/feature',
        buildConfigUri: `https://github.com/${CALLER}@refs/heads/feature`,
      },
      "signed by a run on 'refs/heads/feature', not 'refs/heads/main'",
    ],
    [
      'a pull request run',
      { trigger: 'pull_request' },
      "signed by a run triggered by 'pull_request', not 'push'",
    ],
    [
      'another caller workflow',
      { buildConfigUri: 'https://github.com/octo-org/app/.github/workflows/debug.yml@refs/heads/main' },
      "signed by a run of the workflow 'octo-org/app/.github/workflows/debug.yml@refs/heads/main', not 'octo-org/app/.github/workflows/release.yml'",
    ],
    [
      'a re-created repository of the same name',
      { sourceRepositoryId: '800002' },
      'signed in repository ID 800002, not 700001 (a repository of that name was deleted and re-created, or it is another repository)',
    ],
    [
      'another owner ID',
      { sourceRepositoryOwnerId: '900002' },
      'signed in a repository of owner ID 900002, not 900001',
    ],
    [
      'no ref claim',
      { sourceRepositoryRef: undefined },
      "the certificate names no source repository ref, and 'refs/heads/main' is required",
    ],
    [
      'no trigger claim',
      { trigger: undefined },
      'the certificate names no build trigger, and one of push is required',
    ],
    [
      'no build config claim',
      { buildConfigUri: undefined },
      "the certificate names no build config (caller workflow), and 'octo-org/app/.github/workflows/release.yml' is required",
    ],
    [
      'no repository ID claim',
      { sourceRepositoryId: undefined },
      "the certificate names no source repository ID, and '700001' is required",
    ],
  ])('%s is refused', (_what, change, reason) => {
    const who = Object.fromEntries(
      Object.entries({ ...signer, ...change }).filter((e) => e[1] !== undefined),
    ) as typeof signer;
    expect(identityMismatch(policy, who)).toBe(reason);
  });

  it('the caller workflow with @ref must match the ref too', () => {
    expect(
      identityMismatch(
        { ...policy, sourceRepositoryRef: undefined, callerWorkflow: `${CALLER}@refs/heads/main` },
        {
          ...signer,
          buildConfigUri: `https://github.com/${CALLER}@refs/tags/v1`,
        },
      ),
    ).toBe(`signed by a run of the workflow '${CALLER}@refs/tags/v1', not '${CALLER}@refs/heads/main'`);
  });

  it.each([
    [{ sourceRepositoryRef: 'main' }, "Input 'source-repository-ref' is 'main'. Expected a full ref"],
    [{ allowedTriggers: ['push', 'pull request'] }, "Input 'allowed-triggers' is 'pull request'."],
    [
      { callerWorkflow: 'https://github.com/o/r/.github/workflows/x.yml' },
      "Input 'caller-workflow' is 'https://github.com/o/r/.github/workflows/x.yml'.",
    ],
    [{ callerWorkflow: 'o/r/release.yml' }, "Input 'caller-workflow' is 'o/r/release.yml'."],
    [
      { callerWorkflow: 'o/r/.github/workflows/x.yml@main' },
      "Input 'caller-workflow' is 'o/r/.github/workflows/x.yml@main'.",
    ],
    [
      { sourceRepositoryId: 'octo-org/app' },
      "Input 'source-repository-id' is 'octo-org/app'. Expected a numeric repository ID",
    ],
    [{ sourceRepositoryOwnerId: '-1' }, "Input 'source-repository-owner-id' is '-1'."],
  ])('rejects %j', (change, message) => {
    expect(() => validateIdentityPolicy({ ...policy, ...change })).toThrow(message);
  });
});
