// npm run docs [-- --check]: renders the inputs/outputs tables of every actions/<name>/action.yml into
// the block between <!-- slipway:inputs --> and <!-- slipway:end --> of actions/<name>/README.md (the
// one page per action), and the inputs/secrets/outputs of every reusable workflow (on.workflow_call)
// into <!-- slipway:workflow <file> --> ... <!-- slipway:end --> of docs/reusable-workflows.md.
// Only those blocks are rewritten; everything around them is left byte for byte.
// A file without the markers gets the block appended; a missing README is created with a heading.
// --check writes nothing, lists the files that differ from what would be written, and exits 1.
// The block is formatted with prettier (the repository's config), so `npm run lint` agrees with it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { parse } from 'yaml';

export const BEGIN = '<!-- slipway:inputs -->';
export const END = '<!-- slipway:end -->';
export const workflowMarker = (file) => `<!-- slipway:workflow ${file} -->`;

/** Makes text safe inside one GFM table cell: no raw pipes, no line breaks, no stray HTML. */
export function escapeCell(text) {
  return String(text)
    .trim()
    .replace(/\r\n?/g, '\n')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\n{2,}/g, '<br><br>')
    .replace(/\n/g, '<br>');
}

/**
 * A default as a code span (expressions such as `${{ github.token }}` stay literal, line breaks show
 * as `\n`); empty when the input has no default.
 */
export function formatDefault(value) {
  if (value === undefined || value === null) return '';
  const text = String(value).replace(/\r?\n/g, '\\n');
  if (text === '') return '`""`';
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** The inputs and outputs tables of one parsed action.yml, before formatting. */
export function renderTables(meta) {
  const inputs = Object.entries(meta?.inputs ?? {});
  const outputs = Object.entries(meta?.outputs ?? {});
  const lines = ['### Inputs', ''];
  if (inputs.length === 0) lines.push('This action has no inputs.');
  else {
    lines.push('| name | required | default | description |', '| --- | --- | --- | --- |');
    for (const [name, spec] of inputs) {
      let description = escapeCell(spec?.description ?? '');
      if (spec?.deprecationMessage)
        description += `<br>**Deprecated:** ${escapeCell(spec.deprecationMessage)}`;
      const required = spec?.required === true || spec?.required === 'true' ? 'yes' : 'no';
      lines.push(`| \`${name}\` | ${required} | ${formatDefault(spec?.default)} | ${description} |`);
    }
  }
  lines.push('', '### Outputs', '', ...outputRows(outputs, 'This action has no outputs.'), '');
  return lines.join('\n');
}

/** The name/description table of `outputs` (entries of an outputs map), or `none` when there are none. */
function outputRows(outputs, none) {
  if (outputs.length === 0) return [none];
  return [
    '| name | description |',
    '| --- | --- |',
    ...outputs.map(([name, spec]) => `| \`${name}\` | ${escapeCell(spec?.description ?? '')} |`),
  ];
}

/** The inputs, secrets and outputs tables of one reusable workflow's `on.workflow_call`. */
export function renderWorkflowTables(call) {
  const inputs = Object.entries(call?.inputs ?? {});
  const secrets = Object.entries(call?.secrets ?? {});
  const outputs = Object.entries(call?.outputs ?? {});
  const required = (spec) => (spec?.required === true ? 'yes' : 'no');
  const lines = ['#### Inputs', ''];
  if (inputs.length === 0) lines.push('This workflow has no inputs.');
  else {
    lines.push('| name | type | required | default | description |', '| --- | --- | --- | --- | --- |');
    for (const [name, spec] of inputs)
      lines.push(
        `| \`${name}\` | ${spec?.type ?? ''} | ${required(spec)} | ${formatDefault(spec?.default)} | ${escapeCell(spec?.description ?? '')} |`,
      );
  }
  lines.push('', '#### Secrets', '');
  if (secrets.length === 0) lines.push('This workflow takes no secrets.');
  else {
    lines.push('| name | required | description |', '| --- | --- | --- |');
    for (const [name, spec] of secrets)
      lines.push(`| \`${name}\` | ${required(spec)} | ${escapeCell(spec?.description ?? '')} |`);
  }
  lines.push('', '#### Outputs', '', ...outputRows(outputs, 'This workflow has no outputs.'), '');
  return lines.join('\n');
}

/** `markdown` formatted as prettier formats it in `file`, between blank lines, for a marked block. */
export async function formatBlock(markdown, file) {
  const config = (await prettier.resolveConfig(file)) ?? {};
  const formatted = await prettier.format(markdown, { ...config, parser: 'markdown' });
  return `\n\n${formatted}\n`;
}

/** What goes between an action's markers in `file`. */
export async function renderBlock(meta, file) {
  return formatBlock(renderTables(meta), file);
}

/**
 * Replaces the block after `begin` up to the next END marker in `text`, or appends a `## heading`
 * section holding it; throws on a repeated `begin`, a missing END, or an END without BEGIN.
 */
export function replaceBlock(text, block, file, begin = BEGIN, heading = 'Inputs and outputs') {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = block.replace(/\n/g, eol);
  const start = text.indexOf(begin);
  const broken = () => new Error(`${file}: needs exactly one ${begin} followed by one ${END}`);
  if (start === -1) {
    if (begin === BEGIN && text.includes(END)) throw broken();
    const sep = text === '' || text.endsWith(eol) ? '' : eol;
    return `${text}${sep}${eol}## ${heading}${eol}${eol}${begin}${body}${END}${eol}`;
  }
  const end = text.indexOf(END, start);
  if (end === -1 || text.indexOf(begin, start + 1) !== -1) throw broken();
  return text.slice(0, start + begin.length) + body + text.slice(end);
}

/** Every file the generator owns a block in, with its current and expected text. */
export async function planDocs(root) {
  const actionsDir = join(root, 'actions');
  const names = existsSync(actionsDir)
    ? readdirSync(actionsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(actionsDir, d.name, 'action.yml')))
        .map((d) => d.name)
        .sort()
    : [];
  const plan = [];
  for (const name of names) {
    const meta = parse(readFileSync(join(actionsDir, name, 'action.yml'), 'utf8'));
    const file = join(actionsDir, name, 'README.md');
    const actual = existsSync(file) ? readFileSync(file, 'utf8') : null;
    const block = await renderBlock(meta, file);
    plan.push({ file, actual, expected: replaceBlock(actual ?? `# ${name}\n`, block, relative(root, file)) });
  }
  const workflows = reusableWorkflows(root);
  if (workflows.length > 0) {
    const file = join(root, 'docs', 'reusable-workflows.md');
    const actual = existsSync(file) ? readFileSync(file, 'utf8') : null;
    let expected = actual ?? '# Reusable workflows\n';
    for (const { name, call } of workflows) {
      const block = await formatBlock(renderWorkflowTables(call), file);
      expected = replaceBlock(expected, block, relative(root, file), workflowMarker(name), `\`${name}\``);
    }
    plan.push({ file, actual, expected });
  }
  return plan;
}

/** Every `.github/workflows/*.yml` with `on.workflow_call`, by file name. */
function reusableWorkflows(root) {
  const dir = join(root, '.github', 'workflows');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((name) => ({ name, on: parse(readFileSync(join(dir, name), 'utf8'))?.on }))
    .filter(({ on }) => on && typeof on === 'object' && 'workflow_call' in on)
    .map(({ name, on }) => ({ name, call: on.workflow_call ?? {} }));
}

/** Files whose content differs from what the generator would write, as "path: reason". */
export async function findDrift(root) {
  return (await planDocs(root))
    .filter((p) => p.actual !== p.expected)
    .map((p) => {
      const file = relative(root, p.file);
      if (p.actual === null) return `${file}: missing`;
      if (file.startsWith('docs/reusable-workflows'))
        return `${file}: workflow tables differ from on.workflow_call`;
      return `${file}: inputs/outputs tables differ from action.yml`;
    });
}

export async function writeDocs(root) {
  const written = [];
  for (const p of await planDocs(root)) {
    if (p.actual === p.expected) continue;
    writeFileSync(p.file, p.expected);
    written.push(relative(root, p.file));
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  try {
    if (process.argv.includes('--check')) {
      const drift = await findDrift(root);
      if (drift.length > 0) {
        console.error(`docs: ${drift.length} file(s) out of date; run \`npm run docs\`:`);
        for (const line of drift) console.error(`  ${line}`);
        process.exit(1);
      }
      console.log('docs: every inputs/outputs table matches its action.yml');
    } else {
      const written = await writeDocs(root);
      for (const file of written) console.log(`wrote ${file}`);
      if (written.length === 0) console.log('docs: already up to date');
    }
  } catch (error) {
    console.error(`docs: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
