/**
 * Policy exceptions: allow-list entries that say why a reference may stay unpinned and,
 * optionally, until when. An exception past its `expires` date exempts nothing any more and is
 * itself reported (`expired-exception`) at its line in the policy file.
 *
 * ```yaml
 * allow:
 *   - match: octo-org/internal-tool
 *     reason: built from our own monorepo, reviewed on every change
 *     expires: 2026-12-31   # last day the exception holds (UTC)
 * ```
 */
import { isScalar, type Node, type YAMLMap } from 'yaml';
import { UserError } from '@slipway/core';
import { finding, type Finding } from './rules.ts';

export interface PolicyException {
  /** Owner, `owner/repo`, image name or glob, as a plain allow entry. */
  match: string;
  reason: string;
  /** Last day (UTC, `YYYY-MM-DD`) the exception holds; none: it does not expire. */
  expires?: string;
  /** Where the entry is written: the policy file (relative to the checked root), 1-based line and column. */
  file: string;
  line: number;
  column: number;
}

const EXCEPTION_KEYS = ['match', 'reason', 'expires'];
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `text` is a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** Reads one `allow:` item written as a mapping; `position` gives a node's line and column. */
export function parseException(
  node: YAMLMap,
  file: string,
  position: (node: Node | null | undefined) => { line: number; col: number },
): PolicyException {
  const at = (n: Node | null | undefined) => {
    const p = position(n);
    return `${file}:${p.line}:${p.col}`;
  };
  const values: Record<string, string> = {};
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!EXCEPTION_KEYS.includes(key))
      throw new UserError(
        `${at(pair.key as Node)}: unknown key '${key}' in an allow exception. Expected: ${EXCEPTION_KEYS.join(', ')}`,
      );
    const value = pair.value as Node | null;
    // YAML 1.2 (the core schema) reads 2026-12-31 as a string; a quoted date is one too.
    if (!isScalar(value) || typeof value.value !== 'string' || value.value.trim() === '')
      throw new UserError(`${at(value ?? (pair.key as Node))}: '${key}' must be a non-empty string`);
    values[key] = value.value.trim();
    if (key === 'expires' && !isIsoDate(values[key] as string))
      throw new UserError(
        `${at(value)}: 'expires' must be a date written YYYY-MM-DD (the last day the exception holds), not '${values[key]}'`,
      );
  }
  const where = position(node);
  if (values.match === undefined)
    throw new UserError(`${at(node)}: an allow exception needs 'match' (owner, owner/repo, image or glob)`);
  if (values.reason === undefined)
    throw new UserError(`${at(node)}: the allow exception for '${values.match}' needs a 'reason'`);
  return {
    match: values.match,
    reason: values.reason,
    ...(values.expires !== undefined ? { expires: values.expires } : {}),
    file,
    line: where.line,
    column: where.col,
  };
}

/** The exception no longer holds on `today` (UTC): its last day has passed. */
export function isExpired(exception: PolicyException, now: Date): boolean {
  return exception.expires !== undefined && now.toISOString().slice(0, 10) > exception.expires;
}

/** One expired-exception finding per expired exception, at its entry in the policy file. */
export function expiredExceptionFindings(exceptions: readonly PolicyException[], now: Date): Finding[] {
  return exceptions
    .filter((e) => isExpired(e, now))
    .map((e) =>
      finding(
        'expired-exception',
        e,
        e.match,
        `the allow exception for '${e.match}' has expired (its last day was ${e.expires}; reason: ${e.reason}); the references it covered are checked again. Pin them, or renew the exception with a later 'expires' date`,
      ),
    );
}
