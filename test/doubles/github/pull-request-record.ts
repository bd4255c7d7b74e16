/** What the double remembers about one pull request (the git side lives in the repositories). */
import type { HostedRepo } from './repo-store.ts';

export interface PullRequestRecord {
  number: number;
  id: number;
  nodeId: string;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  /** Repository and branch the changes come from (may be a fork). */
  head: { repo: HostedRepo; ref: string };
  base: string;
  labels: string[];
  assignees: string[];
  requestedReviewers: string[];
  requestedTeams: string[];
  maintainerCanModify: boolean;
  autoMerge: { mergeMethod: 'MERGE' | 'SQUASH' | 'REBASE' } | null;
  createdAt: string;
  updatedAt: string;
}
