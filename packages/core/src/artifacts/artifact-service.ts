/**
 * Where a job's artifacts go: the runner hands a JavaScript action
 * ACTIONS_RESULTS_URL (the results service; only its origin is used) and
 * ACTIONS_RUNTIME_TOKEN, a JWT whose `scp` claim holds
 * `Actions.Results:<workflowRunBackendId>:<workflowJobRunBackendId>` among
 * space-separated scopes. The token is read, not verified (the service does
 * that), and masked the moment it is read.
 */
import { UserError } from '../errors.ts';
import { maskSecret, type MaskSink } from '../masking.ts';

export interface ArtifactService {
  /** Origin of ACTIONS_RESULTS_URL, without a trailing slash. */
  resultsOrigin: string;
  /** The bearer token for the Twirp calls. */
  token: string;
  workflowRunBackendId: string;
  workflowJobRunBackendId: string;
}

const RUNNER_HINT =
  'The runner sets ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL for JavaScript actions; run the step in a GitHub Actions job on GitHub.com or GHE.com, without overriding them in `env:`.';

/** The `Actions.Results:<run>:<job>` ids of a runtime token's `scp` claim, if it has them. */
export function resultsScope(token: string): { run: string; job: string } | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const scp = (claims as { scp?: unknown } | null)?.scp;
  if (typeof scp !== 'string') return undefined;
  for (const scope of scp.split(' ')) {
    const parts = scope.split(':');
    if (parts[0] !== 'Actions.Results') continue;
    const [, run, job] = parts;
    return parts.length === 3 && run && job ? { run, job } : undefined;
  }
  return undefined;
}

/**
 * The artifact service of this job, from the runner's environment; the token is
 * registered with `mask` first. A missing variable or a token without the
 * results scope is a UserError that never quotes the token.
 */
export function artifactServiceFromEnv(
  env: Record<string, string | undefined>,
  mask: MaskSink,
): ArtifactService {
  const token = env.ACTIONS_RUNTIME_TOKEN ?? '';
  if (token) maskSecret(token, mask);
  const results = env.ACTIONS_RESULTS_URL ?? '';
  const missing = [token ? '' : 'ACTIONS_RUNTIME_TOKEN', results ? '' : 'ACTIONS_RESULTS_URL'].filter(
    Boolean,
  );
  if (missing.length > 0)
    throw new UserError(
      `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: there is no artifact service to upload to.`,
      { hint: RUNNER_HINT },
    );
  if (!URL.canParse(results) || !/^https?:$/.test(new URL(results).protocol))
    throw new UserError(`ACTIONS_RESULTS_URL (${results}) is not an http(s) URL.`, { hint: RUNNER_HINT });
  const scope = resultsScope(token);
  if (!scope)
    throw new UserError(
      'ACTIONS_RUNTIME_TOKEN is not a JWT with an `Actions.Results:<run>:<job>` scope, so the artifact service cannot tell which run and job the upload belongs to.',
      { hint: RUNNER_HINT },
    );
  return {
    resultsOrigin: new URL(results).origin,
    token,
    workflowRunBackendId: scope.run,
    workflowJobRunBackendId: scope.job,
  };
}
