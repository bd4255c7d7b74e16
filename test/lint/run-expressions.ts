/**
 * Finds `${{ }}` expressions inside `run:` blocks of workflows and composite
 * actions. An expression in `run:` is pasted into the script text before the
 * shell parses it, so a branch name or PR title becomes code; the house rule is
 * that values reach scripts only through `env:` and are quoted there.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

export interface RunExpression {
  file: string;
  line: number;
  column: number;
  expression: string;
  /** True for the contexts an attacker can set: inputs, github.event.*, github.head_ref, env. */
  untrusted: boolean;
}

const UNTRUSTED =
  /^\s*(inputs\.|github\.event\.|github\.head_ref\b|env\.|steps\.[^.]+\.outputs\.|needs\.[^.]+\.outputs\.|matrix\.)/;

export function findRunExpressions(text: string, file: string): RunExpression[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new Error(`${file}:${e.linePos?.[0].line ?? '?'}: YAML error: ${e.message.split('\n')[0]}`);
  }
  const found: RunExpression[] = [];
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key) && pair.key.value === 'run' && isScalar(pair.value)) {
          collect(pair.value as Node & { value: unknown });
        }
        visit(pair.value);
      }
    } else if (isSeq(node)) {
      node.items.forEach(visit);
    }
  };
  const collect = (scalar: Node & { value: unknown }) => {
    const value = String(scalar.value);
    const source = scalar.range ? text.slice(scalar.range[0], scalar.range[1]) : value;
    const start = scalar.range?.[0] ?? 0;
    for (const match of source.matchAll(/\$\{\{(.*?)\}\}/gs)) {
      const pos = lineCounter.linePos(start + (match.index ?? 0));
      const expression = (match[1] as string).trim();
      found.push({
        file,
        line: pos.line,
        column: pos.col,
        expression,
        untrusted: UNTRUSTED.test(expression),
      });
    }
  };
  visit(doc.contents);
  return found;
}
