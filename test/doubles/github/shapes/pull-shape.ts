/** REST JSON for pull requests (`pull-request`, `pull-request-simple`), labels and the issue view of a PR. */
import type { PullRequestRecord } from '../pull-request-record.ts';
import { nodeIdFor, type HostedRepo } from '../repo-store.ts';
import type { DoubleState } from '../rest-route.ts';
import { repoApiUrl, repoHtmlUrl, repositoryJson, simpleUserJson } from './repository-shape.ts';

export const PR_AUTHOR = 'slipway-bot';

export function labelJson(state: DoubleState, repo: HostedRepo, name: string) {
  return {
    id: [...name].reduce((n, ch) => (n * 31 + ch.charCodeAt(0)) % 1_000_000, 11),
    node_id: nodeIdFor('LA', `${repo.fullName}:${name}`),
    url: `${repoApiUrl(state, repo)}/labels/${encodeURIComponent(name)}`,
    name,
    // pull-request-simple declares labels[].description as a non-null string.
    description: '',
    color: 'ededed',
    default: false,
  };
}

async function branchJson(state: DoubleState, repo: HostedRepo, ref: string) {
  const sha = (await repo.git.revParse(`refs/heads/${ref}`)) ?? '0'.repeat(40);
  return {
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    repo: repositoryJson(state, repo),
    user: simpleUserJson(state, repo.owner),
  };
}

export async function pullRequestSimpleJson(state: DoubleState, repo: HostedRepo, pr: PullRequestRecord) {
  const api = repoApiUrl(state, repo);
  const html = `${repoHtmlUrl(state, repo)}/pull/${pr.number}`;
  const issue = `${api}/issues/${pr.number}`;
  const self = `${api}/pulls/${pr.number}`;
  const head = await branchJson(state, pr.head.repo, pr.head.ref);
  return {
    url: self,
    id: pr.id,
    node_id: pr.nodeId,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${api}/statuses/${head.sha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: simpleUserJson(state, PR_AUTHOR),
    body: pr.body,
    labels: pr.labels.map((name) => labelJson(state, repo, name)),
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.state === 'closed' ? pr.updatedAt : null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: pr.assignees[0] ? simpleUserJson(state, pr.assignees[0]) : null,
    assignees: pr.assignees.map((login) => simpleUserJson(state, login)),
    requested_reviewers: pr.requestedReviewers.map((login) => simpleUserJson(state, login)),
    requested_teams: pr.requestedTeams.map((slug) => teamJson(state, repo, slug)),
    head,
    base: await branchJson(state, repo, pr.base),
    _links: {
      self: { href: self },
      html: { href: html },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${self}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${self}/commits` },
      statuses: { href: `${api}/statuses/${head.sha}` },
    },
    author_association: 'NONE',
    auto_merge: pr.autoMerge
      ? {
          enabled_by: simpleUserJson(state, PR_AUTHOR),
          merge_method: pr.autoMerge.mergeMethod.toLowerCase(),
          commit_title: pr.title,
          commit_message: '',
        }
      : null,
    draft: pr.draft,
  };
}

export async function pullRequestJson(state: DoubleState, repo: HostedRepo, pr: PullRequestRecord) {
  const simple = await pullRequestSimpleJson(state, repo, pr);
  const mergeBase = await repo.git.mergeBase(simple.base.sha, simple.head.sha);
  const commits = mergeBase ? await repo.git.countCommits(`${mergeBase}..${simple.head.sha}`) : 0;
  return {
    ...simple,
    merged: false,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: pr.maintainerCanModify,
    commits,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
}

function teamJson(state: DoubleState, repo: HostedRepo, slug: string) {
  const url = `${state.apiUrl}/orgs/${repo.owner}/teams/${slug}`;
  return {
    id: [...slug].reduce((n, ch) => (n * 31 + ch.charCodeAt(0)) % 1_000_000, 13),
    node_id: nodeIdFor('T', `${repo.owner}/${slug}`),
    url,
    members_url: `${url}/members{/member}`,
    name: slug,
    description: null,
    permission: 'push',
    html_url: `${state.serverUrl}/orgs/${repo.owner}/teams/${slug}`,
    repositories_url: `${url}/repos`,
    slug,
    parent: null,
    type: 'organization',
  };
}

/** The `issue` schema view of a pull request (POST issues/{n}/assignees answers with it). */
export async function issueJson(state: DoubleState, repo: HostedRepo, pr: PullRequestRecord) {
  const simple = await pullRequestSimpleJson(state, repo, pr);
  const api = repoApiUrl(state, repo);
  return {
    id: pr.id,
    node_id: pr.nodeId,
    url: simple.issue_url,
    repository_url: api,
    labels_url: `${simple.issue_url}/labels{/name}`,
    comments_url: simple.comments_url,
    events_url: `${simple.issue_url}/events`,
    html_url: simple.html_url,
    number: pr.number,
    state: pr.state,
    title: pr.title,
    body: pr.body,
    user: simple.user,
    labels: simple.labels,
    assignee: simple.assignee,
    assignees: simple.assignees,
    milestone: null,
    locked: false,
    comments: 0,
    pull_request: {
      url: simple.url,
      html_url: simple.html_url,
      diff_url: simple.diff_url,
      patch_url: simple.patch_url,
      merged_at: null,
    },
    closed_at: simple.closed_at,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    author_association: 'NONE',
  };
}
