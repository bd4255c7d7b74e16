/**
 * Whether this job can request a GitHub OIDC token (`permissions: id-token: write` gives it
 * ACTIONS_ID_TOKEN_REQUEST_URL). Such a job can sign and usually push, so nothing another job
 * wrote (an Actions cache entry) may be unpacked in it. Any non-empty value counts, even one
 * that would not work as a URL: the rule errs on the side of not restoring.
 */
export function jobCanMintIdToken(env: NodeJS.ProcessEnv): boolean {
  return (env.ACTIONS_ID_TOKEN_REQUEST_URL ?? '') !== '';
}
