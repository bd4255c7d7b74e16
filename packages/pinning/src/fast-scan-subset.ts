/**
 * The subset the line scanner (fast-scan.ts) accepts, and what it looks for:
 * the patterns of the one-line scalars, keys and headers it reads, the roles
 * of the collections on the way to a reference site (`jobs` -> job -> `steps`
 * -> step -> `uses`, containers, services, `runs`), and a recognizer for the
 * one-line flow collections it lets through. Anything else is OutsideSubset:
 * the full `yaml` parser decides.
 */
import type { FileKind, SiteKind } from './scan.ts';

/** Where a collection sits, as far as the site lookups care; everything else is `other`. */
export type Role =
  'other' | 'root' | 'jobs' | 'job' | 'container' | 'services' | 'service' | 'steps' | 'step' | 'runs';

/** Outside the subset: the caller uses the full parser. */
class OutsideSubset extends Error {}
export const OUTSIDE = new OutsideSubset();
export const outside = (): never => {
  throw OUTSIDE;
};

// Control characters (C0, DEL, C1) but newline and tab (so CR too), Unicode line separators, a BOM inside the text.
// eslint-disable-next-line no-control-regex
export const UNSUPPORTED_TEXT = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;
export const KEY = /^([A-Za-z_][\w.-]{0,200}):(?: +|$)/;
// Keys the core schema does not read as a string.
export const SPECIAL_KEY = /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;
// Plain scalars the core schema may resolve to something other than a string.
export const NOT_A_STRING = /^(?:[-+.0-9~]|(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$)/;
export const AFTER_SCALAR = /^(?: +#.*| *)$/;
export const DOUBLE_QUOTED = /^"([^"\\]*)"/;
export const SINGLE_QUOTED = /^'((?:[^']|'')*)'/;
export const BLOCK_HEADER = /^[|>][-+]?(?: +#.*| *)$/;
// First characters of a plain scalar that mean more than text (indicators); `-x` is text.
export const INDICATOR = /^(?:[?:,[\]{}#&*!|>'"%@`]|-(?: |$))/;
// Plain scalars inside flow collections: a safe subset.
const PLAIN_FLOW = /[\w./+=~$()][\w./+=~$()*@ -]*/y;

/** The role of a collection that is the value of `key` in a map of `role`; undefined: not modelled. */
export function nestedRole(role: Role, key: string, seq: boolean, kind: FileKind): Role | undefined {
  switch (role) {
    case 'root':
      if (seq || key !== (kind === 'workflow' ? 'jobs' : 'runs')) return 'other';
      return kind === 'workflow' ? 'jobs' : 'runs';
    case 'jobs':
      return seq ? 'other' : 'job';
    case 'job':
      if (key === 'uses') return undefined;
      if (key === 'container') return seq ? undefined : 'container';
      if (key === 'services') return seq ? 'other' : 'services';
      if (key === 'steps') return seq ? 'steps' : 'other';
      return 'other';
    case 'services':
      return seq ? undefined : 'service';
    case 'container':
    case 'service':
    case 'step':
      return key === (role === 'step' ? 'uses' : 'image') ? undefined : 'other';
    case 'runs':
      if (key === 'steps') return seq ? 'steps' : 'other';
      return key === 'image' ? undefined : 'other';
    default:
      return 'other';
  }
}

/** Whether the value of `key` in a map of `role` can hold or lead to a site. */
export function interesting(role: Role, key: string, kind: FileKind): boolean {
  switch (role) {
    case 'root':
      return key === (kind === 'workflow' ? 'jobs' : 'runs');
    case 'jobs':
    case 'services':
      return true;
    case 'job':
      return key === 'uses' || key === 'container' || key === 'services' || key === 'steps';
    case 'container':
    case 'service':
      return key === 'image';
    case 'step':
      return key === 'uses';
    case 'runs':
      return key === 'steps' || key === 'image';
    default:
      return false;
  }
}

/** The site a scalar value of `key` in a map of `role` is, if any. */
export function siteKindOf(role: Role, key: string): SiteKind | undefined {
  if (role === 'job') return key === 'uses' ? 'job-uses' : key === 'container' ? 'container' : undefined;
  if (role === 'step') return key === 'uses' ? 'step-uses' : undefined;
  if (role === 'container') return key === 'image' ? 'container' : undefined;
  if (role === 'services') return 'service';
  if (role === 'service') return key === 'image' ? 'service' : undefined;
  if (role === 'runs') return key === 'image' ? 'runs-image' : undefined;
  return undefined;
}

/**
 * Index just after the one-line flow collection opening at `start`, or
 * OutsideSubset: plain words, simple quoted strings, nested collections,
 * `key: value` pairs in maps only, unique keys, nested at most 20 deep.
 */
export function flowEnd(line: string, start: number, depth = 0): number {
  if (depth > 20) return outside();
  const close = line[start] === '[' ? ']' : '}';
  const keys = close === '}' ? new Set<string>() : undefined;
  const spaces = (i: number) => {
    while (line[i] === ' ') i++;
    return i;
  };
  /** A scalar or collection at i: [end, text]. */
  const node = (i: number): [number, string] => {
    const c = line[i];
    if (c === '[' || c === '{') return [flowEnd(line, i, depth + 1), ''];
    if (c === '"' || c === "'") {
      const match = (c === '"' ? DOUBLE_QUOTED : SINGLE_QUOTED).exec(line.slice(i));
      if (!match) return outside();
      return [i + match[0].length, match[1] as string];
    }
    PLAIN_FLOW.lastIndex = i;
    if (!PLAIN_FLOW.test(line)) return outside();
    let end = PLAIN_FLOW.lastIndex;
    while (line[end - 1] === ' ') end--;
    return [end, line.slice(i, end)];
  };
  let i = spaces(start + 1);
  if (line[i] === close) return i + 1;
  for (;;) {
    const [end, text] = node(i);
    i = spaces(end);
    if (keys) {
      if (line[i] !== ':' || line[i + 1] !== ' ' || NOT_A_STRING.test(text) || text === '' || keys.has(text))
        return outside();
      keys.add(text);
      i = spaces(node(spaces(i + 1))[0]);
    } else if (line[i] === ':') return outside();
    if (line[i] === ',') i = spaces(i + 1);
    else if (line[i] === close) return i + 1;
    else return outside();
    if (line[i] === close) return i + 1;
  }
}
