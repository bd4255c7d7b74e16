/**
 * A lexer for HCL native syntax (`.tf`, `.tofu`), complete for the structure of a file: comments
 * (`#`, `//`, `/* *\/`), quoted strings with escapes and nested `${ }` / `%{ }` template sequences
 * (`$${` and `%%{` are literal), heredocs (`<<EOF`, `<<-EOF`) with templates inside, brackets,
 * identifiers and operators. A quoted string or a heredoc is one token, scanned through: a `}` or
 * a `#` inside it is text. Expressions are not parsed; hcl-scan.ts reads the structure from these
 * tokens. Character rules follow HashiCorp's scanner: space and tab are the only blanks, `\n` or
 * `\r\n` end a line, and a character HCL has no use for is an error, as it is there.
 */

export type TokenKind =
  | 'ident'
  | 'string' // a quoted string
  | 'heredoc'
  | 'newline' // a line break, or a `#` / `//` comment (which ends with one)
  | 'open' // ( [ {
  | 'close' // ) ] }
  | 'equals' // = alone (not == or =>)
  | 'other' // numbers and the other operators
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Offset of the token's first character. */
  start: number;
  text: string;
  /** A quoted string's value (escapes decoded); undefined when it holds a template sequence. */
  value?: string;
}

/** A file HCL cannot read, or a module call that cannot be read without evaluating Terraform. */
export class HclSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    what: string,
  ) {
    super(`${file}:${line},${column}: ${what}`);
    this.name = 'HclSyntaxError';
  }
}

const IDENT = /[\p{ID_Start}_][\p{ID_Continue}-]*/uy;
const HEREDOC = /<<(-?)([\p{ID_Start}_][\p{ID_Continue}-]*)\r?\n/uy;
const NUMBER = /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const OPERATORS = ['...', '==', '!=', '<=', '>=', '&&', '||', '=>', '::'];
const SINGLE = '.,*/%+-<>!?:~';
const BLANK_EDGES = /^\p{White_Space}+|\p{White_Space}+$/gu;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
const NOT_HCL: Record<string, string> = {
  "'": 'single quotes are not valid in HCL; use double quotes',
  ';': 'a ";" is not valid in HCL; end an argument with a line break',
  '`': 'a "`" is not valid in HCL; use a heredoc (<<EOT) for a multi-line string',
  '^': 'bitwise operators are not supported in HCL',
};

export class HclLexer {
  private pos: number;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.pos = text.startsWith('\uFEFF') ? 1 : 0; // a byte order mark is not part of the file
  }

  /** The error `<file>:<line>,<column>: <what>` at `offset` (columns count characters). */
  fail(offset: number, what: string): HclSyntaxError {
    const before = this.text.slice(0, offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    const line = before.length - before.replaceAll('\n', '').length + 1;
    const column = [...before.slice(lineStart).replace(/^\uFEFF/, '')].length + 1;
    return new HclSyntaxError(this.file, line, column, what);
  }

  next(): Token {
    const text = this.text;
    for (;;) {
      const c = text[this.pos];
      if (c === ' ' || c === '\t') this.pos++;
      else if (c === '/' && text[this.pos + 1] === '*') {
        const end = text.indexOf('*/', this.pos + 2);
        if (end < 0) throw this.fail(this.pos, 'unterminated comment: no "*/" closes this "/*"');
        this.pos = end + 2;
      } else break;
    }
    const start = this.pos;
    const c = text[start];
    if (c === undefined) return { kind: 'eof', start, text: '' };
    if (c === '#' || (c === '/' && text[start + 1] === '/')) {
      const end = text.indexOf('\n', start);
      this.pos = end < 0 ? text.length : end + 1;
      return end < 0 ? { kind: 'eof', start: this.pos, text: '' } : { kind: 'newline', start, text: '\n' };
    }
    if (c === '\n' || (c === '\r' && text[start + 1] === '\n')) {
      this.pos += c === '\n' ? 1 : 2;
      return { kind: 'newline', start, text: '\n' };
    }
    if (c === '"') return this.quoted();
    if (c === '<' && text[start + 1] === '<') return this.heredoc();
    if ('([{'.includes(c)) return this.token('open', 1);
    if (')]}'.includes(c)) return this.token('close', 1);
    const operator = OPERATORS.find((op) => text.startsWith(op, start));
    if (operator) return this.token('other', operator.length);
    if (c === '=') return this.token('equals', 1);
    if (SINGLE.includes(c)) return this.token('other', 1);
    const ident = this.match(IDENT);
    if (ident) return this.token('ident', ident.length);
    const number = this.match(NUMBER);
    if (number) return this.token('other', number.length);
    throw this.fail(
      start,
      NOT_HCL[c] ?? `invalid character ${JSON.stringify(String.fromCodePoint(text.codePointAt(start)!))}`,
    );
  }

  private token(kind: TokenKind, length: number): Token {
    const start = this.pos;
    this.pos += length;
    return { kind, start, text: this.text.slice(start, this.pos) };
  }

  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    return pattern.exec(this.text)?.[0];
  }

  /** A quoted string, from its opening `"`: one line, escapes decoded, template sequences scanned through. */
  private quoted(): Token {
    const text = this.text;
    const start = this.pos++;
    let value = '';
    let literal = true;
    for (;;) {
      const c = text[this.pos];
      if (c === undefined || c === '\n' || (c === '\r' && text[this.pos + 1] === '\n'))
        throw this.fail(
          start,
          'unterminated string: a quoted string must close on its own line (use \\n or a heredoc for line breaks)',
        );
      if (c === '"') break;
      if (c === '\\') value += this.escape();
      else if (this.templateStart(c)) literal = false;
      else value += this.templateLiteral(c);
    }
    this.pos++;
    return { kind: 'string', start, text: text.slice(start, this.pos), value: literal ? value : undefined };
  }

  /** `\n \r \t \" \\ \uNNNN \UNNNNNNNN`, as HCL decodes them in a quoted string. */
  private escape(): string {
    const at = this.pos;
    const selector = this.text[at + 1] ?? '';
    if (selector in ESCAPES) {
      this.pos += 2;
      return ESCAPES[selector]!;
    }
    const digits = selector === 'u' ? 4 : selector === 'U' ? 8 : 0;
    if (digits === 0) throw this.fail(at, `invalid escape sequence "\\${selector}"`);
    const hex = this.text.slice(at + 2, at + 2 + digits);
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex))
      throw this.fail(at, `the \\${selector} escape must be followed by ${digits} hexadecimal digits`);
    const code = parseInt(hex, 16);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
      throw this.fail(at, `\\${selector}${hex} is not a character that UTF-8 can encode`);
    this.pos += 2 + digits;
    return String.fromCodePoint(code);
  }

  /** `$${` and `%%{` are the literal `${` and `%{`; any other character is itself. */
  private templateLiteral(c: string): string {
    if ((c === '$' || c === '%') && this.text[this.pos + 1] === c && this.text[this.pos + 2] === '{') {
      this.pos += 3;
      return `${c}{`;
    }
    this.pos++;
    return c;
  }

  /** At `${` or `%{`: scans the whole sequence, through its matching `}`, and says true. */
  private templateStart(c: string): boolean {
    if ((c !== '$' && c !== '%') || this.text[this.pos + 1] !== '{') return false;
    const start = this.pos;
    this.pos += 2;
    const open: Token[] = [];
    for (;;) {
      const token = this.next();
      if (token.kind === 'eof')
        throw this.fail(start, `unterminated template sequence: no "}" closes this "${c}{"`);
      if (token.kind === 'open') open.push(token);
      else if (token.kind === 'close') {
        const opener = open.pop();
        if (opener === undefined && token.text === '}') return true;
        this.mustClose(opener, token);
      }
    }
  }

  /** Throws unless `close` is the bracket that closes `open`. */
  mustClose(open: Token | undefined, close: Token): void {
    const expected = open && { '(': ')', '[': ']', '{': '}' }[open.text];
    if (expected === close.text) return;
    throw this.fail(
      close.start,
      open
        ? `"${close.text}" where "${expected}" must close the "${open.text}" of ${this.where(open)}`
        : `unexpected "${close.text}"`,
    );
  }

  /** `line <l>, column <c>` of a token, for messages. */
  where(token: Token): string {
    const { line, column } = this.fail(token.start, '');
    return `line ${line}, column ${column}`;
  }

  /**
   * A heredoc, from `<<`: `<<ID` or `<<-ID` ends its line; the body runs to the first line that
   * is only ID (blanks around it allowed, for both forms, as in HCL), which must end with a line
   * break. Template sequences inside are scanned through; backslashes are text.
   */
  private heredoc(): Token {
    const text = this.text;
    const start = this.pos;
    const opener = HEREDOC.exec(((HEREDOC.lastIndex = start), text));
    if (!opener)
      throw this.fail(
        start,
        'invalid heredoc: "<<" or "<<-" must be followed by an identifier and a line break',
      );
    const marker = opener[2]!;
    const unterminated = () =>
      this.fail(start, `unterminated heredoc: no line with only "${marker}" ends it`);
    this.pos += opener[0].length;
    for (;;) {
      const lineEnd = text.indexOf('\n', this.pos);
      if (lineEnd < 0) throw unterminated();
      if (text.slice(this.pos, lineEnd).replace(BLANK_EDGES, '') === marker) {
        this.pos = lineEnd - (text[lineEnd - 1] === '\r' ? 1 : 0); // the line break is the next token
        return { kind: 'heredoc', start, text: text.slice(start, this.pos) };
      }
      for (;;) {
        const c = text[this.pos];
        if (c === undefined) throw unterminated();
        if (c === '\n') break;
        if (!this.templateStart(c)) this.templateLiteral(c);
      }
      this.pos++;
    }
  }
}
