/**
 * The version comment after a pinned `uses:` value, in the styles tools write it:
 * `# v1.2.3` (Dependabot, pinact), `# tag=v1.2.3` (Renovate), `# pin @v1.2.3` (pin-github-action)
 * and ratchet's `# ratchet:owner/repo@v1`, possibly next to other tools' directives such as
 * `# zizmor: ignore[unpinned-uses]`. pin-check writes ` # vX.Y.Z` with the version last (where
 * Dependabot looks for it) and keeps the directives in front of it.
 */

export type CommentStyle = 'plain' | 'tag' | 'pin' | 'ratchet';

export interface VersionComment {
  /** The version the comment names (a plain version wins over ratchet's ref). */
  version?: string;
  style?: CommentStyle;
  /** Segments of other tools (`ratchet:…`, `zizmor: ignore[…]`, `renovate: …`), in order. */
  directives: string[];
}

/** The action a comment belongs to, so that a ratchet comment naming another one is not read. */
export interface CommentOwner {
  owner: string;
  repo: string;
  path?: string;
}

const VERSION_SEGMENT = /^(tag\s*[=:]\s*|pin\s*@\s*|@)?(v?\d[\w.+-]*)/i;
const RATCHET = /^ratchet:(\S+)@(\S+)$/i;
/** `tool: …` or `tool=…` directives, and the bare suppression markers of common linters. */
const DIRECTIVE = /^(?:[a-z][\w.-]*\s*:\s*\S|[a-z][\w.-]*=\S|(?:nosemgrep|noqa|nolint)\b)/i;

const styleOf = (prefix: string | undefined): CommentStyle => {
  const p = (prefix ?? '').toLowerCase();
  return p.startsWith('tag') ? 'tag' : p.startsWith('pin') ? 'pin' : 'plain';
};

/** Splits a comment (the text after the first `#`) into its `#`-separated segments. */
const segments = (text: string): string[] =>
  text
    .split('#')
    .map((part) => part.trim())
    .filter((part) => part !== '');

function sameAction(named: string, owner: CommentOwner | undefined): boolean {
  if (!owner) return true;
  const own = [owner.owner, owner.repo, ...(owner.path ? [owner.path] : [])].join('/');
  return named.toLowerCase() === own.toLowerCase();
}

export function parseVersionComment(text: string | undefined, owner?: CommentOwner): VersionComment {
  const result: VersionComment = { directives: [] };
  let ratchet: string | undefined;
  for (const segment of segments(text ?? '')) {
    const r = RATCHET.exec(segment);
    if (r) {
      result.directives.push(segment);
      if (ratchet === undefined && sameAction(r[1] as string, owner)) ratchet = r[2];
      continue;
    }
    const v = VERSION_SEGMENT.exec(segment);
    // `tag=v1` is a version, though `tag=` alone would look like a directive
    if (v && (v[1] !== undefined || !DIRECTIVE.test(segment))) {
      if (result.version === undefined) {
        result.version = v[2];
        result.style = styleOf(v[1]);
      }
      continue;
    }
    if (DIRECTIVE.test(segment)) result.directives.push(segment);
  }
  if (result.version === undefined && ratchet !== undefined) {
    result.version = ratchet;
    result.style = 'ratchet';
  }
  return result;
}

/** The version a pin comment names: `v4.1.0`, `tag=v4.1.0`, `pin @v4.1.0`, `4.1.0 (note)`, ratchet's ref. */
export function commentVersion(comment: string | undefined, owner?: CommentOwner): string | undefined {
  return parseVersionComment(comment, owner).version;
}

/**
 * The comment text (after `# `) that records `version`: the other tools' directives of the old
 * comment first, then the version, last. Free text and the old version are dropped.
 */
export function versionCommentText(old: string | undefined, version: string, owner?: CommentOwner): string {
  return [...parseVersionComment(old, owner).directives, version].join(' # ');
}
