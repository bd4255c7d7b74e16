/**
 * `version-comment-drift` in words that say what happened: the comment names a tag that points
 * elsewhere either because the comment is wrong (the pinned commit carries other tags), because
 * the tag moved on since the pin was written (the pinned commit is behind the tag's commit, the
 * usual case for major tags like `v4`), or because the tag was moved to other history. The pin is
 * never moved here: only `--update` moves pins.
 */
import { tryLookup } from './could-not-verify.ts';
import type { GitHubApi } from './github-api.ts';
import type { ActionSite } from './online-check.ts';
import type { RepoRefs } from './repo-refs.ts';

export interface Drift {
  a: ActionSite;
  version: string;
  /** The commit the comment's tag points at now. */
  tagSha: string;
}

const short = (sha: string) => sha.slice(0, 12);

export async function explainDrift(
  drift: Drift,
  refs: RepoRefs | null | undefined,
  api: GitHubApi,
): Promise<string> {
  const { a, version, tagSha } = drift;
  const name = `${a.owner}/${a.repo}`;
  const head = `the comment says ${version}, but ${version} of ${name} points at ${short(tagSha)}, not at the pinned ${short(a.ref)}`;
  const own = (refs?.tags ?? [])
    .filter((t) => t.sha === a.ref)
    .map((t) => t.name)
    .sort();
  if (own.length > 0)
    return `${head}: the comment is wrong, the pinned commit is ${own.join(', ')}. Correct the comment (the pin is not changed)`;
  const compared = await tryLookup(() => api.compare(a.owner, a.repo, tagSha, a.ref));
  if (!compared.ok) return `${head} (whether the tag moved could not be checked: ${compared.error.message})`;
  if (compared.value === 'behind')
    return `${head}: the tag has moved on since the pin was written (the pinned commit is an ancestor of ${short(tagSha)}). The pin still runs ${short(a.ref)}; move it with --update, or write the version it is`;
  return `${head}, and ${short(tagSha)} does not contain the pinned commit: the tag was moved to other history, or the comment is wrong. Check both before trusting the pin`;
}
