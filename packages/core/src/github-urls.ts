/**
 * The GitHub server a workflow runs on, from the runner's environment: github.com,
 * a GHE.com subdomain or a GitHub Enterprise Server host, never a hard-coded github.com.
 */

/** The REST API root: GITHUB_API_URL (https://api.github.com, https://api.<sub>.ghe.com, https://<host>/api/v3). */
export function githubApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.GITHUB_API_URL?.trim() || 'https://api.github.com';
}

/** The web root for links: GITHUB_SERVER_URL (default https://github.com), without a trailing slash. */
export function githubServerUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.GITHUB_SERVER_URL?.trim() || 'https://github.com').replace(/\/+$/, '');
}
