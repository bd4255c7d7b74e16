/**
 * The fast path of scanFile: one pass over the lines of a file written in the
 * block YAML that real workflows use (`key: value` maps, `- item` sequences,
 * one-line plain and quoted scalars, one-line flow collections, `|`/`>` block
 * scalars, comments), finding the reference sites without building a document.
 * Block scalar bodies (`run: |` scripts, most of a real workflow) are skipped
 * line by line, unparsed.
 *
 * It only answers when it is sure that the `yaml` parser finds no error and
 * would give the same sites: anything outside the subset (anchors, aliases,
 * tags, merge keys, quoted keys, escapes, multi-line flow or plain scalars,
 * document markers, tabs outside block scalars, CR, duplicate keys, odd
 * indentation) and every site on a value it does not model exactly (empty,
 * typed, block, flow) returns undefined, and the full parser decides. The
 * subset and the roles it tracks are in fast-scan-subset.ts. The differential
 * tests (fast-scan.test.ts, fast-scan-corpus.test.ts) hold the
 * two paths to the same results.
 */
import type { FileKind, ReferenceSite, ScanResult, SiteKind } from './scan.ts';
import {
  AFTER_SCALAR,
  BLOCK_HEADER,
  DOUBLE_QUOTED,
  flowEnd,
  INDICATOR,
  interesting,
  KEY,
  nestedRole,
  NOT_A_STRING,
  OUTSIDE,
  outside,
  SINGLE_QUOTED,
  siteKindOf,
  SPECIAL_KEY,
  UNSUPPORTED_TEXT,
  type Role,
} from './fast-scan-subset.ts';

interface Level {
  /** Column of the keys (maps) or of the `-` (sequences). */
  indent: number;
  seq: boolean;
  role: Role;
  keys: Set<string>;
}

/** A key whose value starts on a later line (or is null). */
interface Pending {
  column: number;
  key: string;
  role: Role;
}

/** Inside a `|`/`>` block scalar: lines more indented than `parent` belong to it. */
interface Block {
  parent: number;
  /** Indentation of the content, set by its first non-blank line; -1 before that. */
  content: number;
  /** Most spaces on a blank line before the first content line. */
  leadingBlank: number;
}

/**
 * Sites of `raw` (a BOM allowed) when it lies inside the subset; undefined
 * when the full parser must decide.
 */
export function scanLines(file: string, raw: string, kind: FileKind): ScanResult | undefined {
  const bom = raw.charCodeAt(0) === 0xfeff ? 1 : 0;
  const text = bom ? raw.slice(1) : raw;
  if (UNSUPPORTED_TEXT.test(text)) return undefined;
  try {
    return { sites: new FastScanner(file, text, bom, kind).run(), problems: [] };
  } catch (error) {
    if (error === OUTSIDE) return undefined;
    throw error;
  }
}

class FastScanner {
  private readonly stack: Level[] = [];
  private readonly sites: ReferenceSite[] = [];
  private rootSeen = false;
  private pending: Pending | undefined;
  private block: Block | undefined;
  private lineNumber = 0;
  private lineStart = 0;

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly bom: number,
    private readonly kind: FileKind,
  ) {}

  run(): ReferenceSite[] {
    const { text } = this;
    let start = 0;
    while (start <= text.length) {
      const newline = text.indexOf('\n', start);
      const end = newline < 0 ? text.length : newline;
      this.lineNumber++;
      this.lineStart = start;
      let indent = start;
      while (text.charCodeAt(indent) === 32) indent++;
      if (!this.block || !this.inBlock(indent - start, indent, end)) this.line(indent - start, indent, end);
      start = end + 1;
    }
    this.resolvePending(-1, false);
    return this.sites;
  }

  /** Whether the line (indent spaces, content from `at`) belongs to the open block scalar. */
  private inBlock(indent: number, at: number, end: number): boolean {
    const block = this.block as Block;
    if (at === end) {
      if (block.content < 0) block.leadingBlank = Math.max(block.leadingBlank, indent);
      return true;
    }
    if (this.text.charCodeAt(at) === 9 && (block.content < 0 || indent < block.content)) outside();
    if (block.content < 0 && indent > block.parent) {
      if (block.leadingBlank > indent) outside();
      block.content = indent;
      return true;
    }
    if (block.content >= 0 && indent >= block.content) return true;
    // The scalar ended: what follows must sit at a collection's indentation.
    if (indent > block.parent) outside();
    this.block = undefined;
    return false;
  }

  /** A line outside block scalars: blank, comment, `key: ...` or `- ...`. */
  private line(indent: number, at: number, end: number): void {
    const { text } = this;
    if (at === end || text.charCodeAt(at) === 35) return;
    const content = text.slice(at, end);
    if (content.includes('\t')) outside();
    const item = content === '-' || content.startsWith('- ');
    this.resolvePending(indent, item);
    const stack = this.stack;
    for (let top = stack.at(-1); top; top = stack.at(-1)) {
      if (indent < top.indent || (top.seq && indent === top.indent && !item)) stack.pop();
      else break;
    }
    let top = stack.at(-1);
    if (!top) {
      if (this.rootSeen || indent !== 0 || item) outside();
      this.rootSeen = true;
      top = { indent: 0, seq: false, role: 'root', keys: new Set() };
      stack.push(top);
    }
    if (top.indent !== indent) outside();
    if (!top.seq) {
      if (item) outside();
      this.entry(top, content, at);
      return;
    }
    // `- ...`: a map item (`- key: value`) or a scalar item.
    let column = 1;
    while (content[column] === ' ') column++;
    const rest = content.slice(column);
    if (rest === '' || rest[0] === '#' || rest === '-' || rest.startsWith('- ')) outside();
    if (KEY.test(rest)) {
      const map: Level = {
        indent: indent + column,
        seq: false,
        role: top.role === 'steps' ? 'step' : 'other',
        keys: new Set(),
      };
      stack.push(map);
      this.entry(map, rest, at + column);
      return;
    }
    this.value(top.role === 'steps', undefined, rest, at + column, top.indent);
  }

  /** A nested collection opens on this line, or the pending key's value is null. */
  private resolvePending(indent: number, item: boolean): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    const nested = indent > pending.column || (indent === pending.column && item);
    if (nested) {
      const role = nestedRole(pending.role, pending.key, item, this.kind);
      if (role === undefined) outside();
      this.stack.push({ indent, seq: item, role: role as Role, keys: new Set() });
      return;
    }
    // `key:` with nothing: a null value; a null `uses` is a site the full parser places.
    const kind = siteKindOf(pending.role, pending.key);
    if (kind === 'job-uses' || kind === 'step-uses') outside();
  }

  /** `key: value` or `key:` at `offset` into `level`'s map. */
  private entry(level: Level, content: string, offset: number): void {
    const match = KEY.exec(content);
    if (!match) return outside();
    const key = match[1] as string;
    if (SPECIAL_KEY.test(key) || level.keys.has(key)) outside();
    level.keys.add(key);
    const rest = content.slice(match[0].length);
    if (rest === '' || rest[0] === '#') {
      this.pending = { column: level.indent, key, role: level.role };
      return;
    }
    const watched = interesting(level.role, key, this.kind);
    const site = siteKindOf(level.role, key);
    this.value(watched, site, rest, offset + match[0].length, level.indent);
  }

  /**
   * A value on the line of its key or `-`: a site when `site` says so; a
   * flow or block value of a `watched` key is left to the full parser.
   */
  private value(
    watched: boolean,
    site: SiteKind | undefined,
    rest: string,
    offset: number,
    parent: number,
  ): void {
    const first = rest[0];
    if (first === '|' || first === '>') {
      if (watched || !BLOCK_HEADER.test(rest)) outside();
      this.block = { parent, content: -1, leadingBlank: 0 };
      return;
    }
    if (first === '[' || first === '{') {
      if (watched || !AFTER_SCALAR.test(rest.slice(flowEnd(rest, 0)))) outside();
      return;
    }
    if (first === '"' || first === "'") {
      const match = (first === '"' ? DOUBLE_QUOTED : SINGLE_QUOTED).exec(rest);
      if (!match || !AFTER_SCALAR.test(rest.slice(match[0].length))) return outside();
      const inner = match[1] as string;
      const value = first === "'" ? inner.replaceAll("''", "'") : inner;
      if (site) this.addSite(site, value, offset + 1, offset + 1 + inner.length, offset + match[0].length);
      return;
    }
    if (INDICATOR.test(rest)) outside();
    const hash = rest.indexOf(' #');
    let end = hash < 0 ? rest.length : hash;
    while (rest.charCodeAt(end - 1) === 32) end--;
    const value = rest.slice(0, end);
    if (value.includes(': ') || value.endsWith(':')) outside();
    if (site) {
      if (NOT_A_STRING.test(value)) outside();
      this.addSite(site, value, offset, offset + end, offset + end);
    }
  }

  private addSite(
    kind: SiteKind,
    value: string,
    valueStart: number,
    valueEnd: number,
    scalarEnd: number,
  ): void {
    // An empty image means "no container": GitHub skips it.
    if ((kind === 'container' || kind === 'service') && value === '') return;
    if (kind === 'runs-image' && !value.startsWith('docker://')) return;
    const { text, bom } = this;
    const newline = text.indexOf('\n', scalarEnd);
    const lineEnd = newline < 0 ? text.length : newline;
    const site: ReferenceSite = {
      file: this.file,
      kind,
      value,
      line: this.lineNumber,
      column: valueStart - this.lineStart + 1,
      valueStart: valueStart + bom,
      valueEnd: valueEnd + bom,
      scalarEnd: scalarEnd + bom,
      editable: text.slice(valueStart, valueEnd) === value,
      commentSlot: true,
    };
    // What follows the scalar on its line is blank or ` # comment` (checked when the value was read).
    const hash = text.slice(scalarEnd, lineEnd).indexOf('#');
    if (hash >= 0) {
      const start = scalarEnd + hash;
      site.comment = { start: start + bom, end: lineEnd + bom, text: text.slice(start + 1, lineEnd).trim() };
    }
    this.sites.push(site);
  }
}
