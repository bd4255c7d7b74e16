/**
 * Matches `.github/workflows/actions.lock` against the workflows. In a workflow the lockfile
 * onboards (lists under `workflows:`), GitHub runs the locked commit of every action a step names,
 * so a tag reference with an entry is pinned; a step action without an entry makes GitHub refuse
 * to start the workflow. Reusable-workflow calls (`jobs.<id>.uses`), `docker://` images and
 * workflows the lockfile does not list are not covered by it and are checked as usual.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ACTIONS_LOCK_PATH, parseActionsLock, type ActionsLock } from './actions-lock.ts';
import { readCheckedFile } from './read-checked-file.ts';
import { finding, referenceOf, type Finding } from './rules.ts';
import type { ReferenceSite } from './scan.ts';

export interface LockCheck {
  /**
   * Sites of one workflow file that the lockfile governs (step actions of an onboarded workflow:
   * locked, or refused by GitHub when their entry is missing, which is a lockfile-mismatch
   * finding rather than an unpinned one), and the file's lockfile-mismatch findings.
   */
  checkFile(
    file: string,
    sites: readonly ReferenceSite[],
  ): { locked: Set<ReferenceSite>; findings: Finding[] };
  /** Findings about the lockfile itself, and onboarded workflows that do not exist. */
  finish(): Finding[];
  /** The lockfile's path and its well-formed entries, for the online identity check. */
  lock?: ActionsLock;
}

/** The lockfile of the checked root, or undefined when there is none. */
export function loadLockCheck(root: string): LockCheck | undefined {
  if (!existsSync(resolve(root, ACTIONS_LOCK_PATH))) return undefined;
  const read = readCheckedFile(root, ACTIONS_LOCK_PATH);
  if ('unchecked' in read)
    return {
      checkFile: () => ({ locked: new Set(), findings: [] }),
      finish: () => [
        finding(
          'lockfile-invalid',
          { file: ACTIONS_LOCK_PATH, line: 1, column: 1 },
          '',
          `${ACTIONS_LOCK_PATH} was not read: ${read.unchecked}`,
        ),
      ],
    };
  return createLockCheck(parseActionsLock(read.bytes.toString('utf8')), (file) =>
    existsSync(resolve(root, file)),
  );
}

/** The lockfile key of an action reference: `owner/repo@ref` (a subfolder is not part of it). */
export const lockKey = (owner: string, repo: string, ref: string): string =>
  `${owner}/${repo}@${ref}`.toLowerCase();

export function createLockCheck(lock: ActionsLock, exists: (file: string) => boolean): LockCheck {
  const seen = new Set<string>();
  const mismatch = (at: { file: string; line: number; column: number }, reference: string, message: string) =>
    finding('lockfile-mismatch', at, reference, message);
  return {
    lock,
    checkFile(file, sites) {
      const locked = new Set<ReferenceSite>();
      const findings: Finding[] = [];
      const onboarded = lock.workflows.get(file);
      if (!onboarded) return { locked, findings };
      seen.add(file);
      const listed = new Set(onboarded.uses.map((u) => u.key.toLowerCase()));
      const used = new Set<string>();
      for (const site of sites) {
        const reference = referenceOf(site);
        if (reference.kind !== 'action') continue;
        const key = lockKey(reference.owner, reference.repo, reference.ref);
        used.add(key);
        if (site.kind !== 'step-uses') continue;
        const entry = lock.dependencies.get(key);
        locked.add(site);
        if (!listed.has(key) || !entry?.commit)
          findings.push(
            mismatch(
              site,
              site.value ?? '',
              `'${site.value ?? ''}' has no entry for ${file} in ${lock.file}, which onboards this workflow: GitHub refuses to start it. Run \`gh actions-lock\` and commit the lockfile`,
            ),
          );
      }
      for (const use of onboarded.uses)
        if (!used.has(use.key.toLowerCase()))
          findings.push(
            mismatch(
              { file: lock.file, ...use.at },
              use.key,
              `${lock.file} lists '${use.key}' for ${file}, which does not use it. Run \`gh actions-lock\` and commit the lockfile`,
            ),
          );
      return { locked, findings };
    },
    finish() {
      const findings = [...lock.findings];
      for (const [file, workflow] of lock.workflows)
        if (!seen.has(file) && !exists(file))
          findings.push(
            mismatch(
              { file: lock.file, ...workflow.at },
              file,
              `${lock.file} onboards ${file}, which does not exist. Run \`gh actions-lock\` (with no paths, it prunes deleted workflows)`,
            ),
          );
      return findings;
    },
  };
}
