/**
 * GitHub's workflow dependency lockfile, `.github/workflows/actions.lock`, as `gh actions-lock`
 * writes it (public preview, schema `v0.0.2`):
 *
 * ```yaml
 * version: 'v0.0.2'
 * workflows:
 *   '.github/workflows/ci.yml':          # an onboarded workflow and its direct dependencies
 *     - 'actions/checkout@v6.0.2'
 * dependencies:
 *   'actions/checkout@v6.0.2':            # owner/repo@ref
 *     ref: 'v6.0.2'                       # the tag or branch (for a SHA key: where it was found)
 *     commit: 'sha1-<40 hex>'             # or sha256-<64 hex> for SHA-256 repositories
 *     owner_id: 44036562                  # GitHub's numeric ids of the owner and the repository
 *     repo_id: 197814629
 *     uses: ['owner/repo@ref', ...]       # transitive dependencies (keys of this map)
 * ```
 *
 * This module reads the file and checks each entry on its own (offline); lock-check.ts matches it
 * against the workflows.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { finding, type Finding } from './rules.ts';

export const ACTIONS_LOCK_PATH = '.github/workflows/actions.lock';
export const ACTIONS_LOCK_VERSION = 'v0.0.2';

export interface Position {
  line: number;
  column: number;
}

export interface LockEntry {
  key: string;
  owner: string;
  repo: string;
  /** The ref of the key (`v6.0.2`, `main` or a full SHA). */
  keyRef: string;
  ref?: string;
  /** Hash algorithm and hex digits of `commit` when it is well formed. */
  commit?: { algorithm: 'sha1' | 'sha256'; hex: string };
  ownerId?: number;
  repoId?: number;
  at: Position;
}

export interface ActionsLock {
  file: string;
  /** Entries by lower-case key. */
  dependencies: Map<string, LockEntry>;
  /** Onboarded workflows (path relative to the repository root) and their direct dependency keys. */
  workflows: Map<string, { at: Position; uses: { key: string; at: Position }[] }>;
  /** Problems with the file or its entries (`lockfile-invalid`). */
  findings: Finding[];
}

const COMMIT = /^(sha1)-([0-9a-f]{40})$|^(sha256)-([0-9a-f]{64})$/;
const KEY = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)@(\S+)$/;
const FULL_OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** The two GitHub ids of an entry: the field, its name in the file, and what it is the id of. */
export const LOCK_IDS = [
  { field: 'repoId', name: 'repo_id', of: 'repository', scope: (e: LockEntry) => `${e.owner}/${e.repo}` },
  { field: 'ownerId', name: 'owner_id', of: 'owner', scope: (e: LockEntry) => e.owner },
] as const;

/** Reads the lockfile text; never throws: problems are `lockfile-invalid` findings. */
export function parseActionsLock(text: string, file = ACTIONS_LOCK_PATH): ActionsLock {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: false });
  const at = (node: Node | null | undefined): Position => {
    const { line, col } = lineCounter.linePos(node?.range?.[0] ?? 0);
    return { line, column: col };
  };
  const lock: ActionsLock = { file, dependencies: new Map(), workflows: new Map(), findings: [] };
  const invalid = (where: Position, reference: string, message: string) =>
    lock.findings.push(finding('lockfile-invalid', { file, ...where }, reference, `${file}: ${message}`));
  const [error] = doc.errors;
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    invalid({ line, column: col }, '', `not valid YAML: ${error.message.split('\n')[0]}`);
    return lock;
  }
  const root = doc.contents;
  if (!isMap(root)) {
    invalid(at(root), '', 'must be a mapping with version, workflows and dependencies');
    return lock;
  }
  const version = root.get('version', true) as Node | undefined;
  const versionText = isScalar(version) ? String(version.value) : undefined;
  if (versionText !== ACTIONS_LOCK_VERSION)
    invalid(
      version ? at(version) : at(root),
      '',
      `schema version ${versionText === undefined ? 'missing' : `'${versionText}'`}; pin-check reads '${ACTIONS_LOCK_VERSION}', so its entries are checked as that version`,
    );
  const dependencies = root.get('dependencies', true) as Node | undefined;
  if (dependencies !== undefined && !isMap(dependencies))
    invalid(at(dependencies), '', "'dependencies' must be a mapping of owner/repo@ref to entries");
  for (const pair of isMap(dependencies) ? dependencies.items : []) {
    const entry = readEntry(pair.key as Node, pair.value as Node | null, at, invalid);
    if (entry) lock.dependencies.set(entry.key.toLowerCase(), entry);
  }
  checkIdentities([...lock.dependencies.values()], invalid);
  // `uses` lists name other entries: check once every entry is known.
  for (const pair of isMap(dependencies) ? dependencies.items : []) {
    const uses = isMap(pair.value) ? (pair.value.get('uses', true) as Node | undefined) : undefined;
    for (const item of isSeq(uses) ? uses.items : []) {
      const key = isScalar(item) ? String(item.value) : '';
      if (!lock.dependencies.has(key.toLowerCase()))
        invalid(at(item as Node), key, `'uses' names '${key}', which has no entry in 'dependencies'`);
    }
  }
  const workflows = root.get('workflows', true) as Node | undefined;
  if (workflows !== undefined && !isMap(workflows))
    invalid(at(workflows), '', "'workflows' must map workflow paths to lists of owner/repo@ref");
  for (const pair of isMap(workflows) ? workflows.items : []) {
    const path = isScalar(pair.key) ? String(pair.key.value) : '';
    const list = pair.value as Node | null;
    if (!isSeq(list)) {
      invalid(at(pair.key as Node), path, `the workflow '${path}' must list owner/repo@ref keys`);
      continue;
    }
    const uses = list.items.map((item) => ({
      key: isScalar(item) ? String(item.value) : '',
      at: at(item as Node),
    }));
    for (const use of uses)
      if (!lock.dependencies.has(use.key.toLowerCase()))
        invalid(
          use.at,
          use.key,
          `the workflow '${path}' names '${use.key}', which has no entry in 'dependencies'`,
        );
    lock.workflows.set(path, { at: at(pair.key as Node), uses });
  }
  return lock;
}

function readEntry(
  keyNode: Node,
  value: Node | null,
  at: (node: Node | null | undefined) => Position,
  invalid: (where: Position, reference: string, message: string) => void,
): LockEntry | undefined {
  const key = isScalar(keyNode) ? String(keyNode.value) : '';
  const where = at(keyNode);
  const parts = KEY.exec(key);
  if (!parts) {
    invalid(where, key, `the dependency key '${key}' is not owner/repo@ref`);
    return undefined;
  }
  const [, owner = '', repo = '', keyRef = ''] = parts;
  const entry: LockEntry = { key, owner, repo, keyRef, at: where };
  if (!isMap(value)) {
    invalid(where, key, `the entry '${key}' must be a mapping with ref, commit, owner_id and repo_id`);
    return entry;
  }
  const field = (name: string) => value.get(name, true) as Node | undefined;
  const ref = field('ref');
  if (!isScalar(ref) || typeof ref.value !== 'string' || ref.value === '')
    invalid(ref ? at(ref) : where, key, `the entry '${key}' has no 'ref'`);
  else {
    entry.ref = ref.value;
    if (!FULL_OBJECT_ID.test(keyRef) && ref.value !== keyRef)
      invalid(at(ref), key, `the entry '${key}' has ref '${ref.value}', not '${keyRef}' as its key says`);
  }
  const commit = field('commit');
  const match = isScalar(commit) ? COMMIT.exec(String(commit.value)) : null;
  if (!match)
    invalid(
      commit ? at(commit) : where,
      key,
      `the entry '${key}' has commit ${isScalar(commit) ? `'${String(commit.value)}'` : 'missing'}; expected sha1-<40 lowercase hex> or sha256-<64 lowercase hex>`,
    );
  else {
    entry.commit = match[1]
      ? { algorithm: 'sha1', hex: match[2] as string }
      : { algorithm: 'sha256', hex: match[4] as string };
    if (FULL_OBJECT_ID.test(keyRef) && keyRef !== entry.commit.hex)
      invalid(
        at(commit),
        key,
        `the entry '${key}' locks commit ${entry.commit.hex}, not the ${keyRef} its key names`,
      );
  }
  for (const { field: property, name } of LOCK_IDS) {
    const id = field(name);
    if (!isScalar(id) || typeof id.value !== 'number' || !Number.isSafeInteger(id.value) || id.value <= 0)
      invalid(
        id ? at(id) : where,
        key,
        `the entry '${key}' needs '${name}', GitHub's numeric id (a positive whole number)`,
      );
    else entry[property] = id.value;
  }
  return entry;
}

/**
 * One repository has one id and one owner one owner id: entries that disagree name two different
 * repositories under one name (a repository deleted and re-created, or renamed over).
 */
function checkIdentities(
  entries: readonly LockEntry[],
  invalid: (where: Position, reference: string, message: string) => void,
): void {
  for (const { field, name, of, scope } of LOCK_IDS) {
    const first = new Map<string, LockEntry>();
    for (const entry of entries) {
      const id = entry[field];
      if (id === undefined) continue;
      const key = scope(entry).toLowerCase();
      const earlier = first.get(key);
      if (!earlier) first.set(key, entry);
      else if (earlier[field] !== id)
        invalid(
          entry.at,
          entry.key,
          `the entry '${entry.key}' has ${name} ${id}, but '${earlier.key}' has ${earlier[field]} for the same ${of}`,
        );
    }
  }
}
