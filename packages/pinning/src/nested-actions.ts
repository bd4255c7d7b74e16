/**
 * The transitive check: GitHub's "actions must be pinned to a full-length commit SHA" policy
 * rejects a run when a pinned action itself uses an action (or a `docker://` image) that is not
 * pinned. For every pinned remote action this reads its metadata at the pinned commit, reports
 * every unpinned `uses:` and `runs.image` in it with the chain that leads there
 * (`ci.yml:14 → docker/login-action@<sha> → actions/toolkit-x@v2`), and follows the pinned ones,
 * level by level (one batched lookup per level), down to a depth limit.
 */
import { ActionMetadataFetcher, actionKey, type PinnedAction } from './action-metadata.ts';
import { couldNotVerify, tryLookup } from './could-not-verify.ts';
import type { ActionSite } from './online-check.ts';
import { describeUnpinnedImage, describeUnpinnedRef, FULL_SHA } from './reference.ts';
import { finding, referenceOf, type Finding } from './rules.ts';
import { scanFile, type ReferenceSite } from './scan.ts';

/** Levels of metadata read below a workflow: 1 reads the actions the workflow names. */
export const DEFAULT_NESTED_DEPTH = 5;

interface Walk {
  top: ActionSite;
  /** `ci.yml:14 → a/b@<sha12> → ...` up to and including `action`. */
  chain: string;
  action: PinnedAction;
  /** Actions on the way here (a cycle stops the walk). */
  path: ReadonlySet<string>;
}

const label = (a: PinnedAction) => `${a.owner}/${a.repo}${a.path ? `/${a.path}` : ''}@${a.sha.slice(0, 12)}`;

/** Why a nested site is not pinned, or undefined when it is (or is local to the action). */
function whyUnpinned(site: ReferenceSite): string | undefined {
  const reference = referenceOf(site);
  switch (reference.kind) {
    case 'local':
    case 'self':
      return undefined;
    case 'expression':
      return 'it is computed by an expression, so its pin cannot be checked';
    case 'invalid':
      return `it is not valid: ${reference.reason}`;
    case 'docker':
      return describeUnpinnedImage(reference.image);
    case 'action':
      return describeUnpinnedRef(reference.ref);
  }
}

/** Subject of a nested site for the allow-list: `owner/repo` of an action, the name of an image. */
function nestedSubject(site: ReferenceSite): string | undefined {
  const reference = referenceOf(site);
  if (reference.kind === 'action') return `${reference.owner}/${reference.repo}`.toLowerCase();
  return reference.kind === 'docker' ? reference.image.name : undefined;
}

export async function checkNestedActions(
  tops: readonly ActionSite[],
  metadata: ActionMetadataFetcher,
  maxDepth = DEFAULT_NESTED_DEPTH,
  allows: (subject: string) => boolean = () => false,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const reported = new Set<string>();
  let frontier: Walk[] = tops
    .filter((t) => t.site.kind === 'step-uses' && FULL_SHA.test(t.ref))
    .map((top) => {
      const action = { owner: top.owner, repo: top.repo, path: top.path, sha: top.ref };
      return {
        top,
        chain: `${top.site.file}:${top.site.line} → ${label(action)}`,
        action,
        path: new Set([actionKey(action)]),
      };
    });
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    const lookup = await tryLookup(() => metadata.fetch(frontier.map((w) => w.action)));
    if (!lookup.ok) {
      const sites = [...new Set(frontier.map((w) => w.top.site))];
      return [...findings, ...couldNotVerify(sites, 'reading the actions it uses', lookup.error)];
    }
    const next: Walk[] = [];
    for (const walk of frontier) {
      const meta = lookup.value.get(actionKey(walk.action));
      if (!meta) continue;
      const where = `${walk.action.owner}/${walk.action.repo}/${walk.action.path ? `${walk.action.path}/` : ''}${meta.file}`;
      for (const site of scanFile(where, meta.text, 'action').sites) {
        const reference = referenceOf(site);
        if (reference.kind === 'action' && FULL_SHA.test(reference.ref)) {
          const action = {
            owner: reference.owner,
            repo: reference.repo,
            path: reference.path,
            sha: reference.ref,
          };
          if (walk.path.has(actionKey(action))) continue;
          next.push({
            top: walk.top,
            chain: `${walk.chain} → ${label(action)}`,
            action,
            path: new Set([...walk.path, actionKey(action)]),
          });
          continue;
        }
        const why = whyUnpinned(site);
        if (why === undefined) continue;
        const subject = nestedSubject(site);
        if (subject !== undefined && allows(subject)) continue;
        const chain = `${walk.chain} → ${site.value ?? ''}`;
        const key = `${walk.top.site.file}:${walk.top.site.valueStart}:${chain}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const what = site.kind === 'runs-image' ? 'runs.image' : 'uses';
        findings.push(
          finding(
            'unpinned-nested-action',
            walk.top.site,
            walk.top.site.value ?? '',
            `${chain}: ${what} at ${where}:${site.line} is not pinned (${why}); GitHub's SHA-pinning policy rejects the run`,
          ),
        );
      }
    }
    frontier = next;
  }
  return findings;
}
