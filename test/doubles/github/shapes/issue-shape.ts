/** REST JSON for plain issues (`issue`) and their comments (`issue-comment`). */
import type { IssueCommentRecord, IssueRecord } from '../issue-record.ts';
import { nodeIdFor, type HostedRepo } from '../repo-store.ts';
import type { DoubleState } from '../rest-route.ts';
import { labelJson, PR_AUTHOR } from './pull-shape.ts';
import { repoApiUrl, repoHtmlUrl, simpleUserJson } from './repository-shape.ts';

export function plainIssueJson(state: DoubleState, repo: HostedRepo, issue: IssueRecord) {
  const api = repoApiUrl(state, repo);
  const url = `${api}/issues/${issue.number}`;
  return {
    id: issue.id,
    node_id: issue.nodeId,
    url,
    repository_url: api,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${repoHtmlUrl(state, repo)}/issues/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: simpleUserJson(state, PR_AUTHOR),
    labels: issue.labels.map((name) => labelJson(state, repo, name)),
    assignee: issue.assignees[0] ? simpleUserJson(state, issue.assignees[0]) : null,
    assignees: issue.assignees.map((login) => simpleUserJson(state, login)),
    milestone: null,
    locked: false,
    comments: issue.comments.length,
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    author_association: 'NONE',
  };
}

export function issueCommentJson(
  state: DoubleState,
  repo: HostedRepo,
  issue: IssueRecord,
  comment: IssueCommentRecord,
) {
  const api = repoApiUrl(state, repo);
  return {
    id: comment.id,
    node_id: nodeIdFor('IC', comment.id),
    url: `${api}/issues/comments/${comment.id}`,
    html_url: `${repoHtmlUrl(state, repo)}/issues/${issue.number}#issuecomment-${comment.id}`,
    issue_url: `${api}/issues/${issue.number}`,
    body: comment.body,
    user: simpleUserJson(state, PR_AUTHOR),
    created_at: comment.createdAt,
    updated_at: comment.createdAt,
    author_association: 'NONE',
  };
}
