/**
 * Who must have signed: a certificate identity (exact, or a regular expression
 * that must match the whole identity), the OIDC issuer that vouched for it
 * (exact or regexp) and, for GitHub Actions certificates, the run that signed:
 * the repository (name and numeric IDs, against a deleted-and-recreated
 * "repo-jacked" name), the ref it ran on, the event that triggered it and the
 * caller's workflow file. For a shared reusable workflow the identity (SAN) is
 * the same for every caller, branch and event, so only these claims tell a
 * production build from a feature-branch push or a pull request run.
 * Verification refuses to start without an identity constraint.
 *
 * Regular expressions are anchored here (`^(?:…)$`) and limited to the syntax
 * JavaScript and Go's RE2 (cosign) read alike, so both engines accept the same
 * identities.
 */
import { InputError } from '@slipway/core';
import { REPOSITORY_PATTERN, type WorkflowClaims } from './certificate-claims.ts';
import { checkPortableRegexp } from './portable-regexp.ts';

export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

export interface IdentityPolicy {
  identity?: string;
  identityRegexp?: string;
  issuer?: string;
  issuerRegexp?: string;
  /** `owner/repo` that must have run the signing workflow (GitHub Actions certificates). */
  sourceRepository?: string;
  /** The ref the run was on, e.g. `refs/heads/main` (extension .1.14, legacy .1.6). */
  sourceRepositoryRef?: string;
  /** Event names the run may have been triggered by (extension .1.20, legacy .1.2). */
  allowedTriggers?: readonly string[];
  /** `OWNER/REPO/.github/workflows/FILE` with an optional `@REF`: the caller's workflow (extension .1.18). */
  callerWorkflow?: string;
  /** Numeric repository ID (extension .1.15). */
  sourceRepositoryId?: string;
  /** Numeric repository owner ID (extension .1.17). */
  sourceRepositoryOwnerId?: string;
}

export interface SignerIdentity extends WorkflowClaims {
  subjectAlternativeName?: string;
  issuer?: string;
}

export const REF_PATTERN = /^refs\/[^\s]+$/;
export const TRIGGER_PATTERN = /^[a-z_]+$/;
export const CALLER_WORKFLOW_PATTERN =
  /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/\.github\/workflows\/[^\s@]+\.ya?ml(@refs\/[^\s]+)?$/;
export const NUMERIC_ID_PATTERN = /^[1-9][0-9]*$/;

/** Throws InputError unless exactly one identity form is set and every constraint is well formed. */
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
  const check = (input: string, value: string | undefined, pattern: RegExp, form: string) => {
    if (value !== undefined && !pattern.test(value)) throw new InputError(input, `is '${value}'`, form);
  };
  check(
    'certificate-github-workflow-repository',
    policy.sourceRepository,
    REPOSITORY_PATTERN,
    'a repository as OWNER/REPO, e.g. `octo-org/octo-repo` (what `github.repository` gives)',
  );
  check(
    'source-repository-ref',
    policy.sourceRepositoryRef,
    REF_PATTERN,
    'a full ref such as `refs/heads/main` or `refs/tags/v1.2.3`',
  );
  for (const trigger of policy.allowedTriggers ?? [])
    check(
      'allowed-triggers',
      trigger,
      TRIGGER_PATTERN,
      'event names, comma or newline separated, e.g. `push` or `push, release`',
    );
  check(
    'caller-workflow',
    policy.callerWorkflow,
    CALLER_WORKFLOW_PATTERN,
    'OWNER/REPO/.github/workflows/FILE.yml, optionally with @REF (e.g. `octo-org/app/.github/workflows/release.yml@refs/heads/main`)',
  );
  check(
    'source-repository-id',
    policy.sourceRepositoryId,
    NUMERIC_ID_PATTERN,
    'a numeric repository ID (`github.repository_id`)',
  );
  check(
    'source-repository-owner-id',
    policy.sourceRepositoryOwnerId,
    NUMERIC_ID_PATTERN,
    'a numeric owner ID (`github.repository_owner_id`)',
  );
  compile('certificate-identity-regexp', policy.identityRegexp);
  compile('certificate-oidc-issuer-regexp', policy.issuerRegexp);
}

/** `^(?:source)$`: what both engines match, so a regexp always covers the whole value. */
export function anchoredRegexp(source: string): string {
  return `^(?:${source})$`;
}

function compile(input: string, source: string | undefined): RegExp | undefined {
  if (source === undefined) return undefined;
  checkPortableRegexp(input, source);
  try {
    return new RegExp(anchoredRegexp(source), 'u');
  } catch (error) {
    throw new InputError(
      input,
      `is not a valid regular expression (${(error as Error).message})`,
      'a regular expression in the syntax JavaScript and Go RE2 share',
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
    return `signed by '${san}', which does not match /${identityRe.source}/`;
  if (policy.issuer !== undefined && issuer !== policy.issuer)
    return `issued by '${issuer}', not '${policy.issuer}'`;
  const issuerRe = compile('certificate-oidc-issuer-regexp', policy.issuerRegexp);
  if (issuerRe && !issuerRe.test(issuer))
    return `issued by '${issuer}', which does not match /${issuerRe.source}/`;
  return workflowClaimsMismatch(policy, signer);
}

function workflowClaimsMismatch(policy: IdentityPolicy, signer: WorkflowClaims): string | undefined {
  const absent = (claim: string, required: string) =>
    `the certificate names no ${claim}, and ${required} is required`;
  if (policy.sourceRepository !== undefined && signer.sourceRepository !== policy.sourceRepository) {
    return signer.sourceRepository === undefined
      ? absent('GitHub workflow repository', `'${policy.sourceRepository}'`)
      : `signed by a workflow run of '${signer.sourceRepository}', not '${policy.sourceRepository}'`;
  }
  if (policy.sourceRepositoryId !== undefined && signer.sourceRepositoryId !== policy.sourceRepositoryId) {
    return signer.sourceRepositoryId === undefined
      ? absent('source repository ID', `'${policy.sourceRepositoryId}'`)
      : `signed in repository ID ${signer.sourceRepositoryId}, not ${policy.sourceRepositoryId} (a repository of that name was deleted and re-created, or it is another repository)`;
  }
  if (
    policy.sourceRepositoryOwnerId !== undefined &&
    signer.sourceRepositoryOwnerId !== policy.sourceRepositoryOwnerId
  ) {
    return signer.sourceRepositoryOwnerId === undefined
      ? absent('source repository owner ID', `'${policy.sourceRepositoryOwnerId}'`)
      : `signed in a repository of owner ID ${signer.sourceRepositoryOwnerId}, not ${policy.sourceRepositoryOwnerId}`;
  }
  if (policy.sourceRepositoryRef !== undefined && signer.sourceRepositoryRef !== policy.sourceRepositoryRef) {
    return signer.sourceRepositoryRef === undefined
      ? absent('source repository ref', `'${policy.sourceRepositoryRef}'`)
      : `signed by a run on '${signer.sourceRepositoryRef}', not '${policy.sourceRepositoryRef}'`;
  }
  const triggers = policy.allowedTriggers;
  if (triggers !== undefined && triggers.length > 0) {
    if (signer.trigger === undefined) return absent('build trigger', `one of ${triggers.join(', ')}`);
    if (!triggers.includes(signer.trigger))
      return `signed by a run triggered by '${signer.trigger}', not ${triggers.map((t) => `'${t}'`).join(' or ')}`;
  }
  if (policy.callerWorkflow !== undefined) {
    const caller = callerWorkflowOf(signer.buildConfigUri);
    if (caller === undefined) return absent('build config (caller workflow)', `'${policy.callerWorkflow}'`);
    const wanted = policy.callerWorkflow;
    const at = caller.indexOf('@');
    const got = wanted.includes('@') || at < 0 ? caller : caller.slice(0, at);
    if (got !== wanted) return `signed by a run of the workflow '${caller}', not '${wanted}'`;
  }
  return undefined;
}

/** `OWNER/REPO/.github/workflows/FILE@REF` from a Build Config URI (scheme and host dropped). */
export function callerWorkflowOf(buildConfigUri: string | undefined): string | undefined {
  if (buildConfigUri === undefined) return undefined;
  const match = /^https:\/\/[^/]+\/(.+)$/.exec(buildConfigUri);
  return match?.[1];
}
