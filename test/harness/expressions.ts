/**
 * A deliberately small evaluator for the `${{ }}` expressions that appear in
 * action.yml (input defaults, composite `env:`/`with:`/`if:`, composite outputs)
 * and in workflow jobs (test/workflow-runner). It supports context lookups
 * (`inputs.x`, `steps.id.outputs.y`, `github.token`, `job`, `matrix.app.name`...),
 * property access on any value (`fromJSON(x).y`, `a['b']`, `list[0]`),
 * string/number/boolean/null literals, `==` `!=` `<` `<=` `>` `>=` with GitHub's
 * loose equality (numbers when types differ, strings case-insensitive), `!`,
 * `&&`/`||` returning an operand, parentheses, the status functions and
 * contains, startsWith, endsWith, format, join, toJSON, fromJSON, and functions the
 * context provides (hashFiles). Anything else throws (object filters `*`, a function
 * nobody provides, an object or array turned into text), so a
 * test never passes on an expression the evaluator silently misread.
 */

export type ExpressionValue =
  string | number | boolean | null | ExpressionValue[] | { [key: string]: ExpressionValue };
export interface ExpressionContext {
  lookup(path: string[]): ExpressionValue | undefined;
  status: 'success' | 'failure';
  /** Functions that need the caller's world (hashFiles reads the workspace), by lower-case name. */
  functions?: Record<string, (args: ExpressionValue[]) => ExpressionValue>;
}

type Token = { kind: 'op' | 'str' | 'num' | 'ident'; text: string };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', ',', '.'];

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
    } else if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const m = /^-?(0x[0-9a-fA-F]+|[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?)/.exec(
        source.slice(i),
      ) as RegExpExecArray;
      tokens.push({ kind: 'num', text: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'ident', text: m[0] });
      i += m[0].length;
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (!op) throw new Error(`unsupported character '${ch}' in expression: ${source}`);
      tokens.push({ kind: 'op', text: op });
      i += op.length;
    }
  }
  return tokens;
}

const isObject = (
  v: ExpressionValue | undefined,
): v is ExpressionValue[] | { [key: string]: ExpressionValue } => typeof v === 'object' && v !== null;

const truthy = (v: ExpressionValue | undefined) =>
  !(v === undefined || v === null || v === false || v === 0 || v === '' || Number.isNaN(v));

/** GitHub's conversion to a number when the operand types differ. */
function toNumber(v: ExpressionValue): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') return 0;
    if (/^[-+]?0x[0-9a-f]+$/i.test(s)) return Number.parseInt(s, 16);
    return /^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$/.test(s) ? Number(s) : NaN;
  }
  return NaN;
}

/** Text of a value as GitHub renders it; objects and arrays are refused rather than guessed. */
export function expressionText(v: ExpressionValue | undefined, where = 'text'): string {
  if (v === undefined || v === null) return '';
  if (isObject(v))
    throw new Error(
      `not supported by the local runner: an ${Array.isArray(v) ? 'array' : 'object'} as ${where}`,
    );
  return String(v);
}

function looseEquals(a: ExpressionValue, b: ExpressionValue): boolean {
  if (isObject(a) || isObject(b)) return a === b;
  if (typeof a === 'string' && typeof b === 'string') return a.toUpperCase() === b.toUpperCase();
  if (typeof a === typeof b) return a === b;
  return toNumber(a) === toNumber(b);
}

function compare(op: string, a: ExpressionValue, b: ExpressionValue): boolean {
  if (op === '==') return looseEquals(a, b);
  if (op === '!=') return !looseEquals(a, b);
  let order: number;
  if (typeof a === 'string' && typeof b === 'string') {
    const [x, y] = [a.toUpperCase(), b.toUpperCase()];
    order = x < y ? -1 : x > y ? 1 : 0;
  } else {
    const [x, y] = [toNumber(a), toNumber(b)];
    if (Number.isNaN(x) || Number.isNaN(y)) return false;
    order = x - y;
  }
  return op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order >= 0;
}

/** `obj.name` / `obj['name']` / `list[0]`: case-insensitive keys, null when absent (as GitHub). */
function property(v: ExpressionValue, key: ExpressionValue): ExpressionValue {
  if (Array.isArray(v)) {
    const index = toNumber(key);
    return Number.isInteger(index) && index >= 0 ? (v[index] ?? null) : null;
  }
  if (!isObject(v) || isObject(key)) return null;
  const name = expressionText(key).toLowerCase();
  const found = Object.keys(v).find((k) => k.toLowerCase() === name);
  return found === undefined ? null : (v[found] ?? null);
}

function format(source: string, template: string, args: ExpressionValue[]): string {
  return template.replace(/\{\{|\}\}|\{(\d+)\}|[{}]/g, (m, index?: string) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    if (index === undefined || Number(index) >= args.length)
      throw new Error(`format(): invalid format string '${template}' in expression: ${source}`);
    return expressionText(args[Number(index)], 'a format() argument');
  });
}

function callFunction(
  source: string,
  name: string,
  args: ExpressionValue[],
  context: ExpressionContext,
): ExpressionValue {
  const status = context.status;
  const arity = (min: number, max = min) => {
    if (args.length < min || args.length > max)
      throw new Error(
        `${name}() takes ${min === max ? min : `${min} to ${max}`} argument(s) in expression: ${source}`,
      );
  };
  const [a = null, b = null] = args;
  const lower = (v: ExpressionValue) => expressionText(v, `an argument of ${name}()`).toLowerCase();
  switch (name.toLowerCase()) {
    case 'always':
      return (arity(0), true);
    case 'success':
      return (arity(0), status === 'success');
    case 'failure':
      return (arity(0), status === 'failure');
    case 'cancelled':
      return (arity(0), false);
    case 'contains':
      arity(2);
      return Array.isArray(a) ? a.some((item) => looseEquals(item, b)) : lower(a).includes(lower(b));
    case 'startswith':
      return (arity(2), lower(a).startsWith(lower(b)));
    case 'endswith':
      return (arity(2), lower(a).endsWith(lower(b)));
    case 'format':
      arity(1, Infinity);
      return format(source, expressionText(a, 'the format() template'), args.slice(1));
    case 'join': {
      arity(1, 2);
      const separator = args.length > 1 ? expressionText(b, 'the join() separator') : ',';
      if (!Array.isArray(a)) return expressionText(a, 'the join() argument');
      return a.map((item) => (isObject(item) ? '' : expressionText(item))).join(separator);
    }
    case 'tojson':
      return (arity(1), JSON.stringify(a, null, 2));
    case 'fromjson':
      arity(1);
      try {
        return JSON.parse(expressionText(a, 'the fromJSON() argument')) as ExpressionValue;
      } catch (error) {
        throw new Error(`fromJSON(): ${(error as Error).message} in expression: ${source}`, { cause: error });
      }
    default: {
      const provided = context.functions?.[name.toLowerCase()];
      if (provided) return provided(args);
      throw new Error(`unsupported function ${name}() in expression: ${source}`);
    }
  }
}

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
  const name = (): string => {
    const t = take();
    if (t.kind !== 'ident') throw new Error(`expected a property name after '.' in expression: ${source}`);
    return t.text;
  };
  // property access after a value: `.name` and `[index]`
  const postfix = (value: ExpressionValue): ExpressionValue => {
    for (;;) {
      if (peek()?.text === '.') {
        take('.');
        value = property(value, name());
      } else if (peek()?.text === '[') {
        take('[');
        value = property(value, or());
        take(']');
      } else return value;
    }
  };
  const primary = (): ExpressionValue => {
    const t = take();
    if (t.kind === 'op' && t.text === '(') {
      const v = or();
      take(')');
      return postfix(v);
    }
    if (t.kind === 'op' && t.text === '!') return !truthy(primary());
    if (t.kind === 'str') return t.text;
    if (t.kind === 'num') return toNumber(t.text);
    if (t.kind === 'ident') {
      if (peek()?.text === '(') {
        take('(');
        const args: ExpressionValue[] = [];
        while (peek()?.text !== ')') {
          if (args.length > 0) take(',');
          args.push(or());
        }
        take(')');
        return postfix(callFunction(source, t.text, args, context));
      }
      if (t.text === 'true') return true;
      if (t.text === 'false') return false;
      if (t.text === 'null') return null;
      // a dotted context path goes to lookup() whole (`steps.a.outputs.x`); `[...]` and later dots apply to its value
      const path = [t.text];
      while (peek()?.text === '.' && tokens[pos + 1]?.kind === 'ident') {
        take('.');
        path.push(name());
      }
      const value = context.lookup(path);
      return postfix(value === undefined ? '' : value);
    }
    throw new Error(`unexpected '${t.text}' in expression: ${source}`);
  };
  const comparison = (): ExpressionValue => {
    let left = primary();
    while (['==', '!=', '<', '<=', '>', '>='].includes(peek()?.text ?? '')) {
      const op = take().text;
      left = compare(op, left, primary());
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
  return template.replace(/\$\{\{(.*?)\}\}/gs, (_, expr: string) =>
    expressionText(evaluateExpression(expr, context), `text in '${template.trim()}'`),
  );
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
