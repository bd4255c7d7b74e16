/**
 * A parsed YAML file that is edited by replacing byte ranges of its source text,
 * never by re-serialising it: comments, blank lines, key order, quoting,
 * indentation and line endings stay exactly as they were outside the edited spans.
 */
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  visit,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { UserError } from '@slipway/core';
import { dominantQuote, renderScalar, type QuoteStyle } from './yaml-scalar.ts';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export class YamlSource {
  readonly eol: string;
  readonly fallbackQuote: 'single' | 'double';

  private constructor(
    readonly file: string,
    readonly text: string,
    readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {
    this.eol = /\r\n/.test(text.slice(0, text.indexOf('\n') + 1)) ? '\r\n' : '\n';
    const styles: QuoteStyle[] = [];
    visit(doc, { Scalar: (_key, node) => void styles.push(scalarStyle(node)) });
    this.fallbackQuote = dominantQuote(styles);
  }

  /** Parses one YAML document; malformed YAML is a UserError naming the file, line and column. */
  static parse(file: string, text: string): YamlSource {
    const lines = new LineCounter();
    const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
    const list = Array.isArray(docs) ? docs : [];
    for (const doc of list) {
      const error = doc.errors[0];
      if (error) {
        const pos = lines.linePos(error.pos[0]);
        const reason = error.message.split('\n')[0];
        throw new UserError(`${file}:${pos.line}:${pos.col}: the file is not valid YAML: ${reason}`, {
          hint: 'Fix the file in the repository; nothing was committed.',
        });
      }
    }
    if (list.length !== 1) {
      throw new UserError(`${file} holds ${list.length} YAML documents; expected exactly one.`);
    }
    return new YamlSource(file, text, list[0] as Document.Parsed, lines);
  }

  /** 1-based line of a character offset. */
  lineOf(offset: number): number {
    return this.lines.linePos(offset).line;
  }

  /** The value a scalar holds, as a string; a plain scalar is read as it is written (`1.10` stays `1.10`). */
  stringValue(node: Scalar): string | undefined {
    if (node.value === null || node.value === undefined) return undefined;
    if (node.type === 'PLAIN' && typeof node.source === 'string') return node.source;
    return String(node.value);
  }

  replaceScalar(node: Scalar, value: string): TextEdit {
    const [start, end] = node.range ?? fail(`${this.file}: scalar without a source range`);
    let style = scalarStyle(node);
    if (node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL') style = this.fallbackQuote;
    return { start, end, text: renderScalar(value, style, this.fallbackQuote) };
  }

  /** A scalar to write into a new key: plain when safe, else the file's usual quote. */
  renderNew(value: string): string {
    return renderScalar(value, 'plain', this.fallbackQuote);
  }

  /** Column (0-based) of a character offset. */
  column(offset: number): number {
    return offset - lineStart(this.text, offset);
  }

  /** Where a line that follows the line holding `offset` starts (or the end of the text). */
  nextLineStart(offset: number): number {
    if (offset > 0 && this.text[offset - 1] === '\n') return offset;
    const nl = this.text.indexOf('\n', offset);
    return nl < 0 ? this.text.length : nl + 1;
  }

  /** An edit that inserts whole lines (each already indented) after the line holding `offset`. */
  insertLinesAfter(offset: number, lines: readonly string[]): TextEdit {
    const at = this.nextLineStart(offset);
    const body = lines.join(this.eol);
    if (at === this.text.length && !this.text.endsWith('\n')) {
      return { start: at, end: at, text: `${at === 0 ? '' : this.eol}${body}` };
    }
    return { start: at, end: at, text: `${body}${this.eol}` };
  }

  /** The step between a block mapping's indentation and its children's (2 when none can be measured). */
  indentStep(): number {
    let step: number | undefined;
    visit(this.doc, {
      Pair: (_key, pair) => {
        if (step !== undefined || !isMap(pair.value) || pair.value.flow || !isScalar(pair.key)) return;
        const child = pair.value.items[0]?.key;
        if (!isScalar(child) || !child.range || !pair.key.range) return;
        const diff = this.column(child.range[0]) - this.column(pair.key.range[0]);
        if (diff > 0) step = diff;
      },
    });
    return step ?? 2;
  }

  /** Whether block sequences under a key are indented (`key:\n  - a`) or not (`key:\n- a`). */
  sequenceIndent(): number {
    let indent: number | undefined;
    visit(this.doc, {
      Pair: (_key, pair) => {
        if (indent !== undefined || !isSeq(pair.value) || pair.value.flow || !isScalar(pair.key)) return;
        const first = pair.value.items[0] as Node | undefined;
        if (!first?.range || !pair.key.range) return;
        const dash = this.text.lastIndexOf('-', first.range[0]);
        indent = this.column(dash) - this.column(pair.key.range[0]);
      },
    });
    return Math.max(0, indent ?? 0);
  }

  /** The column of a mapping's keys. */
  keyColumn(map: YAMLMap): number {
    const first = map.items[0]?.key as Node | undefined;
    if (!first?.range) return map.range ? this.column(map.range[0]) : 0;
    return this.column(first.range[0]);
  }

  /** Inserts `key: rendered` into a mapping after `after` (default: its last pair). */
  insertPair(map: YAMLMap, key: string, rendered: string, after?: Pair): TextEdit {
    const anchor = after ?? (map.items[map.items.length - 1] as Pair | undefined);
    if (map.flow) {
      const end = anchor ? pairEnd(anchor) : (map.range?.[0] ?? 0) + 1;
      return { start: end, end, text: anchor ? `, ${key}: ${rendered}` : `${key}: ${rendered}` };
    }
    if (!anchor) fail(`${this.file}: cannot insert into an empty block mapping`);
    const indent = ' '.repeat(this.keyColumn(map));
    return this.insertLinesAfter(pairEnd(anchor), [`${indent}${key}: ${rendered}`]);
  }

  /** Removes a pair from a mapping, with its line (block) or its separator (flow). */
  removePair(map: YAMLMap, pair: Pair): TextEdit {
    const index = map.items.indexOf(pair);
    const keyStart = (pair.key as Node).range?.[0] ?? fail('key without range');
    const next = map.items[index + 1] as Pair | undefined;
    if (map.flow) {
      const prev = map.items[index - 1] as Pair | undefined;
      if (prev) return { start: pairEnd(prev), end: pairEnd(pair), text: '' };
      const nextKey = (next?.key as Node | undefined)?.range?.[0];
      return { start: keyStart, end: nextKey ?? pairEnd(pair), text: '' };
    }
    const start = lineStart(this.text, keyStart);
    const onlyIndentBefore = /^[ \t]*$/.test(this.text.slice(start, keyStart));
    if (onlyIndentBefore) return { start, end: this.nextLineStart(pairEnd(pair)), text: '' };
    // the pair shares its line with a `- ` item marker: pull the next key up onto that line
    const nextKey = (next?.key as Node | undefined)?.range?.[0];
    if (nextKey === undefined) fail(`${this.file}: cannot remove the only key of an entry`);
    return { start: keyStart, end: nextKey, text: '' };
  }
}

export function scalarStyle(node: Scalar): QuoteStyle {
  if (node.type === 'QUOTE_SINGLE') return 'single';
  if (node.type === 'QUOTE_DOUBLE') return 'double';
  return 'plain';
}

/** End offset of a pair's value (or key, when the value is empty), excluding trailing comments. */
export function pairEnd(pair: Pair): number {
  const value = pair.value as Node | null;
  if (value?.range) return value.range[1];
  const key = pair.key as Node;
  return key.range?.[1] ?? fail('key without range');
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Parses text an editor produced: a failure is a bug in the editor, not a problem in the user's file. */
export function reparseEdited(file: string, text: string): YamlSource {
  try {
    return YamlSource.parse(file, text);
  } catch (error) {
    throw new Error(`editing ${file} produced invalid YAML (${(error as Error).message})`, { cause: error });
  }
}

/** Finds a pair whose key is the string `key`. */
export function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair | undefined;
}

/** Applies non-overlapping edits to `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let out = text;
  let limit = Infinity;
  for (const edit of sorted) {
    if (edit.end > limit) throw new Error('applyEdits: overlapping edits');
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
    limit = edit.start;
  }
  return out;
}

export type { YAMLMap, YAMLSeq, Pair, Scalar, Node };

function fail(message: string): never {
  throw new Error(message);
}
