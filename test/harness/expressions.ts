/**
 * A deliberately small evaluator for the `${{ }}` expressions that appear in
 * action.yml (input defaults, composite `env:`/`with:`/`if:`, composite outputs).
 * It supports context lookups (`inputs.x`, `steps.id.outputs.y`, `github.token`,
 * `env.X`, `runner.temp`), string/number/boolean literals, `==`, `!=`, `!`,
 * `&&`, `||`, parentheses and the status functions. Anything else throws, so a
 * test never passes on an expression the harness silently misread.
 */

export type ExpressionValue = string | number | boolean | null;
export interface ExpressionContext {
  lookup(path: string[]): ExpressionValue | undefined;
  status: 'success' | 'failure';
}

type Token = { kind: 'op' | 'str' | 'num' | 'ident'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let text = '';
      for (i++; ; i++) {
        if (i >= source.length) throw new Error(`unterminated string in expression: ${source}`);
        if (source[i] === "'" && source[i + 1] === "'") {
          text += "'";
          i++;
        } else if (source[i] === "'") break;
        else text += source[i];
      }
      i++;
      tokens.push({ kind: 'str', text });
    } else if (/[0-9]/.test(ch)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'num', text: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*/.exec(
        source.slice(i),
      ) as RegExpExecArray;
      tokens.push({ kind: 'ident', text: m[0] });
      i += m[0].length;
    } else {
      const op = ['==', '!=', '&&', '||', '!', '(', ')'].find((o) => source.startsWith(o, i));
      if (!op) throw new Error(`unsupported character '${ch}' in expression: ${source}`);
      tokens.push({ kind: 'op', text: op });
      i += op.length;
    }
  }
  return tokens;
}

const truthy = (v: ExpressionValue | undefined) =>
  !(v === undefined || v === null || v === false || v === 0 || v === '');

export function evaluateExpression(source: string, context: ExpressionContext): ExpressionValue {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (text?: string): Token => {
    const t = tokens[pos];
    if (!t || (text !== undefined && t.text !== text))
      throw new Error(`expected '${text ?? 'a value'}' in expression: ${source}`);
    pos++;
    return t;
  };
  const primary = (): ExpressionValue => {
    const t = take();
    if (t.kind === 'op' && t.text === '(') {
      const v = or();
      take(')');
      return v;
    }
    if (t.kind === 'op' && t.text === '!') return !truthy(primary());
    if (t.kind === 'str') return t.text;
    if (t.kind === 'num') return Number(t.text);
    if (t.kind === 'ident') {
      if (peek()?.text === '(') {
        take('(');
        take(')');
        if (t.text === 'always') return true;
        if (t.text === 'success') return context.status === 'success';
        if (t.text === 'failure') return context.status === 'failure';
        if (t.text === 'cancelled') return false;
        throw new Error(`unsupported function ${t.text}() in expression: ${source}`);
      }
      if (t.text === 'true') return true;
      if (t.text === 'false') return false;
      if (t.text === 'null') return null;
      const value = context.lookup(t.text.split('.'));
      return value === undefined ? '' : value;
    }
    throw new Error(`unexpected '${t.text}' in expression: ${source}`);
  };
  const comparison = (): ExpressionValue => {
    let left = primary();
    while (peek()?.text === '==' || peek()?.text === '!=') {
      const op = take().text;
      const right = primary();
      const equal = String(left).toLowerCase() === String(right).toLowerCase();
      left = op === '==' ? equal : !equal;
    }
    return left;
  };
  const and = (): ExpressionValue => {
    let left = comparison();
    while (peek()?.text === '&&') {
      take();
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const or = (): ExpressionValue => {
    let left = and();
    while (peek()?.text === '||') {
      take();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const value = or();
  if (pos !== tokens.length) throw new Error(`unexpected '${tokens[pos]?.text}' in expression: ${source}`);
  return value;
}

/** Replaces each `${{ expr }}` in a string; a string that is only an expression keeps its value's text. */
export function interpolate(template: string, context: ExpressionContext): string {
  return template.replace(/\$\{\{(.*?)\}\}/gs, (_, expr: string) => {
    const v = evaluateExpression(expr, context);
    return v === null ? '' : String(v);
  });
}

/** An `if:` condition: bare expressions are allowed, and a condition without a status function implies success(). */
export function evaluateCondition(
  condition: string | undefined,
  context: ExpressionContext,
  defaultCondition = 'success()',
): boolean {
  let source = (condition ?? defaultCondition).trim();
  const wrapped = /^\$\{\{(.*)\}\}$/s.exec(source);
  if (wrapped) source = (wrapped[1] as string).trim();
  if (!/\b(always|success|failure|cancelled)\(\)/.test(source)) source = `success() && (${source})`;
  return truthy(evaluateExpression(source, context));
}
