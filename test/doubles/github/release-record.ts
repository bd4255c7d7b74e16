/** What the double remembers about one release (the tag itself lives in git). */

export interface ReleaseRecord {
  id: number;
  nodeId: string;
  tagName: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  /** An immutable release: GitHub refuses to move its tag or change its assets (REST `immutable`). */
  immutable: boolean;
  createdAt: string;
  publishedAt: string | null;
}

/** GitHub's "latest release": the most recently created release that is neither draft nor prerelease. */
export function latestRelease(releases: readonly ReleaseRecord[]): ReleaseRecord | undefined {
  return [...releases]
    .filter((r) => !r.draft && !r.prerelease)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id)[0];
}

/** Newest first, like GitHub's release lists. */
export function releasesNewestFirst(releases: readonly ReleaseRecord[]): ReleaseRecord[] {
  return [...releases].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
}
