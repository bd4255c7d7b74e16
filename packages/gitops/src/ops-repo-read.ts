/**
 * Everything a bump needs to know about the ops repository, in ONE GraphQL query:
 * the repository id, the base and bump branch heads, the target files at both
 * heads (text and mode, through `Commit.file(path:)`), the open pull request for
 * the bump branch, and the head of the last closed one.
 */
import { UserError } from '@slipway/core';
import type { GitHubClient } from '@slipway/github';
import { explainApiError } from './github-errors.ts';

export interface RepoFile {
  text: string;
  /** Git mode as an octal string: 100644, 100755. */
  mode: string;
}

export interface RefSnapshot {
  name: string;
  oid: string;
  treeOid: string;
  files: Map<string, RepoFile | undefined>;
}

export interface OpenPullRequest {
  id: string;
  number: number;
  url: string;
  title: string;
  body: string;
  /** True for a pull request from a fork (another repository with a branch of the same name). */
  isCrossRepository: boolean;
  /** Null when the head repository was deleted. */
  headRepository: { id: string; nameWithOwner: string } | null;
}

interface ClosedPullRequest {
  headRefOid: string;
  isCrossRepository: boolean;
  headRepository: { id: string } | null;
}

/**
 * `pullRequests(headRefName:)` matches the branch NAME in any repository of the
 * network, so a fork's `slipway/bump/web` comes back too: ask for this many and
 * keep only those whose head is the ops repository itself. A pull request of
 * ours hidden behind more fork pull requests than this is still found when
 * creating it answers "already exists" (the owner-qualified REST lookup).
 */
export const PULL_REQUEST_CANDIDATES = 20;

/** A pull request whose head branch lives in the repository with this node id, not in a fork. */
export function isFromRepository(
  pr: { isCrossRepository: boolean; headRepository: { id: string } | null },
  repositoryId: string,
): boolean {
  return !pr.isCrossRepository && pr.headRepository !== null && pr.headRepository.id === repositoryId;
}

export interface OpsRepoSnapshot {
  repositoryId: string;
  nameWithOwner: string;
  base: RefSnapshot;
  /** The bump branch; undefined when it does not exist (or when it is the base). */
  head: RefSnapshot | undefined;
  pullRequest: OpenPullRequest | undefined;
  /** Head commit of the most recently closed or merged pull request from the bump branch. */
  lastClosedHeadOid: string | undefined;
}

interface GqlFileEntry {
  mode: number;
  object: {
    __typename?: string;
    text?: string | null;
    isBinary?: boolean | null;
    isTruncated?: boolean;
  } | null;
}

interface GqlRef {
  name: string;
  target: ({ oid: string; tree?: { oid: string } } & Record<string, GqlFileEntry | null | unknown>) | null;
}

const MODE_SYMLINK = 0o120000;

function refFields(paths: readonly string[]): string {
  const files = paths
    .map(
      (_p, i) =>
        `f${i}: file(path: $p${i}) { mode object { __typename ... on Blob { text isBinary isTruncated } } }`,
    )
    .join(' ');
  return `name target { oid ... on Commit { tree { oid } ${files} } }`;
}

const HEAD_FIELDS = 'isCrossRepository headRepository { id nameWithOwner }';

export function buildSnapshotQuery(
  paths: readonly string[],
  options: { base?: string; head?: string },
): string {
  const vars = ['$owner: String!', '$name: String!', ...paths.map((_p, i) => `$p${i}: String!`)];
  if (options.base) vars.push('$base: String!');
  if (options.head) vars.push('$head: String!', '$headName: String!');
  const base = options.base ? `base: ref(qualifiedName: $base) { ${refFields(paths)} }` : '';
  const defaultBranch = options.base
    ? 'defaultBranchRef { name }'
    : `defaultBranchRef { ${refFields(paths)} }`;
  const head = options.head
    ? `head: ref(qualifiedName: $head) { ${refFields(paths)} }
    open: pullRequests(headRefName: $headName, states: [OPEN], first: ${PULL_REQUEST_CANDIDATES}) { nodes { id number url title body ${HEAD_FIELDS} } }
    closed: pullRequests(headRefName: $headName, states: [CLOSED, MERGED], first: ${PULL_REQUEST_CANDIDATES}, orderBy: {field: UPDATED_AT, direction: DESC}) { nodes { headRefOid ${HEAD_FIELDS} } }`
    : '';
  return `query (${vars.join(', ')}) {
  repository(owner: $owner, name: $name) {
    id nameWithOwner ${defaultBranch} ${base} ${head}
  }
}`;
}

export async function readOpsRepo(
  client: GitHubClient,
  request: { owner: string; repo: string; base?: string; branch?: string; paths: readonly string[] },
): Promise<OpsRepoSnapshot> {
  const slug = `${request.owner}/${request.repo}`;
  const query = buildSnapshotQuery(request.paths, { base: request.base, head: request.branch });
  const variables: Record<string, unknown> = { owner: request.owner, name: request.repo };
  request.paths.forEach((p, i) => (variables[`p${i}`] = p));
  if (request.base) variables.base = `refs/heads/${request.base}`;
  if (request.branch) {
    variables.head = `refs/heads/${request.branch}`;
    variables.headName = request.branch;
  }
  let data: { repository: Record<string, unknown> | null };
  try {
    data = await client.graphql(query, variables);
  } catch (error) {
    throw explainApiError(error, 'read', slug);
  }
  const repository = data.repository;
  if (!repository)
    throw explainApiError({ status: 404, message: 'Could not resolve to a Repository' }, 'read', slug);
  const baseRef = (request.base ? repository.base : repository.defaultBranchRef) as GqlRef | null;
  if (!baseRef?.target) {
    throw new UserError(
      request.base
        ? `Input 'base': the branch '${request.base}' does not exist in ${slug}.`
        : `${slug} has no default branch (is it empty?).`,
      { hint: 'Set the `base` input to a branch that exists in the ops repository.' },
    );
  }
  const headRef = request.branch ? (repository.head as GqlRef | null) : null;
  const repositoryId = repository.id as string;
  // only pull requests from the ops repository's own branch: never a fork's of the same name
  const ours = <T extends ClosedPullRequest | OpenPullRequest>(found: unknown): T | undefined =>
    (found as { nodes: T[] } | undefined)?.nodes.find((pr) => isFromRepository(pr, repositoryId));
  const open = ours<OpenPullRequest>(repository.open);
  const closed = ours<ClosedPullRequest>(repository.closed);
  return {
    repositoryId,
    nameWithOwner: repository.nameWithOwner as string,
    base: toSnapshot(baseRef, request.paths, slug),
    head: headRef?.target ? toSnapshot(headRef, request.paths, slug) : undefined,
    pullRequest: open,
    lastClosedHeadOid: closed?.headRefOid,
  };
}

function toSnapshot(ref: GqlRef, paths: readonly string[], slug: string): RefSnapshot {
  const target = ref.target!;
  const files = new Map<string, RepoFile | undefined>();
  paths.forEach((path, i) => {
    const entry = target[`f${i}`] as GqlFileEntry | null | undefined;
    if (!entry) return void files.set(path, undefined);
    if (entry.mode === MODE_SYMLINK) {
      throw new UserError(
        `${path} is a symbolic link in ${slug}@${ref.name}; edit the file it points to instead.`,
      );
    }
    const blob = entry.object;
    if (!blob || (blob.__typename !== undefined && blob.__typename !== 'Blob')) {
      throw new UserError(`${path} in ${slug}@${ref.name} is not a file.`);
    }
    if (blob.isBinary || blob.text === null || blob.text === undefined) {
      throw new UserError(`${path} in ${slug}@${ref.name} is a binary file, not YAML.`);
    }
    if (blob.isTruncated)
      throw new UserError(`${path} in ${slug}@${ref.name} is too large to edit through the API.`);
    files.set(path, { text: blob.text, mode: entry.mode.toString(8) });
  });
  return { name: ref.name, oid: target.oid, treeOid: target.tree?.oid ?? '', files };
}
