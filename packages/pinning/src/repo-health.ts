/**
 * Findings about the repository a pinned action comes from, read in the same batched request as
 * its tags and branches: archived repositories (no more fixes) and GitHub Advisory Database
 * entries (ecosystem ACTIONS) whose vulnerable range holds the pinned version.
 */
import semver from 'semver';
import type { ActionSite } from './online-check.ts';
import { tagVersion, type RepoRefs } from './repo-refs.ts';
import { finding, type Finding } from './rules.ts';

/**
 * The version of the pinned commit: its most specific tag (`v4.1.2` over `v4`), else the version
 * the comment names. Undefined when neither is a version.
 */
export function pinnedVersion(
  a: ActionSite,
  refs: RepoRefs,
  comment: string | undefined,
): semver.SemVer | undefined {
  const tagged = refs.tags
    .filter((t) => t.sha === a.ref)
    .map((t) => ({ name: t.name, version: tagVersion(t.name) }))
    .filter((t): t is { name: string; version: semver.SemVer } => t.version !== undefined)
    .sort(
      (x, y) => y.name.split('.').length - x.name.split('.').length || semver.rcompare(x.version, y.version),
    );
  return tagged[0]?.version ?? (comment ? tagVersion(comment) : undefined);
}

/** True when `version` is in GitHub's range text (`>= 1.0.0, < 1.2.0`); false for a range it cannot read. */
export function inVulnerableRange(version: semver.SemVer, range: string): boolean {
  try {
    return semver.satisfies(version, range.replace(/,/g, ' '), { includePrerelease: true });
  } catch {
    return false;
  }
}

export function repoHealthFindings(a: ActionSite, refs: RepoRefs, comment: string | undefined): Finding[] {
  const findings: Finding[] = [];
  const name = `${a.owner}/${a.repo}`;
  const shown = a.site.value ?? '';
  if (refs.archived)
    findings.push(
      finding(
        'archived-action',
        a.site,
        shown,
        `${name} is archived: it is read-only and gets no more fixes, security ones included`,
      ),
    );
  const version = refs.advisories.length > 0 ? pinnedVersion(a, refs, comment) : undefined;
  if (!version) return findings;
  for (const advisory of refs.advisories)
    if (inVulnerableRange(version, advisory.range))
      findings.push(
        finding(
          'known-vulnerable-action',
          a.site,
          shown,
          `${name} ${version.version} is affected by ${advisory.ghsaId} (${advisory.severity.toLowerCase()}, versions ${advisory.range}): ${advisory.summary}${advisory.patched ? `; fixed in ${advisory.patched}` : '; no fixed version yet'}`,
        ),
      );
  return findings;
}
