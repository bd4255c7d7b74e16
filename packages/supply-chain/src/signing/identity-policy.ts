/**
 * Who must have signed: a certificate identity (exact, or an unanchored regular
 * expression as cosign's `--certificate-identity-regexp`), the OIDC issuer
 * that vouched for it (exact or regexp) and, optionally, the repository whose
 * workflow run signed (for a shared reusable workflow the identity is the same
 * for every caller, so only this tells callers apart). Verification refuses to
 * start without an identity constraint: a signature by anyone proves nothing.
 */
import { InputError } from '@slipway/core';
import { REPOSITORY_PATTERN } from './certificate-claims.ts';

export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

export interface IdentityPolicy {
  identity?: string;
  identityRegexp?: string;
  issuer?: string;
  issuerRegexp?: string;
  /** `owner/repo` that must have run the signing workflow (GitHub Actions certificates). */
  sourceRepository?: string;
}

export interface SignerIdentity {
  subjectAlternativeName?: string;
  issuer?: string;
  /** From the certificate's GitHub workflow repository claim, when it has one. */
  sourceRepository?: string;
}

/** Throws InputError unless exactly one identity form is set and regexps compile. */
export function validateIdentityPolicy(policy: IdentityPolicy): void {
  if (!policy.identity && !policy.identityRegexp) {
    throw new InputError(
      'certificate-identity',
      'is not set (nor certificate-identity-regexp); verifying without an identity constraint would accept a signature by anyone',
      'the signing workflow identity, e.g. `https://github.com/OWNER/REPO/.github/workflows/release.yml@refs/heads/main`',
    );
  }
  if (policy.identity && policy.identityRegexp) {
    throw new InputError(
      'certificate-identity-regexp',
      'is set together with certificate-identity',
      'only one of the two',
    );
  }
  if (policy.issuer && policy.issuerRegexp) {
    throw new InputError(
      'certificate-oidc-issuer-regexp',
      'is set together with certificate-oidc-issuer',
      'only one of the two',
    );
  }
  if (policy.sourceRepository !== undefined && !REPOSITORY_PATTERN.test(policy.sourceRepository)) {
    throw new InputError(
      'certificate-github-workflow-repository',
      `is '${policy.sourceRepository}'`,
      'a repository as OWNER/REPO, e.g. `octo-org/octo-repo` (what `github.repository` gives)',
    );
  }
  compile('certificate-identity-regexp', policy.identityRegexp);
  compile('certificate-oidc-issuer-regexp', policy.issuerRegexp);
}

function compile(input: string, source: string | undefined): RegExp | undefined {
  if (source === undefined) return undefined;
  try {
    return new RegExp(source);
  } catch (error) {
    throw new InputError(
      input,
      `is not a valid regular expression (${(error as Error).message})`,
      'a regular expression',
    );
  }
}

/** Undefined when the signer satisfies the policy, else the reason it does not. */
export function identityMismatch(policy: IdentityPolicy, signer: SignerIdentity): string | undefined {
  const san = signer.subjectAlternativeName ?? '';
  const issuer = signer.issuer ?? '';
  if (policy.identity !== undefined && san !== policy.identity)
    return `signed by '${san}', not '${policy.identity}'`;
  const identityRe = compile('certificate-identity-regexp', policy.identityRegexp);
  if (identityRe && !identityRe.test(san))
    return `signed by '${san}', which does not match /${policy.identityRegexp}/`;
  if (policy.issuer !== undefined && issuer !== policy.issuer)
    return `issued by '${issuer}', not '${policy.issuer}'`;
  const issuerRe = compile('certificate-oidc-issuer-regexp', policy.issuerRegexp);
  if (issuerRe && !issuerRe.test(issuer))
    return `issued by '${issuer}', which does not match /${policy.issuerRegexp}/`;
  if (policy.sourceRepository !== undefined && signer.sourceRepository !== policy.sourceRepository) {
    return signer.sourceRepository === undefined
      ? `the certificate names no GitHub workflow repository, and '${policy.sourceRepository}' is required`
      : `signed by a workflow run of '${signer.sourceRepository}', not '${policy.sourceRepository}'`;
  }
  return undefined;
}
