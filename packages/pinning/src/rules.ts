/**
 * The rules pin-check reports, their metadata (used by SARIF and the docs) and
 * the offline evaluation of one reference site.
 */
import {
  describeUnpinnedImage,
  describeUnpinnedRef,
  parseImageReference,
  parseUsesReference,
  type UsesReference,
} from './reference.ts';
import type { ParseProblem, ReferenceSite } from './scan.ts';

export type Severity = 'error' | 'warning' | 'note' | 'off';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'note', 'off'];

export interface RuleMeta {
  id: string;
  name: string;
  summary: string;
  help: string;
  defaultSeverity: Exclude<Severity, 'off'>;
  online: boolean;
}

const rule = (
  id: string,
  name: string,
  summary: string,
  help: string,
  defaultSeverity: Exclude<Severity, 'off'>,
  online = false,
): RuleMeta => ({ id, name, summary, help, defaultSeverity, online });

export const RULES = {
  'unpinned-action': rule(
    'unpinned-action',
    'UnpinnedAction',
    'Action or reusable workflow not pinned to a full commit SHA',
    'Reference the action by its full 40-character lowercase commit SHA and keep the tag as a comment: `uses: owner/repo@<sha> # v1.2.3`. `slipway pin-check --fix` does this.',
    'error',
  ),
  'unpinned-image': rule(
    'unpinned-image',
    'UnpinnedImage',
    'Container image not pinned to a sha256 digest',
    'Reference the image by digest: `image: name:tag@sha256:<64 hex>`.',
    'error',
  ),
  'unresolvable-reference': rule(
    'unresolvable-reference',
    'UnresolvableReference',
    'Reference computed by an expression cannot be checked',
    'Write the reference literally so it can be pinned and reviewed; move the choice into `if:` conditions or separate steps.',
    'warning',
  ),
  'invalid-reference': rule(
    'invalid-reference',
    'InvalidReference',
    'Reference is not of a form GitHub accepts',
    'Use `owner/repo[/path]@<sha>`, `./local/path`, `$/path` (this repository at the running commit, without `@ref`) or `docker://image@sha256:<digest>`.',
    'error',
  ),
  'parse-error': rule(
    'parse-error',
    'ParseError',
    'File is not valid YAML',
    'Fix the YAML syntax at the reported position.',
    'error',
  ),
  'unchecked-file': rule(
    'unchecked-file',
    'UncheckedFile',
    'File was not checked',
    'pin-check reads regular files of at most 1 MiB whose anchors and merge keys resolve within a fixed number of lookups. Replace a symbolic link to a device, pipe or directory by the file itself, and split or simplify a file that is too large or too deeply merged.',
    'error',
  ),
  'version-comment-drift': rule(
    'version-comment-drift',
    'VersionCommentDrift',
    'Version comment names a tag that does not point at the pinned SHA',
    'Re-pin with `slipway pin-check --fix`, or correct the comment to the tag that points at the SHA.',
    'error',
    true,
  ),
  'impostor-commit': rule(
    'impostor-commit',
    'ImpostorCommit',
    'Pinned commit is not reachable from any branch or tag of the named repository',
    'The commit may come from a fork in the same network. Pin a commit from the repository itself, resolved from one of its tags.',
    'error',
    true,
  ),
  'ref-not-found': rule(
    'ref-not-found',
    'RefNotFound',
    'Repository, tag or branch no longer exists',
    'Check the owner and repository name and the ref; the repository may have been renamed, deleted or made private.',
    'error',
    true,
  ),
  'stale-pin': rule(
    'stale-pin',
    'StalePin',
    'A newer release of the pinned action exists',
    'Move the pin with `slipway pin-check --fix --update`.',
    'note',
    true,
  ),
} as const satisfies Record<string, RuleMeta>;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as RuleId[];
export const isRuleId = (id: string): id is RuleId => Object.hasOwn(RULES, id);

export interface Finding {
  ruleId: RuleId;
  severity: Exclude<Severity, 'off'>;
  /** Path relative to the run's root, with forward slashes. */
  file: string;
  line: number;
  column: number;
  /** The reference as written (empty for parse errors). */
  reference: string;
  message: string;
}

/** A finding before policy is applied: its severity is the rule default. */
export function finding(
  ruleId: RuleId,
  at: { file: string; line: number; column: number },
  reference: string,
  message: string,
): Finding {
  const { file, line, column } = at;
  return { ruleId, severity: RULES[ruleId].defaultSeverity, file, line, column, reference, message };
}

export function parseProblemFinding(problem: ParseProblem): Finding {
  return finding('parse-error', problem, '', `${problem.file} is not valid YAML: ${problem.message}`);
}

const SITE_LABEL: Record<ReferenceSite['kind'], string> = {
  'step-uses': 'uses',
  'job-uses': 'reusable workflow',
  container: 'job container image',
  service: 'service container image',
  'runs-image': 'action image',
};

/** The parsed form of a site's value: a `uses:` reference, or an image wrapped as `docker`. */
export function referenceOf(site: ReferenceSite): UsesReference {
  const value = site.value;
  if (value === undefined) return { kind: 'invalid', reason: 'it is not a string' };
  if (site.kind === 'step-uses' || site.kind === 'job-uses') return parseUsesReference(value);
  const stripped = site.kind === 'runs-image' ? value.slice('docker://'.length) : value;
  if (stripped.includes('${{')) return { kind: 'expression' };
  const image = parseImageReference(stripped);
  return 'reason' in image ? { kind: 'invalid', reason: image.reason } : { kind: 'docker', image };
}

/** Offline findings for one site: unpinned, expression or invalid. */
export function evaluateSite(site: ReferenceSite): Finding | undefined {
  const reference = referenceOf(site);
  const shown = site.value ?? '';
  const label = SITE_LABEL[site.kind];
  switch (reference.kind) {
    case 'local':
    case 'self':
      return undefined;
    case 'expression':
      return finding(
        'unresolvable-reference',
        site,
        shown,
        `${label} '${shown}' is computed by an expression, so its pin cannot be checked`,
      );
    case 'invalid':
      return finding(
        'invalid-reference',
        site,
        shown,
        `${label} '${shown}' is not valid: ${reference.reason}`,
      );
    case 'docker': {
      const why = describeUnpinnedImage(reference.image);
      return why === undefined
        ? undefined
        : finding('unpinned-image', site, shown, `${label} '${shown}' is not pinned to a digest: ${why}`);
    }
    case 'action': {
      const why = describeUnpinnedRef(reference.ref);
      return why === undefined
        ? undefined
        : finding(
            'unpinned-action',
            site,
            shown,
            `${label} '${shown}' is not pinned to a commit SHA: ${why}`,
          );
    }
  }
}
