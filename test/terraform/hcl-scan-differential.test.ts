/**
 * hcl-scan.ts (through readModuleCalls) against HashiCorp's own parser (hcl2json: HCL compiled to WebAssembly, a root
 * devDependency kept only as this oracle) on real Terraform files: every `.tf` and `.tofu` file of
 * the OpenTofu source tree at the version scripts/real-tools.json pins (its tests, examples and
 * testdata: valid files and deliberately invalid ones), then hand-written adversarial files.
 *
 * Each file gets one verdict from each side: the sorted (name, source) calls, "not literal" (a
 * module source that is not a literal string: hcl2json gives the expression as `${...}` text, we
 * throw), or "rejected" (a syntax error). The rules:
 * - both read the file: exactly the same calls;
 * - hcl2json reads it but a source is not literal: we must throw for that too (never guess a call);
 * - we never reject a file hcl2json reads, and never read a call hcl2json does not;
 * - we may read a file HCL rejects only for a reason outside the structure we read, one of
 *   ACCEPTED_HCL_ERRORS: we do not parse expressions or template directives, only their brackets,
 *   strings and heredocs, so a bad expression (a missing operand or comma, an empty or unclosed
 *   `%{ if }`) leaves the blocks and the `source` strings where they are.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { goModuleSource } from '../go-module-source.ts';
import { readModuleCalls } from '@slipway/terraform/changes';

// Loaded untyped: the package's typings pull in the DOM library (`/// <reference lib="dom" />`).
const hcl2json = createRequire(import.meta.url)('@cdktf/hcl2json') as {
  parse(file: string, text: string): Promise<Record<string, unknown>>;
};

type Verdict = { calls: string[] } | { notLiteral: string } | { rejected: string };

/** The HCL errors a file may have that we do not see, with why they leave the structure intact. */
const ACCEPTED_HCL_ERRORS: [RegExp, string][] = [
  [
    /Invalid expression|Missing item separator|Missing attribute value|Extra characters/,
    'expression grammar',
  ],
  [
    /Unexpected end of template|Unexpected endif|Unexpected else|Unexpected endfor|Invalid template/,
    'template directives',
  ],
];

/** hcl2json strings are Terraform JSON templates: `$${` and `%%{` stand for a literal `${` / `%{`. */
function literalOf(json: unknown): string | undefined {
  if (typeof json !== 'string' || /[$%]\{/.test(json.replace(/\$\$\{|%%\{/g, ''))) return undefined;
  return json.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

async function oracle(file: string, text: string): Promise<Verdict> {
  let blocks: Record<string, unknown>;
  try {
    blocks = await hcl2json.parse(file, text);
  } catch (error) {
    return { rejected: (error as Error).message };
  }
  const modules = blocks.module;
  if (typeof modules !== 'object' || modules === null) return { calls: [] }; // none, or `module = ...`
  if (Array.isArray(modules)) return { notLiteral: 'a module block without a label' };
  const calls: string[] = [];
  for (const [name, bodies] of Object.entries(modules)) {
    if (!Array.isArray(bodies)) return { notLiteral: 'a module block with more than one label' };
    for (const body of bodies as Record<string, unknown>[]) {
      if (!('source' in body)) continue;
      const literal = literalOf(body.source);
      if (literal === undefined) return { notLiteral: JSON.stringify(body.source) };
      calls.push(`${name} <- ${literal}`);
    }
  }
  return { calls: calls.sort() };
}

function ours(file: string, text: string): Verdict {
  try {
    return {
      calls: readModuleCalls(file, text)
        .map((c) => `${c.name} <- ${c.source}`)
        .sort(),
    };
  } catch (error) {
    const message = (error as Error).message;
    return /: module "[^"]*": the source|: a module block needs/.test(message)
      ? { notLiteral: message }
      : { rejected: message };
  }
}

const kind = (v: Verdict) => ('calls' in v ? 'calls' : 'notLiteral' in v ? 'notLiteral' : 'rejected');

interface Tally {
  files: number;
  agreed: number;
  agreedWithModules: number;
  bothNotLiteral: number;
  bothRejected: number;
  weAcceptTheyReject: Record<string, string[]>;
  /** Files where the rules above are broken, with both verdicts. */
  broken: string[];
}

async function compare(files: { name: string; text: string }[]): Promise<Tally> {
  const tally: Tally = {
    files: files.length,
    agreed: 0,
    agreedWithModules: 0,
    bothNotLiteral: 0,
    bothRejected: 0,
    weAcceptTheyReject: {},
    broken: [],
  };
  for (const { name, text } of files) {
    const [them, us] = [await oracle(name, text), ours(name, text)];
    const pair = `${kind(them)}/${kind(us)}`;
    if ('calls' in them && 'calls' in us && them.calls.join('\n') === us.calls.join('\n')) {
      tally.agreed++;
      if (us.calls.length > 0) tally.agreedWithModules++;
    } else if (pair === 'notLiteral/notLiteral') tally.bothNotLiteral++;
    else if (pair === 'rejected/rejected' || pair === 'rejected/notLiteral') tally.bothRejected++;
    else if ('rejected' in them && 'calls' in us) {
      const category = ACCEPTED_HCL_ERRORS.find(([pattern]) => pattern.test(them.rejected))?.[1];
      if (category) (tally.weAcceptTheyReject[category] ??= []).push(name);
      else tally.broken.push(`${name}: HCL: ${them.rejected}\n  we: ${JSON.stringify(us)}`);
    } else tally.broken.push(`${name}: HCL: ${JSON.stringify(them)}\n  we: ${JSON.stringify(us)}`);
  }
  return tally;
}

describe('hcl-scan against hcl2json on the OpenTofu source tree', () => {
  let tally: Tally;

  beforeAll(async () => {
    const { dir } = goModuleSource('tofu');
    const files = readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.(tf|tofu)$/.test(e.name))
      .map((e) => join(e.parentPath, e.name))
      .sort()
      .map((path) => ({ name: relative(dir, path), text: readFileSync(path, 'utf8') }));
    tally = await compare(files);
  }, 120_000);

  it('reads the same module calls from every file both read, and never one HCL does not', () => {
    expect(tally.broken).toEqual([]);
    // the tree is the real one: some 1,450 files, about 300 of them calling modules
    expect(tally.files).toBeGreaterThan(1000);
    expect(tally.agreedWithModules).toBeGreaterThan(250);
    expect(tally.agreed + tally.bothNotLiteral + tally.bothRejected).toBe(
      tally.files - Object.values(tally.weAcceptTheyReject).flat().length,
    );
  });

  it('refuses every module source that is not a literal (OpenTofu early-evaluated variables among them)', () => {
    expect(tally.bothNotLiteral).toBeGreaterThan(0);
  });

  it('rejects the deliberately invalid files of its testdata with HCL', () => {
    expect(tally.bothRejected).toBeGreaterThan(0);
  });
});

describe('hcl-scan against hcl2json on adversarial files', () => {
  const agree = (name: string, text: string) => ({ name, text, expect: 'agree' as const });
  const bothReject = (name: string, text: string) => ({ name, text, expect: 'rejected' as const });
  const weAccept = (name: string, text: string, category: string) => ({ name, text, expect: category });
  const cases = [
    agree('brace in strings', 'module "a" {\n  x = "}"\n  y = "${"}"}"\n  source = "./a"\n}\n'),
    agree('escapes', 'module "a\\"b" {\n  source = "./\\u00e9/\\U0001F600/$${x}/%%{y}/$$/\\\\"\n}\n'),
    agree(
      'heredoc hides',
      'x = <<EOT\nmodule "no" {\n  source = "./no"\n}\nEOT\nmodule "b" { source = "./b" }\n',
    ),
    agree('indented heredoc', 'x = <<-EOT\n  }\n  ${"EOT"}\n    EOT\nmodule "c" {\n  source = "./c"\n}\n'),
    agree('heredoc markers', 'x = <<EOT\n  EOT is text\nEOTX\n\tEOT \nmodule "a" {\n  source = "./a"\n}\n'),
    agree(
      'heredoc inside a module',
      'module "a" {\n  x = <<-EOT\n    source = "./no"\n    }\n  EOT\n  source = "./a"\n}\n',
    ),
    agree('CRLF heredoc', 'module "a" {\r\n  x = <<-EOT\r\n    }\r\n    EOT\r\n  source = "./a"\r\n}\r\n'),
    agree('heredoc in interpolation', 'x = "${<<EOT\n}\nEOT\n}"\nmodule "d" {\n  source = "./d"\n}\n'),
    agree(
      'comments',
      '# module "n" { source = "./n" }\n/* module "m" {\n source = "./m" } */\nmodule "e" { source = "./e" } // }\n',
    ),
    agree('comment inside an interpolation', 'x = "${1 # }"\n}"\nmodule "f" {\n  source = "./f"\n}\n'),
    agree(
      'nested module and source',
      'locals {\n  module "g" {\n    source = "./no"\n  }\n}\nmodule "h" {\n  dynamic "x" {\n    content {\n      source = "./no"\n    }\n  }\n  source = "./h"\n}\n',
    ),
    agree(
      'module argument',
      'resource "a" "b" {\n  module = { source = "./no" }\n}\nmodule "i" {\n  source = "./i"\n}\n',
    ),
    agree('CRLF and BOM', '\uFEFFmodule "j" {\r\n  source = "./j"\r\n}\r\n'),
    agree('unicode', 'módulo = 1\nmodule "ü" {\n  source = "./ü"\n}\n'),
    agree(
      'brackets across lines',
      'module "k" {\n  for_each = toset([\n    "a",\n    "}",\n  ])\n  source = "./k"\n}\n',
    ),
    agree('no source', 'module "l" {\n  version = "1"\n}\n'),
    agree('bare label', 'module m {\n  source = "./m"\n}\n'),
    agree('duplicate names', 'module "n" {\n  source = "./n1"\n}\nmodule "n" {\n  source = "./n2"\n}\n'),
    bothReject('unterminated string', 'module "a" {\n  source = "./a\n}\n'),
    bothReject('unterminated heredoc', 'x = <<EOT\nhello\nEOT}\n'),
    bothReject('heredoc marker at end of file', 'x = <<EOT\nhello\nEOT'),
    bothReject('heredoc never closed', 'module "a" {\n  x = <<EOT\n  source = "./a"\n}\n'),
    bothReject('unterminated comment', 'module "a" {\n  source = "./a"\n}\n/* x\n'),
    bothReject('unbalanced bracket', 'x = [1, 2)\n'),
    bothReject('unclosed block', 'module "a" {\n  source = "./a"\n'),
    bothReject('two arguments on a line', 'module "a" { source = "./a" version = "1" }\n'),
    bothReject('source set twice', 'module "a" {\n  source = "./a"\n  source = "./b"\n}\n'),
    bothReject('single quotes', 'module "a" {\n  source = \'./a\'\n}\n'),
    bothReject('template in a label', 'module "a${1}" {\n  source = "./a"\n}\n'),
    bothReject('lone CR', 'module "a" {\r  source = "./a"\r}\r'),
    weAccept('missing comma', 'x = [1 2]\nmodule "a" {\n  source = "./a"\n}\n', 'expression grammar'),
    weAccept(
      'unclosed directive',
      'x = "%{ if true }"\nmodule "a" {\n  source = "./a"\n}\n',
      'template directives',
    ),
  ];

  it.each(cases)('$name', async ({ name, text, expect: expected }) => {
    const tally = await compare([{ name, text }]);
    expect(tally.broken).toEqual([]);
    if (expected === 'agree') expect(tally.agreed).toBe(1);
    else if (expected === 'rejected') expect(tally.bothRejected).toBe(1);
    else expect(tally.weAcceptTheyReject[expected]).toEqual([name]);
  });
});
