/**
 * Small helpers over `yaml` Document nodes: key lookup that follows aliases and
 * `<<` merge keys, without turning the document into plain JS (we need the nodes
 * for their source ranges).
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type YAMLMap } from 'yaml';

const MAX_MERGE_DEPTH = 8;

/** The node an alias points at (or the node itself). */
export function deref(doc: Document, node: unknown): Node | undefined {
  let current = node;
  for (let hops = 0; isAlias(current) && hops < MAX_MERGE_DEPTH; hops++) {
    current = current.resolve(doc);
  }
  if (current === null || current === undefined || isAlias(current)) return undefined;
  return current as Node;
}

function keyName(key: unknown): unknown {
  return isScalar(key) ? key.value : key;
}

/** Looks up `key` in a map, then in the maps merged into it with `<<: *anchor`. */
export function getEntry(doc: Document, map: YAMLMap, key: string, depth = 0): Node | undefined {
  for (const pair of map.items) {
    if (keyName(pair.key) === key) return deref(doc, pair.value);
  }
  if (depth >= MAX_MERGE_DEPTH) return undefined;
  for (const pair of map.items) {
    if (keyName(pair.key) !== '<<') continue;
    const merged = deref(doc, pair.value);
    const sources = isSeq(merged) ? merged.items.map((item) => deref(doc, item)) : [merged];
    for (const source of sources) {
      if (!isMap(source)) continue;
      const found = getEntry(doc, source, key, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Every value of a map (for `jobs:` and `services:`), merged maps included, keys not repeated. */
export function mapValues(doc: Document, map: YAMLMap, depth = 0, seen = new Set<unknown>()): Node[] {
  const values: Node[] = [];
  for (const pair of map.items) {
    const key = keyName(pair.key);
    if (key === '<<') continue;
    if (seen.has(key)) continue;
    seen.add(key);
    const value = deref(doc, pair.value);
    if (value !== undefined) values.push(value);
  }
  if (depth >= MAX_MERGE_DEPTH) return values;
  for (const pair of map.items) {
    if (keyName(pair.key) !== '<<') continue;
    const merged = deref(doc, pair.value);
    const sources = isSeq(merged) ? merged.items.map((item) => deref(doc, item)) : [merged];
    for (const source of sources) if (isMap(source)) values.push(...mapValues(doc, source, depth + 1, seen));
  }
  return values;
}

export function getMap(doc: Document, map: YAMLMap, key: string): YAMLMap | undefined {
  const node = getEntry(doc, map, key);
  return isMap(node) ? node : undefined;
}

/** Items of a sequence, aliases followed. */
export function seqItems(doc: Document, node: Node | undefined): Node[] {
  if (!isSeq(node)) return [];
  return node.items.map((item) => deref(doc, item)).filter((item): item is Node => item !== undefined);
}
