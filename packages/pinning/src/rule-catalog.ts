/**
 * The rules pin-check reports and their metadata (used by SARIF, the policy and the docs).
 */
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
    'The message says which: the comment is wrong (the pinned commit carries other tags: correct the comment), the tag moved on since the pin (move the pin with `--update`, or write the version it is), or the tag was moved to other history (check before trusting the pin). pin-check never moves a pin to follow a comment.',
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
  'tag-only-commit': rule(
    'tag-only-commit',
    'TagOnlyCommit',
    'Pinned commit is reachable only from tags, not from any branch',
    'A commit that no branch contains was never merged: a tag was pointed at it directly, as in the tj-actions/changed-files compromise (March 2025). Check the commit, and pin a release whose commit is on the default branch.',
    'warning',
    true,
  ),
  'ambiguous-ref': rule(
    'ambiguous-ref',
    'AmbiguousRef',
    'The ref names both a tag and a branch (or an abbreviated commit)',
    'Pin the full commit SHA you mean; pin-check never guesses between a tag and a branch of the same name, and `--fix` leaves such a reference alone.',
    'error',
    true,
  ),
  'sha-like-ref-name': rule(
    'sha-like-ref-name',
    'ShaLikeRefName',
    'A tag or branch is named like a commit SHA',
    'A tag or branch whose name looks like a commit SHA exists only to be mistaken for one. Pin the full commit SHA, and check the repository and the commit before trusting it.',
    'error',
    true,
  ),
  'archived-action': rule(
    'archived-action',
    'ArchivedAction',
    'The pinned action comes from an archived repository',
    'An archived repository is read-only: it will not fix bugs or vulnerabilities. Move to a maintained action (or a maintained fork you trust).',
    'warning',
    true,
  ),
  'known-vulnerable-action': rule(
    'known-vulnerable-action',
    'KnownVulnerableAction',
    'The pinned version of the action has a GitHub security advisory',
    'The GitHub Advisory Database (ecosystem ACTIONS) lists the pinned version as vulnerable. Move the pin to the fixed version (`slipway pin-check --fix --update`).',
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
  'expired-exception': rule(
    'expired-exception',
    'ExpiredException',
    'An allow exception in the policy is past its expiry date',
    'The exception no longer exempts anything: pin the references it covered, or renew it with a later `expires` date (and a reason that still holds).',
    'error',
  ),
  'lockfile-invalid': rule(
    'lockfile-invalid',
    'LockfileInvalid',
    'An entry of .github/workflows/actions.lock is malformed or inconsistent',
    'Regenerate the lockfile with `gh actions-lock` (it should never be edited by hand): each entry needs `ref`, `commit: sha1-<40 hex>` (or `sha256-<64 hex>`), `owner_id` and `repo_id`, and every key it names must have an entry.',
    'error',
  ),
  'lockfile-mismatch': rule(
    'lockfile-mismatch',
    'LockfileMismatch',
    'A workflow and .github/workflows/actions.lock disagree',
    'Run `gh actions-lock` and commit the lockfile: an onboarded workflow needs an entry for every action its steps use, and the lockfile should list nothing the workflow no longer uses.',
    'error',
  ),
  'unpinned-nested-action': rule(
    'unpinned-nested-action',
    'UnpinnedNestedAction',
    'A pinned action uses an action or image that is not pinned',
    'The pinned action\'s own metadata (action.yml at the pinned commit) names an unpinned action or `docker://` image, so the code that runs can still move, and GitHub\'s "actions must be pinned to a full-length commit SHA" policy rejects the run. Move to a release of the action that pins its dependencies, or ask its maintainers to.',
    'error',
    true,
  ),
  'could-not-verify': rule(
    'could-not-verify',
    'CouldNotVerify',
    'An online lookup failed, so the reference could not be verified',
    'Check the network, the API URL (`GITHUB_API_URL` or `--api-url`) and the token, then run again. A run whose only errors are of this rule exits with code 3. To accept unverified references, set `severity: { could-not-verify: warning }` in the policy.',
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
