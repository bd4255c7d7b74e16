/** REST JSON for users and repositories, with GitHub's URL layout relative to the double's base URLs. */
import type { DoubleState } from '../rest-route.ts';
import { nodeIdFor, ownerIdFor, type HostedRepo } from '../repo-store.ts';

export function simpleUserJson(state: DoubleState, login: string): Record<string, unknown> {
  const id = ownerIdFor(login);
  const url = `${state.apiUrl}/users/${login}`;
  return {
    login,
    id,
    node_id: nodeIdFor('U', login),
    avatar_url: `${state.serverUrl}/avatars/${login}`,
    gravatar_id: '',
    url,
    html_url: `${state.serverUrl}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: 'Organization',
    site_admin: false,
  };
}

export function repoApiUrl(state: DoubleState, repo: HostedRepo): string {
  return `${state.apiUrl}/repos/${repo.fullName}`;
}

export function repoHtmlUrl(state: DoubleState, repo: HostedRepo): string {
  return `${state.serverUrl}/${repo.fullName}`;
}

/** The fields shared by `repository`, `full-repository` and `minimal-repository`. */
export function repositoryJson(state: DoubleState, repo: HostedRepo): Record<string, unknown> {
  const api = repoApiUrl(state, repo);
  const html = repoHtmlUrl(state, repo);
  const openPulls = repo.pulls.filter((p) => p.state === 'open').length;
  return {
    id: repo.id,
    node_id: repo.nodeId,
    name: repo.name,
    full_name: repo.fullName,
    owner: simpleUserJson(state, repo.owner),
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    html_url: html,
    description: repo.description,
    fork: repo.parent !== null,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `${html.replace(/^http/, 'git')}.git`,
    hooks_url: `${api}/hooks`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@127.0.0.1:${repo.fullName}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${html}.git`,
    svn_url: html,
    mirror_url: null,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1,
    default_branch: repo.defaultBranch,
    open_issues_count: openPulls,
    open_issues: openPulls,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: repo.archived,
    disabled: false,
    pushed_at: repo.createdAt,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
  };
}

/** `full-repository` (GET /repos/{owner}/{repo}), including parent/source for forks. */
export function fullRepositoryJson(state: DoubleState, repo: HostedRepo): Record<string, unknown> {
  const json: Record<string, unknown> = {
    ...repositoryJson(state, repo),
    network_count: 0,
    subscribers_count: 0,
    allow_auto_merge: true,
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true,
    delete_branch_on_merge: false,
  };
  if (repo.parent) {
    json.parent = { ...repositoryJson(state, repo.parent), network_count: 0, subscribers_count: 0 };
    const source = repo.networkRoot ?? repo.parent;
    json.source = { ...repositoryJson(state, source), network_count: 0, subscribers_count: 0 };
  }
  return json;
}
