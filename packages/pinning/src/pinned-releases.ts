/**
 * Online information, never a verdict: for each action reference, the release tag it stands for
 * and whether that tag's GitHub release is immutable (published while the repository had release
 * immutability on: GitHub then refuses to move the tag or change the release's assets).
 *
 * The tag is the version comment of a SHA pin when it points at the pinned commit, else the most
 * specific tag at that commit; for a tag reference, the tag itself. An immutable release never
 * turns a finding into a pass: a tag reference is still unpinned (major tags such as `v4` are
 * not releases and move by design), and a SHA pin needs no release to be immutable.
 *
 * Read with REST `GET /repos/{owner}/{repo}/releases/tags/{tag}` (its `immutable` field), one
 * request per tag, cached. GitHub's GraphQL `Release.immutable` would batch them, but the GraphQL
 * schema published for clients (`@octokit/graphql-schema`) does not describe it yet.
 */
import { tryLookup } from './could-not-verify.ts';
import type { GitHubApi } from './github-api.ts';
import { actionSites, siteVersion, type ActionSite } from './online-check.ts';
import type { RefCache } from './ref-cache.ts';
import { FULL_SHA, repoKey } from './reference.ts';
import type { RepoRefsFetcher } from './repo-refs.ts';
import type { RefResolver } from './resolve-refs.ts';
import type { ReferenceSite } from './scan.ts';

/**
 * `immutable`: an immutable release; `mutable`: a release that can still be edited (published
 * before immutability was turned on, or without it); `none`: the tag has no published release;
 * `unknown`: the lookup failed, or the server does not report immutability.
 */
export type ReleaseState = 'immutable' | 'mutable' | 'none' | 'unknown';

export interface PinnedRelease {
  file: string;
  line: number;
  column: number;
  /** The reference as written. */
  reference: string;
  /** `owner/repo` as written. */
  repository: string;
  tag: string;
  release: ReleaseState;
}

const isReleaseState = (v: unknown): v is Exclude<ReleaseState, 'unknown'> =>
  v === 'immutable' || v === 'mutable' || v === 'none';

/** Release states by `owner/repo@tag`, from the cache or one REST request each. */
export class ReleaseFetcher {
  private readonly known = new Map<string, Promise<ReleaseState>>();
  private failed = false;
  requests = 0;

  constructor(
    private readonly api: GitHubApi,
    private readonly cache?: RefCache,
  ) {}

  state(owner: string, repo: string, tag: string): Promise<ReleaseState> {
    const key = `release:${repoKey(owner, repo)}@${tag}`;
    let answer = this.known.get(key);
    if (!answer) {
      answer = this.read(key, owner, repo, tag);
      this.known.set(key, answer);
    }
    return answer;
  }

  private async read(key: string, owner: string, repo: string, tag: string): Promise<ReleaseState> {
    // "Immutable" reads as a reason to trust: taken only from entries this scope wrote.
    const cached = this.cache?.getInScope<unknown>(key);
    if (isReleaseState(cached)) return cached;
    // After one failure the others would fail the same way, each after its retries.
    if (this.failed) return 'unknown';
    this.requests++;
    const looked = await tryLookup(() => this.api.releaseByTag(owner, repo, tag));
    if (!looked.ok) {
      this.failed = true;
      return 'unknown';
    }
    const state: ReleaseState =
      looked.value === undefined
        ? 'none'
        : looked.value.immutable === undefined
          ? 'unknown'
          : looked.value.immutable
            ? 'immutable'
            : 'mutable';
    if (state !== 'unknown') this.cache?.set(key, state);
    return state;
  }
}

export interface PinnedReleaseDeps {
  resolver: RefResolver;
  repoRefs: RepoRefsFetcher;
  releases: ReleaseFetcher;
}

/**
 * The tag a reference stands for, from the answers the online check already has (no request of
 * its own: what the check could not resolve names no tag); undefined when none can be named
 * without guessing.
 */
function tagOf(a: ActionSite, deps: PinnedReleaseDeps): string | undefined {
  const resolved = deps.resolver.peek(a);
  if (resolved?.status !== 'ok') return undefined;
  if (!FULL_SHA.test(a.ref))
    return resolved.kind === 'tag' && !resolved.alsoNamed?.length ? a.ref : undefined;
  const version = siteVersion(a);
  if (version) {
    const tag = deps.resolver.peek({ owner: a.owner, repo: a.repo, ref: version });
    // A comment that drifts from the pin is its own finding: it names no release of this commit.
    return tag?.status === 'ok' && tag.kind === 'tag' && tag.sha === a.ref ? version : undefined;
  }
  return deps.repoRefs
    .peek(a.owner, a.repo)
    ?.tags.filter((t) => t.sha === a.ref)
    .sort((x, y) => y.name.split('.').length - x.name.split('.').length || x.name.localeCompare(y.name))[0]
    ?.name;
}

/** One entry per action reference that stands for a tag; a release lookup that fails reads `unknown`. */
export async function readPinnedReleases(
  sites: readonly ReferenceSite[],
  deps: PinnedReleaseDeps,
): Promise<PinnedRelease[]> {
  const out: PinnedRelease[] = [];
  for (const a of actionSites(sites)) {
    const tag = tagOf(a, deps);
    if (tag === undefined) continue;
    out.push({
      file: a.site.file,
      line: a.site.line,
      column: a.site.column,
      reference: a.site.value ?? '',
      repository: `${a.owner}/${a.repo}`,
      tag,
      release: await deps.releases.state(a.owner, a.repo, tag),
    });
  }
  return out;
}
