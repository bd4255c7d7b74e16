import { InputError } from '@slipway/core';

export const SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;
export const MIN_DURATION_SECONDS = 900;
export const MAX_DURATION_SECONDS = 43_200;
/** AWS caps a role-chained session at one hour. */
export const MAX_CHAINED_DURATION_SECONDS = 3600;
export const MAX_MANAGED_POLICIES = 10;
/** STS limit for the plaintext inline session policy. */
export const MAX_SESSION_POLICY_CHARS = 2048;

/**
 * A session name from the run: `GitHubActions-<repo>-<run id>-<attempt>`, with every
 * character outside `[\w+=,.@-]` replaced by `-` and cut to 64 characters.
 */
export function defaultSessionName(env: NodeJS.ProcessEnv): string {
  const repo = (env.GITHUB_REPOSITORY ?? '').split('/').pop() ?? '';
  const parts = ['GitHubActions', repo, env.GITHUB_RUN_ID, env.GITHUB_RUN_ATTEMPT].filter(
    (part): part is string => typeof part === 'string' && part !== '',
  );
  return sanitizeSessionName(parts.join('-'));
}

export function sanitizeSessionName(raw: string): string {
  const cleaned = raw.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return cleaned.length >= 2 ? cleaned : `${cleaned}--`.slice(0, 2);
}

/** Validates a user-given `role-session-name`. */
export function checkSessionName(value: string, input = 'role-session-name'): string {
  if (!SESSION_NAME_PATTERN.test(value)) {
    throw new InputError(
      input,
      `has the value '${value}', which is not valid`,
      '2 to 64 characters from letters, digits and + = , . @ _ -',
    );
  }
  return value;
}

/** Checks `role-duration-seconds` against the chained-session cap before any call is made. */
export function checkChainedDuration(durationSeconds: number, chainLength: number): void {
  if (chainLength > 0 && durationSeconds > MAX_CHAINED_DURATION_SECONDS) {
    throw new InputError(
      'role-duration-seconds',
      `is ${durationSeconds}, but role-chain is set and AWS limits a chained role session to ${MAX_CHAINED_DURATION_SECONDS} seconds`,
      `a value from ${MIN_DURATION_SECONDS} to ${MAX_CHAINED_DURATION_SECONDS} when role-chain is used`,
    );
  }
}

/** Checks the inline `session-policy`: JSON object, within STS's size limit. */
export function checkSessionPolicy(policy: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch (error) {
    throw new InputError(
      'session-policy',
      `is not valid JSON (${(error as Error).message})`,
      'an IAM policy document as JSON',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError('session-policy', 'is not a JSON object', 'an IAM policy document as JSON');
  }
  if (policy.length > MAX_SESSION_POLICY_CHARS) {
    throw new InputError(
      'session-policy',
      `is ${policy.length} characters long`,
      `a policy of at most ${MAX_SESSION_POLICY_CHARS} characters`,
    );
  }
  return policy;
}

const POLICY_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/;

export function checkManagedPolicies(arns: readonly string[]): readonly string[] {
  if (arns.length > MAX_MANAGED_POLICIES) {
    throw new InputError(
      'managed-session-policies',
      `lists ${arns.length} policies`,
      `at most ${MAX_MANAGED_POLICIES} managed policy ARNs`,
    );
  }
  for (const arn of arns) {
    if (!POLICY_ARN.test(arn)) {
      throw new InputError(
        'managed-session-policies',
        `contains '${arn}', which is not a managed policy ARN`,
        'ARNs such as arn:aws:iam::aws:policy/ReadOnlyAccess',
      );
    }
  }
  return arns;
}
