/**
 * A fast composer for the plain block YAML most workflow files are written in:
 * `key: value` maps, `- item` sequences, plain or simply quoted one-line
 * scalars, one-line flow sequences of plain words, comments. It builds the same
 * `yaml` nodes (with the same source ranges) that the full parser would, and
 * gives up (returns undefined) on anything else: anchors, aliases, tags, merge
 * keys, flow maps, block or multi-line scalars, escapes, tabs, CR, documents
 * markers, odd indentation, duplicate keys. A file it accepts has no YAML
 * errors; everything it gives up on goes through the full `yaml` parser, which
 * then reports the errors. The differential test in simple-yaml.test.ts holds
 * the two paths to the same results.
 */
import { LineCounter, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';

export interface SimpleDocument {
  /** The root map, or null for a file of comments and blank lines only. */
  root: YAMLMap | null;
  lineCounter: LineCounter;
  /**
   * Nodes whose value or range may differ from the full parser's: empty values,
   * plain scalars the core schema reads as null, booleans or numbers, and all
   * collections (composed without ranges; flow sequences also without items).
   * A site on one of these needs the full parse.
   */
  approximate: WeakSet<Node>;
}

// Control characters but the newline (so tabs and CR too), Unicode line separators, a BOM.
const UNSUPPORTED_TEXT = /[^\n\P{Cc}]|[\u2028\u2029\ufeff]/u;
const KEY = /^([A-Za-z_][\w-]{0,200}):(?: +|$)/;
const SPECIAL_KEY = /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;
// Plain scalars the core schema may resolve to something other than a string.
const NOT_A_STRING = /^(?:[-+.0-9~]|(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$)/;
const DOUBLE_QUOTED = /^"([^"\\]*)"(?: +#.*| *)$/;
const SINGLE_QUOTED = /^'([^']*)'(?: +#.*| *)$/;
const FLOW_WORDS = /^\[ *(?:[\w.][\w./-]*(?: *, *[\w.][\w./-]*)*)? *\](?: +#.*| *)$/;
// First characters of a scalar that mean more than text (indicators).
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;

interface Level {
  indent: number;
  map?: YAMLMap;
  keys?: Set<string>;
  seq?: YAMLSeq;
}

interface Pending {
  pair: Pair;
  column: number;
}

/** Composes `text` (no BOM) when it is in the simple subset; undefined means "use the full parser". */
export function composeSimpleYaml(text: string): SimpleDocument | undefined {
  if (UNSUPPORTED_TEXT.test(text)) return undefined;
  const lineCounter = new LineCounter();
  const approximate = new WeakSet<Node>();
  const stack: Level[] = [];
  let root: YAMLMap | null = null;
  let pending: Pending | undefined;

  const empty = () => {
    const node = new Scalar(null);
    approximate.add(node);
    return node;
  };
  /** A value after `key: ` or `- `; undefined when it is outside the subset. */
  const scalar = (source: string, offset: number): Node | undefined => {
    const quote = source[0] === '"' ? DOUBLE_QUOTED : source[0] === "'" ? SINGLE_QUOTED : undefined;
    if (quote) {
      const match = quote.exec(source);
      if (!match) return undefined;
      const node = new Scalar(match[1] as string);
      node.type = source[0] === '"' ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE;
      const end = offset + (match[1] as string).length + 2;
      node.range = [offset, end, end];
      return node;
    }
    if (source[0] === '[') {
      if (!FLOW_WORDS.test(source)) return undefined;
      const node = new YAMLSeq();
      node.flow = true;
      approximate.add(node);
      return node;
    }
    if (INDICATOR.test(source)) return undefined;
    const comment = source.indexOf(' #');
    const value = (comment < 0 ? source : source.slice(0, comment)).trimEnd();
    if (value.includes(': ') || value.endsWith(':')) return undefined;
    const node = new Scalar(value);
    node.type = Scalar.PLAIN;
    node.range = [offset, offset + value.length, offset + value.length];
    if (NOT_A_STRING.test(value)) approximate.add(node);
    return node;
  };
  /** `key: value` or `key:` at `offset` into `level`'s map; false when outside the subset. */
  const entry = (level: Level, content: string, offset: number): boolean => {
    const match = KEY.exec(content);
    if (!match) return false;
    const key = match[1] as string;
    if (SPECIAL_KEY.test(key) || level.keys?.has(key)) return false;
    level.keys?.add(key);
    const rest = content.slice(match[0].length);
    // Keys stay strings: lookups compare a key's value, and no site is a key.
    const pair = new Pair(key);
    level.map?.items.push(pair);
    if (rest === '' || rest[0] === '#') {
      pending = { pair, column: level.indent };
      return true;
    }
    const value = scalar(rest, offset + match[0].length);
    if (value === undefined) return false;
    pair.value = value;
    return true;
  };

  let start = 0;
  while (start <= text.length) {
    lineCounter.addNewLine(start);
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const line = text.slice(start, end);
    const lineStart = start;
    start = end + 1;
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    if (indent === line.length || line[indent] === '#') continue;
    const content = line.slice(indent);
    const offset = lineStart + indent;
    const item = content.startsWith('- ');
    if (content === '-') return undefined;

    if (pending) {
      const nested = indent > pending.column || (indent === pending.column && item);
      if (nested) {
        const node = item ? new YAMLSeq() : new YAMLMap();
        approximate.add(node);
        pending.pair.value = node;
        stack.push(
          item ? { indent, seq: node as YAMLSeq } : { indent, map: node as YAMLMap, keys: new Set() },
        );
      } else pending.pair.value = empty();
      pending = undefined;
    }
    for (let top = stack.at(-1); top; top = stack.at(-1)) {
      if (indent < top.indent || (top.seq && indent === top.indent && !item)) stack.pop();
      else break;
    }
    let top = stack.at(-1);
    if (!top) {
      if (root !== null || indent !== 0 || item) return undefined;
      root = new YAMLMap();
      top = { indent: 0, map: root, keys: new Set() };
      stack.push(top);
    }
    if (top.indent !== indent) return undefined;
    if (top.map) {
      if (item || !entry(top, content, offset)) return undefined;
      continue;
    }
    const rest = content.slice(2);
    if (rest === '' || rest[0] === ' ' || rest[0] === '#') return undefined;
    if (KEY.test(rest)) {
      const map = new YAMLMap();
      approximate.add(map);
      top.seq?.items.push(map);
      const level: Level = { indent: indent + 2, map, keys: new Set() };
      stack.push(level);
      if (!entry(level, rest, offset + 2)) return undefined;
      continue;
    }
    const value = scalar(rest, offset + 2);
    if (value === undefined) return undefined;
    top.seq?.items.push(value);
  }
  if (pending) pending.pair.value = empty();
  return { root, lineCounter, approximate };
}
