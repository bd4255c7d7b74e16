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
    [{ identityRegexp: '^https://github\\.com/octo-org/', issuer: GH }, undefined],
    [
      {
        identityRegexp: 'release\\.yml@refs/heads/main$',
        issuerRegexp: '^https://token\\.actions\\.githubusercontent\\.com$',
      },
      undefined,
    ],
    [{ identity: `${ID}x`, issuer: GH }, `signed by '${ID}', not '${ID}x'`],
    [
      { identityRegexp: '^https://github\\.com/evil/', issuer: GH },
      `signed by '${ID}', which does not match /^https://github\\.com/evil//`,
    ],
    [
      { identity: ID, issuer: 'https://accounts.google.com' },
      `issued by '${GH}', not 'https://accounts.google.com'`,
    ],
    [{ identity: ID, issuerRegexp: 'gitlab' }, `issued by '${GH}', which does not match /gitlab/`],
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
