/** What the double remembers about a plain issue (not a pull request) and its comments. */
export interface IssueCommentRecord {
  id: number;
  body: string;
  createdAt: string;
}

export interface IssueRecord {
  number: number;
  id: number;
  nodeId: string;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | null;
  labels: string[];
  assignees: string[];
  comments: IssueCommentRecord[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}
