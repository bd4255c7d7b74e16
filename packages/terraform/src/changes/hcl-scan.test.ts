/**
 * The HCL module-call scanner, construct by construct (test/terraform/hcl-scan-differential.test.ts checks it
 * against HashiCorp's parser on real files): which `source` counts, what text hides a `module`
 * block or a `}`, and the `file:line,col` of each syntax error.
 */
import { describe, expect, it } from 'vitest';
import { HclSyntaxError, scanModuleCalls } from './hcl-scan.ts';

const calls = (text: string) => scanModuleCalls('m.tf', text).map((c) => `${c.name}=${c.source}`);
const error = (text: string) => {
  try {
    scanModuleCalls('dir/m.tf', text);
  } catch (e) {
    expect(e).toBeInstanceOf(HclSyntaxError);
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('which module calls count', () => {
  it('top-level module blocks, in file order, with quoted or bare labels and one-line bodies', () => {
    const text = [
      'module "b" {',
      '  source  = "./b"',
      '  version = "1.0"',
      '}',
      'module a { source = "../a" }',
      'module "c" {}',
      'module "d" {',
      '  count = 2',
      '}',
      '',
    ].join('\n');
    expect(scanModuleCalls('x/main.tf', text)).toEqual([
      { name: 'b', source: './b', file: 'x/main.tf' },
      { name: 'a', source: '../a', file: 'x/main.tf' },
    ]);
  });

  it('not a module block nested in another block, nor source arguments of other blocks', () => {
    const text = `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
provider "x" {
  source = "./provider"
}
data "x" "y" {
  source = "./data"
}
locals {
  module "inner" {
    source = "./nested"
  }
}
module "real" {
  dynamic "setting" {
    for_each = []
    content {
      source = "./dynamic"
    }
  }
  inner {
    source = "./inner-block"
  }
  source = "./real"
}
`;
    expect(calls(text)).toEqual(['real=./real']);
  });

  it('not module as an argument name, at the top level or in a block', () => {
    expect(calls('module = { source = "./no" }\nx {\n  module = "./no"\n}\n')).toEqual([]);
  });

  it('not source inside strings, heredocs or comments', () => {
    const text = `
# module "c1" { source = "./no" }
// module "c2" { source = "./no" }
/* module "c3" {
  source = "./no"
} */
x = "module \\"s\\" { source = \\"./no\\" }"
y = <<EOT
module "h" {
  source = "./no"
}
EOT
module "m" {
  # source = "./commented"
  description = <<-EOT
    source = "./heredoc"
  EOT
  source = "./m" # source = "./after"
}
`;
    expect(calls(text)).toEqual(['m=./m']);
  });
});

describe('strings and templates', () => {
  it('a } or # inside a string, an interpolation or a nested string is text', () => {
    const text = [
      'x = "}"',
      'y = "${ "}" } # ${ {a = "}"}.a }"',
      'z = "${ join("}", ["{", "${ "}" }"]) }"',
      'module "a" {',
      '  source = "./a}#"',
      '}',
      '',
    ].join('\n');
    expect(calls(text)).toEqual(['a=./a}#']);
  });

  it('decodes escapes; $${ and %%{ are literal; a lone $ or % is text', () => {
    const source = String.raw`./\u00e9\U0001F600\t\"\\` + '$${x}%%{y}$$z%w$';
    expect(calls(`module "a" {\n  source = "${source}"\n}\n`)).toEqual(['a=./é😀\t"\\${x}%{y}$$z%w$']);
  });

  it('a label with escapes is decoded; a label with a template sequence is an error', () => {
    expect(calls('module "a\\u0062" {\n  source = "./b"\n}\n')).toEqual(['ab=./b']);
    expect(error('module "x${1}" {\n}\n')).toBe(
      'dir/m.tf:1,8: a block label cannot hold a template sequence (${ } or %{ })',
    );
  });

  it('template sequences nest and may span lines, with comments inside', () => {
    const text = 'x = "%{ if a }${ [\n  1, # }\n  2,\n] }%{ endif }"\nmodule "a" {\n  source = "./a"\n}\n';
    expect(calls(text)).toEqual(['a=./a']);
  });

  it('a source that is not a literal string is reported, not guessed', () => {
    expect(error('module "t" {\n  source = "./${var.x}"\n}\n')).toBe(
      'dir/m.tf:2,12: module "t": the source "./${var.x}" holds a template sequence (${ } or %{ }); ' +
        'a module source must be a literal string, so the modules it calls cannot be known here',
    );
    expect(error('module "t" {\n  source = "%{ if a }x%{ endif }"\n}\n')).toMatch(
      /module "t": the source .* holds a template/,
    );
    for (const expression of ['var.src', 'local.x', '5', '("./a")', '"./" + "a"', '<<EOT\n./a\nEOT'])
      expect(error(`module "t" {\n  source = ${expression}\n}\n`)).toMatch(
        /^dir\/m\.tf:2,12: module "t": the source (must be a quoted literal string|.* holds a template)/,
      );
  });

  it('rejects bad escapes', () => {
    expect(error('x = "\\q"\n')).toBe('dir/m.tf:1,6: invalid escape sequence "\\q"');
    expect(error('x = "\\u12"\n')).toBe(
      'dir/m.tf:1,6: the \\u escape must be followed by 4 hexadecimal digits',
    );
    expect(error('x = "\\uD800"\n')).toBe('dir/m.tf:1,6: \\uD800 is not a character that UTF-8 can encode');
  });
});

describe('heredocs', () => {
  it('run to a line that is only the marker; <<- and << both allow blanks around it', () => {
    const text = [
      'a = <<EOT',
      '}',
      '  EOT is not the end',
      'EOTX',
      '${"EOT"}',
      'EOT',
      'b = <<-EOT',
      '    module "x" {',
      '    }',
      '    EOT',
      'c = [<<A-B',
      '  $${ and %%{ and a \\ are text ${ "}" }',
      '  A-B',
      ', 1]',
      'module "h" {',
      '  source = "./h"',
      '}',
      '',
    ].join('\n');
    expect(calls(text)).toEqual(['h=./h']);
  });

  it('an interpolation may hold a heredoc, and a heredoc an interpolation across lines', () => {
    const text =
      'x = "${<<EOT\n}\nEOT\n}"\ny = <<EOT\n${\n"EOT"}EOT\nEOT\nmodule "i" {\n  source = "./i"\n}\n';
    expect(calls(text)).toEqual(['i=./i']);
  });

  it('the marker line must end with a line break; the opener must end its line', () => {
    expect(error('x = <<EOT\nhello\nEOT')).toBe(
      'dir/m.tf:1,5: unterminated heredoc: no line with only "EOT" ends it',
    );
    expect(error('x = <<EOT\nhello\nEOT }\n')).toBe(
      'dir/m.tf:1,5: unterminated heredoc: no line with only "EOT" ends it',
    );
    expect(error('x = <<EOT \nEOT\n')).toBe(
      'dir/m.tf:1,5: invalid heredoc: "<<" or "<<-" must be followed by an identifier and a line break',
    );
  });
});

describe('line endings, byte order mark and identifiers', () => {
  it('reads CRLF files, heredocs included', () => {
    const text = 'x = <<EOT\r\nEOT\r\nmodule "a" {\r\n  source = "./a"\r\n}\r\n';
    expect(calls(text)).toEqual(['a=./a']);
  });

  it('skips a byte order mark; positions after it are unchanged', () => {
    expect(calls('\uFEFFmodule "a" {\n  source = "./a"\n}\n')).toEqual(['a=./a']);
    expect(error('\uFEFFmodule "a" {\n')).toBe(
      'dir/m.tf:1,12: unclosed block: no "}" closes this "{" before the end of the file',
    );
  });

  it('reads unicode identifiers and labels, and identifiers with dashes; columns count characters', () => {
    expect(
      calls('módulo-x = 1\nmodule "ü" {\n  source = "./ü"\n}\nmodule ñ {\n  source = "./ñ"\n}\n'),
    ).toEqual(['ü=./ü', 'ñ=./ñ']);
    expect(error('é = "ü" ]\n')).toBe('dir/m.tf:1,9: an argument must end with a line break');
    expect(error('é = ("ü"]\n')).toBe('dir/m.tf:1,9: "]" where ")" must close the "(" of line 1, column 5');
    expect(error('x = "${ ) }"\n')).toBe('dir/m.tf:1,9: unexpected ")"');
  });

  it('a lone CR, a form feed or a character HCL does not use is an error', () => {
    expect(error('x = 1\ry = 2\n')).toBe('dir/m.tf:1,6: invalid character "\\r"');
    expect(error("x = 'a'\n")).toBe('dir/m.tf:1,5: single quotes are not valid in HCL; use double quotes');
    expect(error('x = @a\n')).toBe('dir/m.tf:1,5: invalid character "@"');
    expect(error('x = 1;\n')).toMatch(/^dir\/m\.tf:1,6: a ";" is not valid/);
  });
});

describe('structure', () => {
  it('an expression spans lines inside brackets, and ends at the line break outside them', () => {
    const text = 'x = {\n  a = [\n    1,\n  ]\n  b = (\n    2\n  )\n}\nmodule "a" {\n  source = "./a"\n}\n';
    expect(calls(text)).toEqual(['a=./a']);
    expect(error('x = 1 +\n  2\n')).toBe(
      'dir/m.tf:2,3: an argument (name = value) or a block (type "label" {) is required here',
    );
  });

  it('syntax errors name file, line and column', () => {
    expect(error('module "a" {\n  source = "./a\n}\n')).toBe(
      'dir/m.tf:2,12: unterminated string: a quoted string must close on its own line (use \\n or a heredoc for line breaks)',
    );
    expect(error('x = "${ 1 \n')).toBe(
      'dir/m.tf:1,6: unterminated template sequence: no "}" closes this "${"',
    );
    expect(error('a = 1\n/* open\n')).toBe('dir/m.tf:2,1: unterminated comment: no "*/" closes this "/*"');
    expect(error('x = [1,\n  (2]\n')).toBe(
      'dir/m.tf:2,5: "]" where ")" must close the "(" of line 2, column 3',
    );
    expect(error('x = [1,\n  2\n')).toBe('dir/m.tf:1,5: unclosed "["');
    expect(error('x {\n  y = "}"\n')).toBe(
      'dir/m.tf:1,3: unclosed block: no "}" closes this "{" before the end of the file',
    );
    expect(error('x {\n}\n}\n')).toBe(
      'dir/m.tf:3,1: an argument (name = value) or a block (type "label" {) is required here',
    );
    expect(error('x = 1 y = 2\n')).toBe('dir/m.tf:1,9: an argument must end with a line break');
    expect(error('x = [y = 2]\n')).toBe('dir/m.tf:1,8: "=" belongs in an object ({ key = value }) only');
    expect(calls('x = { y = [{ z = 1 }] }\n')).toEqual([]);
    expect(error('x {\n} y {}\n')).toBe('dir/m.tf:2,3: a block must end with a line break');
    expect(error('x "a" = 1\n')).toBe(
      'dir/m.tf:1,7: a block has no "=": an argument is name = value, a block is type "label" {',
    );
    expect(error('x "a"\n{\n}\n')).toBe(
      'dir/m.tf:1,6: "{" must follow the labels of the "x" block on the same line',
    );
    expect(error('x = \n')).toBe('dir/m.tf:1,5: an expression is required after "="');
  });

  it('single-line blocks hold at most one argument and close on their line', () => {
    expect(error('x { y {} }\n')).toBe(
      'dir/m.tf:1,5: a single-line block holds at most one argument (name = value); put a nested block on its own line',
    );
    expect(error('module "a" { source = "./a"\n}\n')).toBe(
      'dir/m.tf:1,28: a single-line block must close with "}" on the same line, right after its argument',
    );
    expect(error('module "a" {\n  source = "./a" }\n')).toBe(
      'dir/m.tf:2,18: an argument must end with a line break',
    );
  });

  it('an argument is set once per body; a module block has exactly one label', () => {
    expect(error('module "a" {\n  source = "./a"\n  source = "./b"\n}\n')).toBe(
      'dir/m.tf:3,3: the argument "source" is already set at line 2, column 3; each argument may be set once',
    );
    expect(error('module {\n  source = "./a"\n}\n')).toBe(
      'dir/m.tf:1,1: a module block needs exactly one label, its name: module "<name>" {',
    );
    expect(error('module "a" "b" {\n}\n')).toMatch(/^dir\/m\.tf:1,1: a module block needs exactly one label/);
    expect(calls('x {\n  module {\n  }\n}\n')).toEqual([]); // only top-level module blocks are calls
  });

  it('an empty file, blank lines and a last line without a line break are fine', () => {
    expect(calls('')).toEqual([]);
    expect(calls('\n\n\r\n')).toEqual([]);
    expect(calls('module "a" {\n  source = "./a"\n} # end')).toEqual(['a=./a']);
    expect(calls('module "a" { source = "./a" }')).toEqual(['a=./a']);
  });
});
