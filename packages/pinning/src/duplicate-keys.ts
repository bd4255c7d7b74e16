/**
 * Duplicate mapping keys, found in one pass. The `yaml` parser's own check
 * (`uniqueKeys`) compares each key with every earlier key of its map, which is
 * quadratic: a 350 KB map took 22 s. This reports the same errors (same
 * message, at the repeated key) with one Set per map.
 */
import { isMap, isScalar, visit, type Document } from 'yaml';

export const DUPLICATE_KEY_MESSAGE = 'Map keys must be unique';

/**
 * One error per key that repeats an earlier scalar key of the same map, as the
 * parser compares them: scalars by value (`1` and `"1"` differ), other keys by identity.
 */
export function duplicateKeyErrors(doc: Document): { pos: [number, number]; message: string }[] {
  const errors: { pos: [number, number]; message: string }[] = [];
  visit(doc, {
    Map: (_key, map) => {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (!isScalar(key) || Number.isNaN(key.value)) continue;
        if (seen.has(key.value)) {
          const offset = key.range?.[0] ?? 0;
          errors.push({ pos: [offset, offset + 1], message: DUPLICATE_KEY_MESSAGE });
        } else seen.add(key.value);
      }
    },
  });
  return errors;
}
