/**
 * Web pages that show what an online finding is about, on the GitHub server the
 * workflows run on (`GITHUB_SERVER_URL`: https://github.com, https://<sub>.ghe.com
 * or a GitHub Enterprise Server host), never a hard-coded github.com.
 */
import { githubServerUrl } from '@slipway/core';
import { FULL_SHA, parseUsesReference } from './reference.ts';
import type { Finding } from './rules.ts';

/** The web base URL of the GitHub server, from `GITHUB_SERVER_URL` (default https://github.com). */
export function serverUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return githubServerUrl(env);
}

/**
 * The page for a finding, or undefined when there is none worth opening:
 * - impostor-commit, version-comment-drift: the pinned commit (GitHub's commit page says
 *   when a commit belongs to no branch of the repository, and lists the tags that contain it);
 * - stale-pin: the repository's releases.
 */
export function findingLink(finding: Finding, serverUrl: string): string | undefined {
  const reference = parseUsesReference(finding.reference);
  if (reference.kind !== 'action') return undefined;
  const repository = `${serverUrl.replace(/\/+$/, '')}/${encodeURIComponent(reference.owner)}/${encodeURIComponent(reference.repo)}`;
  switch (finding.ruleId) {
    case 'impostor-commit':
    case 'version-comment-drift':
      return FULL_SHA.test(reference.ref) ? `${repository}/commit/${reference.ref}` : undefined;
    case 'stale-pin':
      return `${repository}/releases`;
    default:
      return undefined;
  }
}
