/**
 * Decides the new pin for each action reference: `--fix` resolves an unpinned
 * tag or branch to the commit it points at (`@<sha> # <tag>`); `--update` moves
 * a pin to the newest release tag of the same major version (any major with
 * `--major`). Then rewrites the files byte-exactly.
 */
import type { ScannedFile } from './check.ts';
import { rewriteFile, whyNotEditable, type Replacement } from './fix.ts';
import { actionSites, refDoubt, siteVersion, type ActionSite } from './online-check.ts';
import { FULL_SHA, repoKey } from './reference.ts';
import { newestTag, tagVersion, type ReleaseAge, type RepoRefsFetcher } from './repo-refs.ts';
import { pairKey, type RefResolver } from './resolve-refs.ts';
import { versionCommentText } from './version-comment.ts';

export interface FixOptions {
  update?: boolean;
  /** With update: allow moving to a newer major version. */
  major?: boolean;
  /** With update: only move to tags at least this old (cooldown). */
  releaseAge?: ReleaseAge;
}

export interface FileFix {
  file: string;
  bytes: Buffer;
  replacements: Replacement[];
}

export interface FixPlan {
  fixes: FileFix[];
  /** References that could not be rewritten, with the reason (file:line:col and text). */
  skipped: { file: string; line: number; column: number; reference: string; reason: string }[];
}

export async function planFixes(
  files: readonly ScannedFile[],
  resolver: RefResolver,
  repoRefs: RepoRefsFetcher,
  options: FixOptions = {},
): Promise<FixPlan> {
  const perFile = files.map((file) => ({ file, actions: file.parsed ? actionSites(file.sites) : [] }));
  const all = perFile.flatMap((f) => f.actions);
  const resolutions = await resolver.resolve(all.filter((a) => !FULL_SHA.test(a.ref)));
  const refs = options.update ? await repoRefs.fetch(all) : new Map();
  const plan: FixPlan = { fixes: [], skipped: [] };

  for (const { file, actions } of perFile) {
    const replacements: Replacement[] = [];
    for (const a of actions) {
      const skip = (reason: string) =>
        plan.skipped.push({
          file: file.file,
          line: a.site.line,
          column: a.site.column,
          reference: a.site.value ?? '',
          reason,
        });
      if (file.locked?.has(a.site)) {
        if (!FULL_SHA.test(a.ref) || options.update)
          skip(
            'the workflow is onboarded to .github/workflows/actions.lock; update it with `gh actions-lock`',
          );
        continue;
      }
      const target = options.update
        ? updateTarget(a, refs.get(repoKey(a.owner, a.repo)), options.major, options.releaseAge)
        : undefined;
      let replacement: Replacement | undefined;
      if (target) {
        if (target.sha !== a.ref || siteVersion(a) !== target.name)
          replacement = {
            site: a.site,
            ref: target.sha,
            comment: versionCommentText(a.site.comment?.text, target.name, a),
          };
      } else if (!FULL_SHA.test(a.ref)) {
        const resolution = resolutions.get(pairKey(a));
        if (!resolution || resolution.status !== 'ok') {
          skip(
            resolution?.status === 'repo-not-found'
              ? 'the repository does not exist'
              : `'${a.ref}' does not exist`,
          );
          continue;
        }
        const doubt = refDoubt(a, resolution);
        if (doubt) {
          skip(`${doubt.ruleId}: ${doubt.message}`);
          continue;
        }
        replacement =
          resolution.kind === 'commit'
            ? { site: a.site, ref: resolution.sha }
            : {
                site: a.site,
                ref: resolution.sha,
                comment: versionCommentText(a.site.comment?.text, a.ref, a),
              };
      }
      if (!replacement) continue;
      const why = whyNotEditable(a.site);
      if (why) skip(why);
      else replacements.push(replacement);
    }
    const bytes = rewriteFile(file, replacements);
    if (bytes) plan.fixes.push({ file: file.file, bytes, replacements });
    else if (replacements.length > 0)
      plan.skipped.push({
        file: file.file,
        line: 1,
        column: 1,
        reference: '',
        reason: 'the file is not valid UTF-8',
      });
  }
  return plan;
}

/** The newest tag of the same major (or any major) when it is newer than the current version. */
function updateTarget(
  a: ActionSite,
  refs: import('./repo-refs.ts').RepoRefs | null | undefined,
  major: boolean | undefined,
  age?: ReleaseAge,
): { name: string; sha: string } | undefined {
  if (!refs) return undefined;
  const current = FULL_SHA.test(a.ref) ? siteVersion(a) : a.ref;
  const version = current ? tagVersion(current) : undefined;
  if (!version) return undefined;
  const newest = newestTag(refs.tags, major ? undefined : version.major, age);
  if (!newest) return undefined;
  const newestVersion = tagVersion(newest.name);
  if (newestVersion && newestVersion.compare(version) < 0) return undefined;
  return newest;
}
