/**
 * The matrices the Terraform workflow runs: which root modules a pull request plans, and
 * which reviewed plans a push to the default branch (or `/apply`) applies.
 *
 * A plan entry is a `changes/` matrix entry plus `artifact`, the name of the artifact its
 * sealed plan is uploaded under. An apply entry adds the lock's `pr` and `plan-run` (the
 * run that made the plan and holds the lock, where that artifact lives).
 *
 * What a push applies: the held locks whose planned commit has the same git tree as the
 * pushed commit. tf-apply refuses any other plan anyway (it proves that the planned tree is
 * the merged tree), so this is exactly the set of plans that can be applied, whatever the
 * merge method (merge commit, squash, rebase), with no lookup of the merged pull request.
 * A closed pull request releases its other locks (`locksToRelease`).
 */
import { UserError } from '@slipway/core';
import type { GitHubClient } from '@slipway/github';
import { commitTree } from '../apply/applied-marker.ts';
import { matrixForAllRoots, matrixForPullRequest } from '../changes/pull-request-matrix.ts';
import type { ChangeMapping, MatrixEntry } from '../changes/plan-matrix.ts';
import { encodeRefComponent, type LockKey } from '../lock/lock-name.ts';
import type { HeldRecord, LockRecord } from '../lock/lock-record.ts';

export interface PlanEntry extends MatrixEntry {
  artifact: string;
}
export interface ApplyEntry extends PlanEntry {
  pr: number;
  'plan-run': string;
}

export interface Coordinates {
  client: GitHubClient;
  owner: string;
  repo: string;
}

/** The artifact name of one directory's sealed plan (no `/`, `\`, `:` or other forbidden characters). */
export function planArtifactName(key: LockKey): string {
  return `tfplan-${encodeRefComponent(key.dir)}@${encodeRefComponent(key.workspace)}`;
}

const sameKey = (a: LockKey, b: LockKey) => a.dir === b.dir && a.workspace === b.workspace;

function withArtifacts(mapping: ChangeMapping): PlanEntry[] {
  return mapping.matrix.include.map((entry) => ({ ...entry, artifact: planArtifactName(entry) }));
}

/** Entries matching a command's `dir[@workspace]`; every workspace of the directory when none is named. */
export function selectTarget<T extends LockKey>(entries: T[], target: Partial<LockKey> | null): T[] {
  if (!target) return entries;
  const chosen = entries.filter(
    (e) => e.dir === target.dir && (target.workspace === undefined || e.workspace === target.workspace),
  );
  if (chosen.length === 0) {
    throw new UserError(
      `${target.dir}${target.workspace ? `@${target.workspace}` : ''} is not a Terraform root module of this repository.`,
      { hint: 'Name a root module directory (see .github/slipway-tf.yml), relative to the repository root.' },
    );
  }
  return chosen;
}

/** What a pull request (or `/plan`) plans: the changed roots, or the named one among all roots. */
export async function planEntries(
  at: Coordinates,
  pull: { number: number; headSha: string },
  target: Partial<LockKey> | null,
): Promise<{ entries: PlanEntry[]; warnings: string[] }> {
  const coords = { owner: at.owner, repo: at.repo };
  const mapping = target
    ? await matrixForAllRoots(at.client, coords, pull.headSha)
    : await matrixForPullRequest(at.client, coords, pull);
  return { entries: selectTarget(withArtifacts(mapping), target), warnings: mapping.warnings };
}

function applyEntry(entry: PlanEntry, lock: HeldRecord): ApplyEntry {
  return { ...entry, pr: lock.pr, 'plan-run': lock.run };
}

/**
 * `/apply`: the named (or every) root module this pull request planned at its head. Refused
 * when one of them has no plan of exactly that head holding the lock.
 */
export function applyEntriesForCommand(
  roots: PlanEntry[],
  locks: LockRecord[],
  pull: { number: number; headSha: string },
  target: Partial<LockKey> | null,
): ApplyEntry[] {
  const held = locks.filter((l): l is HeldRecord => l.state === 'held' && l.pr === pull.number);
  const candidates = target
    ? selectTarget(roots, target)
    : roots.filter((r) => held.some((l) => sameKey(l, r)));
  if (candidates.length === 0) {
    throw new UserError(`Pull request #${pull.number} holds no plan to apply.`, {
      hint: `Comment "/plan ${pull.headSha.slice(0, 12)}" first.`,
    });
  }
  return candidates.map((entry) => {
    const lock = held.find((l) => sameKey(l, entry));
    if (!lock || lock.sha !== pull.headSha) {
      throw new UserError(
        `${entry.dir} (workspace ${entry.workspace}) has no plan of the head ${pull.headSha.slice(0, 12)} held by pull request #${pull.number}${lock ? ` (its plan is of ${lock.sha.slice(0, 12)})` : ''}.`,
        {
          hint: `Comment "/plan ${pull.headSha.slice(0, 12)} ${entry.dir}" first, review the plan, then /apply.`,
        },
      );
    }
    return applyEntry(entry, lock);
  });
}

/** The trees of the locks' planned commits, one API read per distinct commit. */
async function treesOf(at: Coordinates, locks: HeldRecord[]): Promise<Map<string, string>> {
  const trees = new Map<string, string>();
  for (const sha of new Set(locks.map((l) => l.sha))) trees.set(sha, await commitTree(at, sha));
  return trees;
}

/** A push to the default branch: the held locks whose planned tree is the pushed tree. */
export async function applyEntriesForPush(
  at: Coordinates,
  sha: string,
  locks: LockRecord[],
): Promise<{ entries: ApplyEntry[]; skipped: HeldRecord[]; warnings: string[] }> {
  const held = locks.filter((l): l is HeldRecord => l.state === 'held');
  if (held.length === 0) return { entries: [], skipped: [], warnings: [] };
  const [pushedTree, trees] = await Promise.all([commitTree(at, sha), treesOf(at, held)]);
  const matching = held.filter((l) => trees.get(l.sha) === pushedTree);
  if (matching.length === 0) return { entries: [], skipped: held, warnings: [] };
  const mapping = await matrixForAllRoots(at.client, { owner: at.owner, repo: at.repo }, sha);
  const roots = withArtifacts(mapping);
  const entries: ApplyEntry[] = [];
  const warnings = [...mapping.warnings];
  for (const lock of matching) {
    const root = roots.find((r) => sameKey(r, lock));
    if (root) entries.push(applyEntry(root, lock));
    else
      warnings.push(
        `${lock.dir} (workspace ${lock.workspace}) is locked by PR #${lock.pr} but is no root module at ${sha.slice(0, 12)}; not applied.`,
      );
  }
  return { entries, skipped: held.filter((l) => !matching.includes(l)), warnings };
}

/**
 * The locks a closed pull request releases: all of them when it was closed unmerged; when
 * merged, those the push will not apply (planned from another tree than the merge commit's),
 * so that the push's apply job, which releases the rest after applying, finds them held.
 */
export async function locksToRelease(
  at: Coordinates,
  pr: number,
  locks: LockRecord[],
  mergeCommit: string | null,
): Promise<HeldRecord[]> {
  const held = locks.filter((l): l is HeldRecord => l.state === 'held' && l.pr === pr);
  if (!mergeCommit || held.length === 0) return held;
  const [mergedTree, trees] = await Promise.all([commitTree(at, mergeCommit), treesOf(at, held)]);
  return held.filter((l) => trees.get(l.sha) !== mergedTree);
}
