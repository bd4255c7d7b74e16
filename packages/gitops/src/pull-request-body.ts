/**
 * The pull request remembers which values it moves: a hidden marker at the end of
 * its body holds them as JSON. A later bump on the same branch (another image of
 * a matrix, a newer tag) merges its own changes in, so the title and body describe
 * everything the branch changes, not only the latest run. Best effort: two runs
 * updating the body at the same instant can drop each other's rows, never commits.
 */
import type { ValueChange } from './plan.ts';

const MARKER = /\n*<!-- slipway:image-bump (\[.*?\]) -->\s*$/s;

function isValueChange(value: unknown): value is ValueChange {
  const v = value as Partial<ValueChange>;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.file === 'string' &&
    typeof v.target === 'string' &&
    typeof v.image === 'string' &&
    typeof v.line === 'number'
  );
}

/** The changes recorded in a pull request body; none when the marker is missing or damaged. */
export function changesInBody(body: string | undefined): ValueChange[] {
  const match = body ? MARKER.exec(body) : null;
  if (!match) return [];
  try {
    const parsed = JSON.parse(match[1] as string) as unknown;
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
  return `${body.replace(MARKER, '')}\n\n<!-- slipway:image-bump ${json} -->\n`;
}
