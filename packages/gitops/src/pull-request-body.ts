/**
 * The pull request remembers which values it moves: a hidden marker at the end of
 * its body holds them as JSON. A later bump on the same branch (another image of
 * a matrix, a newer tag) merges its own changes in, so the title and body describe
 * everything the branch changes, not only the latest run. Best effort: two runs
 * updating the body at the same instant can drop each other's rows, never commits.
 */
import type { ValueChange } from './plan.ts';

const OPEN = '<!-- slipway:image-bump ';
const CLOSE = ' -->';

/**
 * Where the marker sits: it must end the body (trailing whitespace allowed) and hold
 * a JSON list. `start` includes the newlines before it. One backward scan and one
 * `lastIndexOf`, so linear in the body's length whatever the body holds (the regular
 * expression this replaces backtracked for seconds over a run of newlines).
 */
function findMarker(body: string): { start: number; json: string } | undefined {
  let end = body.length;
  while (end > 0 && /\s/.test(body[end - 1]!)) end--;
  const jsonEnd = end - CLOSE.length;
  if (jsonEnd < OPEN.length || !body.startsWith(CLOSE, jsonEnd)) return undefined;
  const open = body.lastIndexOf(OPEN, jsonEnd - OPEN.length);
  if (open === -1) return undefined;
  const json = body.slice(open + OPEN.length, jsonEnd);
  if (!json.startsWith('[') || !json.endsWith(']')) return undefined;
  let start = open;
  while (start > 0 && body[start - 1] === '\n') start--;
  return { start, json };
}

function isValueChange(value: unknown): value is ValueChange {
  const v = value as Partial<ValueChange>;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.file === 'string' &&
    typeof v.target === 'string' &&
    typeof v.image === 'string' &&
    typeof v.line === 'number' &&
    (v.from === undefined || typeof v.from === 'string') &&
    (v.to === undefined || typeof v.to === 'string')
  );
}

/** The changes recorded in a pull request body; none when the marker is missing or damaged. */
export function changesInBody(body: string | undefined): ValueChange[] {
  const marker = body ? findMarker(body) : undefined;
  if (!marker) return [];
  try {
    const parsed = JSON.parse(marker.json) as unknown;
    return Array.isArray(parsed) ? parsed.filter(isValueChange) : [];
  } catch {
    return [];
  }
}

/** Earlier changes, with the ones this run makes replacing those of the same file and value. */
export function mergeChanges(
  earlier: readonly ValueChange[],
  current: readonly ValueChange[],
): ValueChange[] {
  const key = (c: ValueChange) => `${c.file}\0${c.target}`;
  const replaced = new Set(current.map(key));
  return [...earlier.filter((c) => !replaced.has(key(c))), ...current];
}

/** Appends the marker for `changes` to a rendered body. */
export function withChangesMarker(body: string, changes: readonly ValueChange[]): string {
  const json = JSON.stringify(changes).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
  const marker = findMarker(body);
  return `${marker ? body.slice(0, marker.start) : body}\n\n${OPEN}${json}${CLOSE}\n`;
}
