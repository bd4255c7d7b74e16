/**
 * pin-check over a tree: discover files, scan each, evaluate offline rules,
 * apply the policy, and (when an online checker is given) add the findings
 * that need the GitHub API.
 */
import { discoverFiles } from './discover.ts';
import type { ActionsLock } from './actions-lock.ts';
import type { PinnedRelease } from './pinned-releases.ts';
import { loadLockCheck } from './lock-check.ts';
import { compilePolicy, type Policy } from './policy.ts';
import { readCheckedFile } from './read-checked-file.ts';
import { evaluateSite, finding, parseProblemFinding, referenceOf, type Finding } from './rules.ts';
import { scanFile, type ReferenceSite, type ScanResult } from './scan.ts';
import { repoKey } from './reference.ts';

export interface ScannedFile {
  file: string;
  /** The file's bytes as read; fix mode edits these. */
  bytes: Buffer;
  text: string;
  sites: ReferenceSite[];
  parsed: boolean;
  /** Sites whose pin .github/workflows/actions.lock governs (fix mode leaves them to gh actions-lock). */
  locked?: ReadonlySet<ReferenceSite>;
}

export interface OnlineChecker {
  check(sites: ReferenceSite[]): Promise<Finding[]>;
  /** Checks the entries of .github/workflows/actions.lock against GitHub (repository identity). */
  checkLock?(lock: ActionsLock): Promise<Finding[]>;
  /** Information, not findings: the release tag of each reference and whether it is immutable. */
  releases?(sites: ReferenceSite[]): Promise<PinnedRelease[]>;
}

/** One file read and scanned. */
export interface FileScan {
  file: string;
  bytes: Uint8Array;
  result: ScanResult;
}

/** Reads and scans files (relative to root), in order; the default does it on this thread. */
export type TreeScanner = (root: string, files: readonly string[]) => Promise<FileScan[]>;

/** A file that is not a regular file, too large or unreadable comes back `unchecked`, with no bytes. */
export function readAndScan(root: string, file: string): FileScan {
  const read = readCheckedFile(root, file);
  if ('unchecked' in read)
    return { file, bytes: new Uint8Array(), result: { sites: [], problems: [], unchecked: read.unchecked } };
  return { file, bytes: read.bytes, result: scanFile(file, read.bytes.toString('utf8')) };
}

export const scanOnThisThread: TreeScanner = async (root, files) =>
  files.map((file) => readAndScan(root, file));

export interface PinCheckOptions {
  root: string;
  paths: readonly string[];
  policy: Policy;
  online?: OnlineChecker;
  scanner?: TreeScanner;
  /** Today, for policy exceptions that expire (default: the system clock). */
  now?: Date;
}

export interface PinCheckResult {
  files: ScannedFile[];
  findings: Finding[];
  /** Sites the policy does not exempt (allow-list), in file order. */
  checkedSites: ReferenceSite[];
  /** Online: the release tag each action reference stands for, and whether it is immutable. */
  releases?: PinnedRelease[];
}

/** Allow-list subject of a site: `owner/repo` for actions, the image name for images. */
export function subjectOf(site: ReferenceSite): string | undefined {
  const reference = referenceOf(site);
  if (reference.kind === 'action') return repoKey(reference.owner, reference.repo);
  if (reference.kind === 'docker') return reference.image.name;
  return undefined;
}

export async function pinCheck(options: PinCheckOptions): Promise<PinCheckResult> {
  const policy = compilePolicy(options.policy, options.now);
  const files = discoverFiles(options.root, options.paths).filter((file) => !policy.ignores(file));
  const scanned: ScannedFile[] = [];
  const raw: Finding[] = [...policy.findings];
  const checkedSites: ReferenceSite[] = [];
  const scans = await (options.scanner ?? scanOnThisThread)(options.root, files);
  const lock = loadLockCheck(options.root);
  for (const { file, bytes, result } of scans) {
    const buffer = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const entry: ScannedFile = {
      file,
      bytes: buffer,
      text: buffer.toString('utf8'),
      sites: [],
      parsed: true,
    };
    entry.parsed = result.problems.length === 0 && result.unchecked === undefined;
    if (result.unchecked !== undefined)
      raw.push(
        finding(
          'unchecked-file',
          { file, line: 1, column: 1 },
          '',
          `${file} was not checked: ${result.unchecked}`,
        ),
      );
    raw.push(...result.problems.map(parseProblemFinding));
    const allowed = result.sites.filter((site) => {
      const subject = subjectOf(site);
      return subject === undefined || !policy.allows(subject);
    });
    const locked = lock?.checkFile(file, allowed);
    if (locked) raw.push(...locked.findings);
    if (locked && locked.locked.size > 0) entry.locked = locked.locked;
    for (const site of allowed) {
      entry.sites.push(site);
      checkedSites.push(site);
      const found = evaluateSite(site);
      // A tag reference that the lockfile locks for this workflow runs the locked commit.
      if (found && !(found.ruleId === 'unpinned-action' && locked?.locked.has(site))) raw.push(found);
    }
    scanned.push(entry);
  }
  if (lock) raw.push(...lock.finish());
  if (options.online) raw.push(...(await options.online.check(checkedSites)));
  if (options.online?.checkLock && lock?.lock) raw.push(...(await options.online.checkLock(lock.lock)));
  const releases = await options.online?.releases?.(checkedSites);
  const findings = raw
    .map((f) => policy.apply(f))
    .filter((f): f is Finding => f !== undefined)
    .sort(byPosition);
  return { files: scanned, findings, checkedSites, ...(releases ? { releases } : {}) };
}

export function byPosition(a: Finding, b: Finding): number {
  return a.file < b.file
    ? -1
    : a.file > b.file
      ? 1
      : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

/**
 * How a run ends: `findings` when a finding other than could-not-verify is at error severity,
 * else `unverified` when a could-not-verify finding is (a failed lookup never passes), else `ok`.
 */
export type RunOutcome = 'ok' | 'findings' | 'unverified';

export function runOutcome(findings: readonly Finding[]): RunOutcome {
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.some((f) => f.ruleId !== 'could-not-verify')) return 'findings';
  return errors.length > 0 ? 'unverified' : 'ok';
}

/** Number of findings at error severity: a non-zero count makes the run fail. */
export const errorCount = (findings: readonly Finding[]): number =>
  findings.filter((f) => f.severity === 'error').length;
