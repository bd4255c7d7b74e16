/**
 * The module calls of one HCL file (`.tf`, `.tofu`): every top-level `module "<name>" { ... }` block
 * and its `source`, read from the tokens of hcl-lexer.ts with the structure rules of HCL native
 * syntax (hclsyntax):
 * - a body is a list of items, each ending with a line break (or the end of the file): an argument
 *   `name = expression`, or a block `type label* {`, a line break, its body and a `}`; a single-line
 *   block `type label* { name = expression }` holds at most one argument;
 * - an expression ends at the first line break outside `( )`, `[ ]` and `{ }`; brackets must balance,
 *   and a lone `=` appears only directly inside `{ }` (an object's `key = value`);
 * - an argument may be set only once per body; block labels are literal strings or identifiers.
 * Only a `module` block at the top level is a module call (a `module` block nested in another block
 * is not), and only its own `source` argument counts. Terraform needs a source it can read without
 * evaluating anything, so a source other than a quoted string without template sequences (`${ }`,
 * `%{ }`), and a module block without exactly one label, are errors: the caller then treats the
 * directory as unreadable, rather than guessing. Expressions are not checked beyond their brackets,
 * so a file HCL rejects for a bad expression can still be read here.
 */
import { HclLexer, type Token } from './hcl-lexer.ts';

export { HclSyntaxError } from './hcl-lexer.ts';

export interface ModuleCall {
  name: string;
  source: string;
  file: string;
}

/** The module calls of `file`, in file order; a syntax error throws `<file>:<line>,<col>: <what>`. */
export function scanModuleCalls(file: string, text: string): ModuleCall[] {
  const calls: ModuleCall[] = [];
  new BodyScanner(new HclLexer(file, text), calls).body(null, true);
  return calls;
}

type OnArgument = (name: Token, expression: Token[]) => void;

class BodyScanner {
  private ahead: Token | undefined;

  constructor(
    private readonly lexer: HclLexer,
    private readonly calls: ModuleCall[],
  ) {}

  private peek(): Token {
    return (this.ahead ??= this.lexer.next());
  }

  private take(): Token {
    const token = this.peek();
    this.ahead = undefined;
    return token;
  }

  /** The items of a body up to its closing `}` (or the end of the file, at the top level). */
  body(open: Token | null, top: boolean, onArgument?: OnArgument): void {
    const names = new Map<string, Token>();
    for (;;) {
      const first = this.take();
      if (first.kind === 'newline') continue;
      if (first.kind === 'eof') {
        if (open) throw this.unclosed(open);
        return;
      }
      if (open && first.kind === 'close' && first.text === '}') return;
      if (first.kind !== 'ident')
        throw this.lexer.fail(
          first.start,
          'an argument (name = value) or a block (type "label" {) is required here',
        );
      const argument = this.peek().kind === 'equals';
      let expression: Token[] = [];
      if (argument) {
        this.take();
        const earlier = names.get(first.text);
        if (earlier)
          throw this.lexer.fail(
            first.start,
            `the argument "${first.text}" is already set at ${this.lexer.where(earlier)}; each argument may be set once`,
          );
        names.set(first.text, first);
        expression = this.expression();
      } else {
        this.block(first, top);
      }
      const end = this.take();
      if (end.kind === 'eof' && open) throw this.unclosed(open);
      if (end.kind !== 'eof' && end.kind !== 'newline')
        throw this.lexer.fail(
          end.start,
          `${argument ? 'an argument' : 'a block'} must end with a line break`,
        );
      if (argument) onArgument?.(first, expression); // once the syntax around it is known to be right
      if (end.kind === 'eof') return;
    }
  }

  /** A block, from after its type: labels, `{`, then a body on its own lines or a single-line body. */
  private block(type: Token, top: boolean): void {
    const labels: string[] = [];
    for (let token = this.peek(); token.kind === 'string' || token.kind === 'ident'; token = this.peek()) {
      this.take();
      if (token.kind === 'string' && token.value === undefined)
        throw this.lexer.fail(token.start, 'a block label cannot hold a template sequence (${ } or %{ })');
      labels.push(token.value ?? token.text);
    }
    const open = this.take();
    if (open.kind !== 'open' || open.text !== '{')
      throw this.lexer.fail(
        open.start,
        open.kind === 'equals'
          ? 'a block has no "=": an argument is name = value, a block is type "label" {'
          : `"{" must follow the labels of the "${type.text}" block on the same line`,
      );
    const module = top && type.text === 'module';
    if (module && labels.length !== 1)
      throw this.lexer.fail(
        type.start,
        'a module block needs exactly one label, its name: module "<name>" {',
      );
    let source: string | undefined;
    const onArgument: OnArgument | undefined = module
      ? (name, expression) => {
          if (name.text === 'source') source = this.literalSource(labels[0]!, expression);
        }
      : undefined;
    if (this.peek().kind === 'newline') this.body(open, false, onArgument);
    else this.singleLineBody(open, onArgument);
    if (module && source !== undefined) this.calls.push({ name: labels[0]!, source, file: this.lexer.file });
  }

  /** `{ }` or `{ name = expression }` on one line (the `{` is taken). */
  private singleLineBody(open: Token, onArgument?: OnArgument): void {
    const first = this.take();
    if (first.kind === 'close' && first.text === '}') return;
    if (first.kind === 'eof') throw this.unclosed(open);
    if (first.kind !== 'ident' || this.take().kind !== 'equals')
      throw this.lexer.fail(
        first.start,
        'a single-line block holds at most one argument (name = value); put a nested block on its own line',
      );
    const expression = this.expression();
    const close = this.take();
    if (close.kind !== 'close' || close.text !== '}')
      throw this.lexer.fail(
        close.start,
        'a single-line block must close with "}" on the same line, right after its argument',
      );
    onArgument?.(first, expression);
  }

  /** The tokens of an expression: up to a line break, `}` or the end of the file outside brackets. */
  private expression(): Token[] {
    const tokens: Token[] = [];
    const open: Token[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === 'eof') {
        if (open.length > 0) throw this.lexer.fail(open.at(-1)!.start, `unclosed "${open.at(-1)!.text}"`);
        break;
      }
      if (open.length === 0 && (token.kind === 'newline' || token.kind === 'close')) break;
      this.take();
      if (token.kind === 'newline') continue;
      if (token.kind === 'equals' && open.at(-1)?.text !== '{')
        throw this.lexer.fail(
          token.start,
          open.length === 0
            ? 'an argument must end with a line break'
            : '"=" belongs in an object ({ key = value }) only',
        );
      if (token.kind === 'open') open.push(token);
      else if (token.kind === 'close') this.lexer.mustClose(open.pop(), token);
      tokens.push(token);
    }
    if (tokens.length === 0) throw this.lexer.fail(this.peek().start, 'an expression is required after "="');
    return tokens;
  }

  /** The value of a module's `source`: a quoted string without template sequences, nothing else. */
  private literalSource(module: string, expression: Token[]): string {
    const [first] = expression;
    if (expression.length === 1 && first!.kind === 'string') {
      if (first!.value !== undefined) return first!.value;
      throw this.lexer.fail(
        first!.start,
        `module "${module}": the source ${first!.text} holds a template sequence (\${ } or %{ }); ` +
          'a module source must be a literal string, so the modules it calls cannot be known here',
      );
    }
    throw this.lexer.fail(
      first!.start,
      `module "${module}": the source must be a quoted literal string, not an expression`,
    );
  }

  private unclosed(open: Token) {
    return this.lexer.fail(open.start, 'unclosed block: no "}" closes this "{" before the end of the file');
  }
}
