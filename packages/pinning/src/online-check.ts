/**
 * Findings that need GitHub: refs and repositories that no longer exist,
 * version comments that drift from the pinned SHA, impostor commits (not
 * reachable from any branch or tag of the named repository) and stale pins.
 */
import type { ActionMetadataFetcher } from './action-metadata.ts';
import type { OnlineChecker } from './check.ts';
import { explainDrift, type Drift } from './comment-drift.ts';
import { checkNestedActions } from './nested-actions.ts';
import { checkLockIdentity } from './lock-identity.ts';
import { repoHealthFindings } from './repo-health.ts';
import { couldNotVerify, tryLookup } from './could-not-verify.ts';
import type { GitHubApi } from './github-api.ts';
import type { RefCache } from './ref-cache.ts';
import { newestTag, tagVersion, type RepoRefs, type RepoRefsFetcher } from './repo-refs.ts';
import { FULL_SHA, repoKey } from './reference.ts';
import { pairKey, type RefPair, type RefResolver, type Resolution } from './resolve-refs.ts';
import { finding, referenceOf, type Finding } from './rules.ts';
import { commentVersion } from './version-comment.ts';
import type { ReferenceSite } from './scan.ts';

export interface ActionSite {
  site: ReferenceSite;
  owner: string;
  repo: string;
  /** Subfolder of the action in its repository ('' for the root). */
  path: string;
  ref: string;
}

export function actionSites(sites: readonly ReferenceSite[]): ActionSite[] {
  return sites.flatMap((site) => {
    const reference = referenceOf(site);
    return reference.kind === 'action'
      ? [{ site, owner: reference.owner, repo: reference.repo, path: reference.path, ref: reference.ref }]
      : [];
  });
}

/** The version the site's comment names, reading a ratchet comment only when it names this action. */
export const siteVersion = (a: ActionSite): string | undefined => commentVersion(a.site.comment?.text, a);

const short = (sha: string) => sha.slice(0, 12);

export interface OnlineCheckDeps {
  api: GitHubApi;
  resolver: RefResolver;
  repoRefs: RepoRefsFetcher;
  /** Most branches and tags compared per pinned commit before giving up (impostor check). */
  maxCompares?: number;
  /** Reads pinned actions' metadata for the transitive check (none: the check is not made). */
  metadata?: ActionMetadataFetcher;
  /** Levels of nested actions read (default DEFAULT_NESTED_DEPTH). */
  maxDepth?: number;
  /** The policy's allow-list, applied to the actions and images nested actions use. */
  allows?: (subject: string) => boolean;
  /**
   * Reachability answers across runs (key `reach:<owner/repo>@<sha>`), taken only from entries
   * written in the cache's own scope.
   */
  cache?: RefCache;
}

export function createOnlineChecker(deps: OnlineCheckDeps): OnlineChecker {
  return {
    check: (sites) => checkOnline(sites, deps),
    checkLock: (lock) => checkLockIdentity(lock, deps.repoRefs),
  };
}

export async function checkOnline(
  sites: readonly ReferenceSite[],
  deps: OnlineCheckDeps,
): Promise<Finding[]> {
  const actions = actionSites(sites);
  const pairs: RefPair[] = [];
  for (const a of actions) {
    pairs.push(a);
    const version = FULL_SHA.test(a.ref) ? siteVersion(a) : undefined;
    if (version) pairs.push({ owner: a.owner, repo: a.repo, ref: version });
  }
  const lookup = await tryLookup(() => deps.resolver.resolve(pairs));
  if (!lookup.ok)
    return couldNotVerify(
      actions.map((a) => a.site),
      'resolving its ref',
      lookup.error,
    );
  const resolved = lookup.value;
  const findings: Finding[] = [];
  const pinned: ActionSite[] = [];
  const drifts: Drift[] = [];
  for (const a of actions) {
    const resolution = resolved.get(pairKey(a)) as Resolution;
    const name = `${a.owner}/${a.repo}`;
    const shown = a.site.value ?? '';
    if (resolution.status === 'repo-not-found') {
      findings.push(
        finding('ref-not-found', a.site, shown, `repository ${name} does not exist or is not accessible`),
      );
      continue;
    }
    if (resolution.status === 'ref-not-found') {
      const what = FULL_SHA.test(a.ref) ? `commit ${a.ref}` : `tag or branch '${a.ref}'`;
      findings.push(finding('ref-not-found', a.site, shown, `${what} does not exist in ${name}`));
      continue;
    }
    const doubt = refDoubt(a, resolution);
    if (doubt) findings.push(finding(doubt.ruleId, a.site, shown, doubt.message));
    if (!FULL_SHA.test(a.ref)) continue;
    pinned.push(a);
    const version = siteVersion(a);
    if (!version) continue;
    const tag = resolved.get(pairKey({ ...a, ref: version })) as Resolution;
    if (tag.status !== 'ok')
      findings.push(
        finding(
          'version-comment-drift',
          a.site,
          shown,
          `the comment names '${version}', which does not exist in ${name}`,
        ),
      );
    else if (tag.sha !== a.ref) drifts.push({ a, version, tagSha: tag.sha });
  }
  const fetched = await tryLookup(() => deps.repoRefs.fetch(pinned));
  for (const drift of drifts) {
    const refs = fetched.ok ? fetched.value.get(repoKey(drift.a.owner, drift.a.repo)) : undefined;
    const message = await explainDrift(drift, refs, deps.api);
    findings.push(finding('version-comment-drift', drift.a.site, drift.a.site.value ?? '', message));
  }
  if (!fetched.ok)
    return [
      ...findings,
      ...couldNotVerify(
        pinned.map((a) => a.site),
        'reading the tags and branches of its repository',
        fetched.error,
      ),
    ];
  const refs = fetched.value;
  if (deps.metadata)
    findings.push(...(await checkNestedActions(pinned, deps.metadata, deps.maxDepth, deps.allows)));
  const reachable = new Map<string, Promise<Reachability>>();
  for (const a of pinned) {
    const repoRefs = refs.get(repoKey(a.owner, a.repo));
    if (!repoRefs) continue;
    const key = `reach:${pairKey(a)}`;
    if (!reachable.has(key)) reachable.set(key, cachedReachability(key, a, repoRefs, deps));
    const reach = await tryLookup(() => reachable.get(key) as Promise<Reachability>);
    if (!reach.ok) {
      findings.push(
        ...couldNotVerify([a.site], 'checking that the commit is on a branch or tag', reach.error),
      );
      continue;
    }
    if (reach.value === 'unreachable')
      findings.push(
        finding(
          'impostor-commit',
          a.site,
          a.site.value ?? '',
          `commit ${short(a.ref)} is not reachable from any branch or tag of ${a.owner}/${a.repo}; it may come from a fork`,
        ),
      );
    else if (reach.value === 'tag-only')
      findings.push(
        finding(
          'tag-only-commit',
          a.site,
          a.site.value ?? '',
          `commit ${short(a.ref)} is reachable only from tags of ${a.owner}/${a.repo} (${tagsAt(a.ref, repoRefs)}), not from any branch: a tag pointing outside the branches is how the tj-actions/changed-files compromise shipped`,
        ),
      );
    findings.push(...repoHealthFindings(a, repoRefs, siteVersion(a)));
    const stale = staleness(a, repoRefs);
    if (stale) findings.push(finding('stale-pin', a.site, a.site.value ?? '', stale));
  }
  return findings;
}

const SHA_LIKE = /^[0-9a-fA-F]{7,40}$/;
const names = (kinds: readonly string[]) => kinds.join(' and a ');

/**
 * A ref whose meaning is in doubt: one text naming a tag and a branch (or an abbreviated commit),
 * a tag or branch named like the pinned SHA, or a tag or branch name that looks like a SHA.
 * pin-check reports these and never picks one.
 */
export function refDoubt(
  a: Pick<ActionSite, 'owner' | 'repo' | 'ref'>,
  resolution: Resolution,
): { ruleId: 'ambiguous-ref' | 'sha-like-ref-name'; message: string } | undefined {
  if (resolution.status !== 'ok') return undefined;
  const name = `${a.owner}/${a.repo}`;
  const also = resolution.alsoNamed ?? [];
  if (FULL_SHA.test(a.ref))
    return also.length > 0
      ? {
          ruleId: 'sha-like-ref-name',
          message: `${name} has a ${names(also)} named '${a.ref}', like the pinned commit: a ref named like a SHA is there to be confused with one. Check the repository before trusting this pin`,
        }
      : undefined;
  if (also.length > 0)
    return {
      ruleId: 'ambiguous-ref',
      message: `'${a.ref}' names both a ${resolution.kind} and a ${names(also)} of ${name}; pin-check does not guess which one runs: pin the commit SHA you mean`,
    };
  if (SHA_LIKE.test(a.ref) && resolution.kind !== 'commit')
    return {
      ruleId: 'sha-like-ref-name',
      message: `'${a.ref}' looks like a commit SHA but is a ${resolution.kind} of ${name}, which can be moved: pin the full commit SHA`,
    };
  return undefined;
}

/** Where a pinned commit sits in its repository. */
export type Reachability = 'branch' | 'tag-only' | 'unreachable';
const isReachability = (v: unknown): v is Reachability => v === 'branch' || v === 'tag-only';

/**
 * Each pinned commit is checked once per run; a reachable one is remembered across runs of the
 * same scope (a verdict written elsewhere, e.g. by another workflow, is checked again).
 */
async function cachedReachability(
  key: string,
  a: ActionSite,
  refs: RepoRefs,
  deps: OnlineCheckDeps,
): Promise<Reachability> {
  const cached = deps.cache?.getInScope<unknown>(key);
  if (isReachability(cached)) return cached;
  const answer = await reachability(a, refs, deps);
  if (answer !== 'unreachable') deps.cache?.set(key, answer);
  return answer;
}

/**
 * On a branch (a branch tip, or behind one: default branch first), else only on tags (a tag
 * tip, or behind one), else unreachable. One compare per distinct base commit, at most
 * `maxCompares` in all.
 */
async function reachability(a: ActionSite, refs: RepoRefs, deps: OnlineCheckDeps): Promise<Reachability> {
  if (refs.branches.some((b) => b.sha === a.ref)) return 'branch';
  let budget = deps.maxCompares ?? 50;
  const compared = new Set<string>([a.ref]);
  const contains = async (bases: readonly string[]) => {
    for (const base of bases) {
      if (compared.has(base) || budget <= 0) continue;
      compared.add(base);
      budget--;
      const status = await deps.api.compare(a.owner, a.repo, base, a.ref);
      if (status === 'behind' || status === 'identical') return true;
    }
    return false;
  };
  const branchBases = [
    ...refs.branches.filter((b) => b.name === refs.defaultBranch),
    ...refs.branches.filter((b) => b.name !== refs.defaultBranch),
  ].map((b) => b.sha);
  if (await contains(branchBases)) return 'branch';
  if (refs.tags.some((t) => t.sha === a.ref)) return 'tag-only';
  return (await contains(refs.tags.map((t) => t.sha))) ? 'tag-only' : 'unreachable';
}

const tagsAt = (sha: string, refs: RepoRefs): string => {
  const names = refs.tags.filter((t) => t.sha === sha).map((t) => t.name);
  return names.length > 0 ? `tag ${names.join(', ')}` : 'behind a tag';
};

/** A message when a newer release than the pinned one exists. */
function staleness(a: ActionSite, refs: RepoRefs): string | undefined {
  const newest = newestTag(refs.tags);
  if (!newest || newest.sha === a.ref) return undefined;
  const current =
    siteVersion(a) ??
    refs.tags.filter((t) => t.sha === a.ref).sort((x, y) => y.name.length - x.name.length)[0]?.name;
  const currentVersion = current ? tagVersion(current) : undefined;
  const newestVersion = tagVersion(newest.name);
  if (!currentVersion || !newestVersion || newestVersion.compare(currentVersion) <= 0) return undefined;
  return `${a.owner}/${a.repo} ${newest.name} is available; the pin is at ${current}`;
}
