/**
 * The online half of the actions.lock check: each entry's `repo_id` and `owner_id` must be the ids
 * GitHub gives the repository and its owner of that name today. Another repository id means the
 * repository was deleted and re-created, or another repository took its name; another owner id
 * means the account itself was deleted and its name taken by someone else (repojacking): either
 * way the locked commit no longer comes from what was reviewed. Read with the same batched
 * request as tags and branches.
 */
import { LOCK_IDS, type ActionsLock } from './actions-lock.ts';
import { describeLookupFailure, tryLookup } from './could-not-verify.ts';
import { repoKey } from './reference.ts';
import type { RepoRefsFetcher } from './repo-refs.ts';
import { finding, type Finding } from './rules.ts';

const WHY = {
  repoId: 'it was deleted and re-created, or another repository took its name',
  ownerId: 'the account was deleted and another one took its name',
} as const;

export async function checkLockIdentity(lock: ActionsLock, repoRefs: RepoRefsFetcher): Promise<Finding[]> {
  const entries = [...lock.dependencies.values()].filter(
    (e) => e.repoId !== undefined || e.ownerId !== undefined,
  );
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
    return LOCK_IDS.flatMap(({ field, name, of, scope }) => {
      const onGitHub = refs[field];
      if (e[field] === undefined || onGitHub === undefined || onGitHub === e[field]) return [];
      return [
        finding(
          'lockfile-invalid',
          at(e),
          e.key,
          `${lock.file}: '${e.key}' has ${name} ${e[field]}, but ${scope(e)} is ${of} ${onGitHub} on GitHub: ${WHY[field]}. Review it, then run \`gh actions-lock\``,
        ),
      ];
    });
  });
}
