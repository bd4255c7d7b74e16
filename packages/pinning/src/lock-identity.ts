/**
 * The online half of the actions.lock check: each entry's `repo_id` must be the id GitHub gives
 * the repository of that name today. Another id means the repository was deleted and re-created,
 * or another repository took its name (repojacking): the locked commit no longer comes from the
 * repository that was reviewed. Read with the same batched request as tags and branches.
 */
import type { ActionsLock } from './actions-lock.ts';
import { describeLookupFailure, tryLookup } from './could-not-verify.ts';
import { repoKey } from './reference.ts';
import type { RepoRefsFetcher } from './repo-refs.ts';
import { finding, type Finding } from './rules.ts';

export async function checkLockIdentity(lock: ActionsLock, repoRefs: RepoRefsFetcher): Promise<Finding[]> {
  const entries = [...lock.dependencies.values()].filter((e) => e.repoId !== undefined);
  if (entries.length === 0) return [];
  const at = (e: (typeof entries)[number]) => ({ file: lock.file, ...e.at });
  const fetched = await tryLookup(() => repoRefs.fetch(entries));
  if (!fetched.ok)
    return entries.map((e) =>
      finding(
        'could-not-verify',
        at(e),
        e.key,
        `could not verify the repository of '${e.key}' in ${lock.file}: ${describeLookupFailure(fetched.error)}`,
      ),
    );
  return entries.flatMap((e) => {
    const refs = fetched.value.get(repoKey(e.owner, e.repo));
    if (refs === null || refs === undefined)
      return [
        finding(
          'lockfile-invalid',
          at(e),
          e.key,
          `${lock.file}: '${e.key}' locks ${e.owner}/${e.repo}, which does not exist or is not accessible`,
        ),
      ];
    if (refs.repoId !== undefined && refs.repoId !== e.repoId)
      return [
        finding(
          'lockfile-invalid',
          at(e),
          e.key,
          `${lock.file}: '${e.key}' has repo_id ${e.repoId}, but ${e.owner}/${e.repo} is repository ${refs.repoId} on GitHub: it was deleted and re-created, or another repository took its name. Review it, then run \`gh actions-lock\``,
        ),
      ];
    return [];
  });
}
