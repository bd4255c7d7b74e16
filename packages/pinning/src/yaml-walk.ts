/**
 * Key lookup over `yaml` Document nodes that follows aliases and `<<` merge
 * keys, without turning the document into plain JS (we need the nodes for
 * their source ranges). Bounded for hostile files: every alias is resolved
 * once per document (the `yaml` library walks the whole document for each
 * `Alias.resolve`), each lookup visits a merged map at most once (nested
 * `<<: [*a, *a]` would otherwise be exponential), and all lookups of one file
 * share a budget of map entries; past it, `WalkBudgetExceeded` is thrown.
 */
import {
  isAlias,
  isMap,
  isSeq,
  isScalar,
  visit,
  type Alias,
  type Document,
  type Node,
  type YAMLMap,
} from 'yaml';

/** Map entries one file's lookups may visit: real workflows need a few thousand. */
export const DEFAULT_WALK_BUDGET = 1_000_000;

/** Map entries left to visit, shared by the walkers of one file's documents. */
export interface WalkBudget {
  readonly limit: number;
  used: number;
}

export const walkBudget = (limit = DEFAULT_WALK_BUDGET): WalkBudget => ({ limit, used: 0 });

export class WalkBudgetExceeded extends Error {
  constructor(readonly limit: number) {
    super(`its anchors and merge keys need more than ${limit} lookups`);
  }
}

function keyName(key: unknown): unknown {
  return isScalar(key) ? key.value : key;
}

/** The node each alias of `doc` stands for: the last node with its anchor before it, in document order. */
function resolveAliases(doc: Document): Map<Alias, Node> {
  const targets = new Map<Alias, Node>();
  const anchored = new Map<string, Node>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) {
        const target = anchored.get(node.source);
        if (target) targets.set(node, target);
      } else if (node.anchor) anchored.set(node.anchor, node);
    },
  });
  return targets;
}

export class YamlWalker {
  private aliases: Map<Alias, Node> | undefined;

  constructor(
    private readonly doc: Document,
    private readonly budget: WalkBudget = walkBudget(),
  ) {}

  /** The node an alias points at (or the node itself). */
  deref(node: unknown): Node | undefined {
    if (isAlias(node)) {
      this.aliases ??= resolveAliases(this.doc);
      // An anchor on an alias is not YAML, so one hop reaches a non-alias node.
      const target = this.aliases.get(node);
      return isAlias(target) ? undefined : target;
    }
    return node === null || node === undefined ? undefined : (node as Node);
  }

  private spend(entries: number): void {
    this.budget.used += entries;
    if (this.budget.used > this.budget.limit) throw new WalkBudgetExceeded(this.budget.limit);
  }

  /** The maps merged into `map` with `<<: *anchor` or `<<: [*a, *b]`, in precedence order. */
  private mergedInto(map: YAMLMap): YAMLMap[] {
    const sources: YAMLMap[] = [];
    for (const pair of map.items) {
      if (keyName(pair.key) !== '<<') continue;
      const merged = this.deref(pair.value);
      for (const source of isSeq(merged) ? merged.items.map((item) => this.deref(item)) : [merged])
        if (isMap(source)) sources.push(source);
    }
    return sources;
  }

  /** Looks up `key` in a map, then in the maps merged into it (each map visited once). */
  entry(map: YAMLMap, key: string, visited = new Set<YAMLMap>()): Node | undefined {
    if (visited.has(map)) return undefined;
    visited.add(map);
    this.spend(map.items.length + 1);
    for (const pair of map.items) {
      if (keyName(pair.key) === key) return this.deref(pair.value);
    }
    for (const source of this.mergedInto(map)) {
      const found = this.entry(source, key, visited);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Every value of a map (for `jobs:` and `services:`), merged maps included, keys not repeated. */
  values(map: YAMLMap, visited = new Set<YAMLMap>(), seenKeys = new Set<unknown>()): Node[] {
    if (visited.has(map)) return [];
    visited.add(map);
    this.spend(map.items.length + 1);
    const values: Node[] = [];
    for (const pair of map.items) {
      const key = keyName(pair.key);
      if (key === '<<' || seenKeys.has(key)) continue;
      seenKeys.add(key);
      const value = this.deref(pair.value);
      if (value !== undefined) values.push(value);
    }
    for (const source of this.mergedInto(map)) values.push(...this.values(source, visited, seenKeys));
    return values;
  }

  map(map: YAMLMap, key: string): YAMLMap | undefined {
    const node = this.entry(map, key);
    return isMap(node) ? node : undefined;
  }

  /** Items of a sequence, aliases followed. */
  seqItems(node: Node | undefined): Node[] {
    if (!isSeq(node)) return [];
    this.spend(node.items.length + 1);
    return node.items.map((item) => this.deref(item)).filter((item): item is Node => item !== undefined);
  }
}
