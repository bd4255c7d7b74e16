/**
 * The tags (peeled to commits) and branch heads of repositories, fetched in
 * batches through GraphQL and cached. Used for impostor detection (is the
 * pinned commit a tag or branch tip?), stale pins and `--update`.
 */
import semver from 'semver';
import type { GitHubApi } from './github-api.ts';
import type { RefCache } from './ref-cache.ts';
import { checkGraphqlErrors, peel, PEEL_FRAGMENT } from './resolve-refs.ts';
import { FULL_SHA, repoKey } from './reference.ts';

export interface Advisory {
  ghsaId: string;
  summary: string;
  severity: string;
  /** Vulnerable versions as GitHub writes them: `< 4.1.2`, `>= 1.0.0, < 1.2.0`. */
  range: string;
  patched?: string;
}

export interface RepoRefs {
  /** GitHub's numeric id of the repository (`databaseId`, the `repo_id` of actions.lock). */
  repoId?: number;
  /** GitHub's numeric id of the owner, a user or an organization (the `owner_id` of actions.lock). */
  ownerId?: number;
  defaultBranch: string | undefined;
  /** The repository is archived (read-only, no more fixes). */
  archived: boolean;
  /** GitHub Advisory Database entries for the repository (ecosystem ACTIONS), withdrawn ones left out. */
  advisories: Advisory[];
  /**
   * Tag name -> commit SHA, newest first (by commit date, as GitHub orders them), with the date the
   * tag was made: the tagger's date for an annotated tag, the commit's date for a lightweight one.
   */
  tags: { name: string; sha: string; date?: string }[];
  branches: { name: string; sha: string }[];
}

/** A cached value of the right shape: null (no such repository) or refs naming full SHAs. */
export function isCachedRepoRefs(value: unknown): value is RepoRefs | null {
  if (value === null) return true;
  if (typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  const refList = (list: unknown) =>
    Array.isArray(list) &&
    list.every(
      (ref: unknown) =>
        typeof ref === 'object' &&
        ref !== null &&
        typeof (ref as { name?: unknown }).name === 'string' &&
        typeof (ref as { sha?: unknown }).sha === 'string' &&
        FULL_SHA.test((ref as { sha: string }).sha),
    );
  const advisories =
    Array.isArray(r.advisories) &&
    r.advisories.every(
      (a: unknown) =>
        typeof a === 'object' &&
        a !== null &&
        ['ghsaId', 'summary', 'severity', 'range'].every(
          (k) => typeof (a as Record<string, unknown>)[k] === 'string',
        ),
    );
  return (
    (r.repoId === undefined || typeof r.repoId === 'number') &&
    // Entries cached before owner ids were read have a repoId alone: read those again.
    (r.repoId === undefined ? r.ownerId === undefined : typeof r.ownerId === 'number') &&
    (r.defaultBranch === undefined || typeof r.defaultBranch === 'string') &&
    typeof r.archived === 'boolean' &&
    advisories &&
    refList(r.tags) &&
    refList(r.branches)
  );
}

export interface RepoName {
  owner: string;
  repo: string;
}

/** Repositories per GraphQL request: each brings up to 200 refs back. */
export const REPO_BATCH_SIZE = 25;
const REFS_PER_REPO = 100;
const ADVISORIES_PER_REPO = 50;

interface VulnerabilityNodes {
  nodes?: ({
    advisory?: { ghsaId: string; summary: string; withdrawnAt?: string | null };
    severity?: string;
    vulnerableVersionRange?: string;
    firstPatchedVersion?: { identifier: string } | null;
  } | null)[];
}

function readAdvisories(answer: VulnerabilityNodes | null | undefined): Advisory[] {
  return (answer?.nodes ?? []).flatMap((node) => {
    if (!node?.advisory || node.advisory.withdrawnAt || !node.vulnerableVersionRange) return [];
    const patched = node.firstPatchedVersion?.identifier;
    return [
      {
        ghsaId: node.advisory.ghsaId,
        summary: node.advisory.summary,
        severity: node.severity ?? 'UNKNOWN',
        range: node.vulnerableVersionRange,
        ...(patched ? { patched } : {}),
      },
    ];
  });
}

export function buildRepoRefsQuery(repos: readonly RepoName[]): {
  query: string;
  variables: Record<string, string>;
} {
  const params: string[] = [];
  const fields: string[] = [];
  const variables: Record<string, string> = {};
  repos.forEach((r, i) => {
    params.push(`$o${i}: String!`, `$n${i}: String!`, `$p${i}: String!`);
    variables[`o${i}`] = r.owner;
    variables[`n${i}`] = r.repo;
    variables[`p${i}`] = `${r.owner}/${r.repo}`;
    // Advisories ride in the same request: the Advisory Database names an action `owner/repo`.
    fields.push(
      `v${i}: securityVulnerabilities(ecosystem: ACTIONS, package: $p${i}, first: ${ADVISORIES_PER_REPO}) { nodes { advisory { ghsaId summary withdrawnAt } severity vulnerableVersionRange firstPatchedVersion { identifier } } }`,
    );
    fields.push(
      `r${i}: repository(owner: $o${i}, name: $n${i}) { databaseId owner { ... on Organization { databaseId } ... on User { databaseId } } isArchived defaultBranchRef { name } ` +
        `tags: refs(refPrefix: "refs/tags/", first: ${REFS_PER_REPO}, orderBy: {field: TAG_COMMIT_DATE, direction: DESC}) { nodes { name target { ...Peel ... on Tag { tagger { date } } ... on Commit { committedDate } } } } ` +
        `branches: refs(refPrefix: "refs/heads/", first: ${REFS_PER_REPO}) { nodes { name target { ...Peel } } } }`,
    );
  });
  return {
    query: `query RepoRefs(${params.join(', ')}) {\n${fields.join('\n')}\n}\n${PEEL_FRAGMENT}`,
    variables,
  };
}

interface RefNodes {
  nodes?: ({ name: string; target?: Parameters<typeof peel>[0] } | null)[];
}

function readRefs(nodes: RefNodes | null | undefined): { name: string; sha: string; date?: string }[] {
  return (nodes?.nodes ?? []).flatMap((node) => {
    const sha = node ? peel(node.target) : undefined;
    if (!node || !sha) return [];
    const target = node.target as { tagger?: { date?: string } | null; committedDate?: string } | undefined;
    const date = target?.tagger?.date ?? target?.committedDate;
    return [{ name: node.name, sha, ...(typeof date === 'string' ? { date } : {}) }];
  });
}

export class RepoRefsFetcher {
  private readonly known = new Map<string, RepoRefs | null>();
  requests = 0;

  constructor(
    private readonly api: GitHubApi,
    private readonly cache?: RefCache,
    private readonly batchSize = REPO_BATCH_SIZE,
  ) {}

  /** The refs of a repository already fetched in this run, without asking GitHub. */
  peek(owner: string, repo: string): RepoRefs | null | undefined {
    return this.known.get(repoKey(owner, repo));
  }

  /** Tags and branches of each repository; null for a repository that does not exist. */
  async fetch(repos: readonly RepoName[]): Promise<Map<string, RepoRefs | null>> {
    const todo = new Map<string, RepoName>();
    for (const r of repos) {
      const key = repoKey(r.owner, r.repo);
      if (this.known.has(key) || todo.has(key)) continue;
      const cached = this.cache?.get<unknown>(`repo:${key}`);
      if (cached !== undefined && isCachedRepoRefs(cached)) this.known.set(key, cached);
      else todo.set(key, r);
    }
    const list = [...todo.values()];
    for (let start = 0; start < list.length; start += this.batchSize) {
      const batch = list.slice(start, start + this.batchSize);
      const { query, variables } = buildRepoRefsQuery(batch);
      this.requests++;
      const response = await this.api.graphql(query, variables);
      checkGraphqlErrors(response);
      batch.forEach((r, i) => {
        const data = response.data?.[`r${i}`] as
          | {
              databaseId?: number | null;
              owner?: { databaseId?: number | null } | null;
              isArchived?: boolean;
              defaultBranchRef?: { name: string } | null;
              tags?: RefNodes;
              branches?: RefNodes;
            }
          | null
          | undefined;
        const refs: RepoRefs | null = data
          ? {
              ...(typeof data.databaseId === 'number' ? { repoId: data.databaseId } : {}),
              ...(typeof data.owner?.databaseId === 'number' ? { ownerId: data.owner.databaseId } : {}),
              defaultBranch: data.defaultBranchRef?.name,
              archived: data.isArchived === true,
              advisories: readAdvisories(response.data?.[`v${i}`] as VulnerabilityNodes | null | undefined),
              tags: readRefs(data.tags),
              branches: readRefs(data.branches),
            }
          : null;
        this.known.set(repoKey(r.owner, r.repo), refs);
        this.cache?.set(`repo:${repoKey(r.owner, r.repo)}`, refs);
      });
    }
    return new Map(
      repos.map((r) => [repoKey(r.owner, r.repo), this.known.get(repoKey(r.owner, r.repo)) ?? null]),
    );
  }
}

/** A tag name as a semantic version (`v4.1.0`, `4.1`, `v4`), or undefined. Pre-releases are kept. */
export function tagVersion(tag: string): semver.SemVer | undefined {
  if (!/^v?\d+(\.\d+){0,2}([-+].*)?$/.test(tag)) return undefined;
  return semver.coerce(tag, { includePrerelease: true }) ?? undefined;
}

/** A cooldown: only tags made at least `minAgeMs` before `now` count (a tag without a date never does). */
export interface ReleaseAge {
  minAgeMs: number;
  now: Date;
}

const oldEnough = (date: string | undefined, age: ReleaseAge | undefined): boolean => {
  if (!age || age.minAgeMs <= 0) return true;
  const made = date === undefined ? NaN : Date.parse(date);
  return Number.isFinite(made) && age.now.getTime() - made >= age.minAgeMs;
};

/**
 * The newest release tag (highest stable version, most specific name on ties:
 * `v4.2.1` over `v4`), optionally within one major version and old enough for a cooldown.
 */
export function newestTag(
  tags: RepoRefs['tags'],
  major?: number,
  age?: ReleaseAge,
): { name: string; sha: string } | undefined {
  let best: { name: string; sha: string; version: semver.SemVer } | undefined;
  for (const tag of tags) {
    const version = tagVersion(tag.name);
    if (!version || version.prerelease.length > 0) continue;
    if (major !== undefined && version.major !== major) continue;
    if (!oldEnough(tag.date, age)) continue;
    const order = best ? semver.compare(version, best.version) : 1;
    if (order > 0 || (order === 0 && best && tag.name.length > best.name.length))
      best = { name: tag.name, sha: tag.sha, version };
  }
  return best ? { name: best.name, sha: best.sha } : undefined;
}
