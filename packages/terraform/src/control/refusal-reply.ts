/**
 * The reply to a refused comment command: the route job fails, and the pull request says why,
 * so the commenter does not have to find the run. The reply carries the refusal (who, which
 * SHA, what permission or approval is missing) and what to do, never a token or a setting of
 * the job: those are not in a refusal message. Text from the comment (directory, SHA) reaches
 * the reply only through the message, entity-escaped on one line.
 */
import { UserError } from '@slipway/core';
import { markdownText } from '@slipway/gitops';
import type { GitHubClient } from '@slipway/github';

/** Starts every refusal reply (hidden): tests and cleanup tools find the replies by it. */
export const REFUSAL_MARKER = '<!-- slipway-terraform-refusal -->';

export interface RefusalReply {
  /** plan, apply or unlock; null when the comment's command could not be read. */
  command: string | null;
  error: UserError;
  runUrl?: string | undefined;
}

export function refusalReplyBody({ command, error, runUrl }: RefusalReply): string {
  const name = command ? `/${command}` : 'The command';
  const lines = [REFUSAL_MARKER, `**${markdownText(name)} was refused.** ${markdownText(error.message)}`];
  if (error.hint) lines.push('', markdownText(error.hint));
  if (runUrl) lines.push('', `[The run that refused it](${encodeURI(runUrl)})`);
  return `${lines.join('\n')}\n`;
}

export async function postRefusalReply(
  client: GitHubClient,
  at: { owner: string; repo: string; pr: number },
  reply: RefusalReply,
): Promise<void> {
  await client.rest('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner: at.owner,
    repo: at.repo,
    issue_number: at.pr,
    body: refusalReplyBody(reply),
  });
}
