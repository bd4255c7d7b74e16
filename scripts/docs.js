// npm run docs [-- --check]: renders the inputs/outputs tables of every actions/<name>/action.yml into
// the block between <!-- slipway:inputs --> and <!-- slipway:end --> of actions/<name>/README.md and
// docs/actions/<name>.md. Only that block is rewritten; everything around it is left byte for byte.
// A file without the markers gets the block appended; a missing docs page is created from a template.
// --check writes nothing, lists the files that differ from what would be written, and exits 1.
// The block is formatted with prettier (the repository's config), so `npm run lint` agrees with it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { parse } from 'yaml';

export const BEGIN = '<!-- slipway:inputs -->';
export const END = '<!-- slipway:end -->';

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
  lines.push('', '### Outputs', '');
  if (outputs.length === 0) lines.push('This action has no outputs.');
  else {
    lines.push('| name | description |', '| --- | --- |');
    for (const [name, spec] of outputs)
      lines.push(`| \`${name}\` | ${escapeCell(spec?.description ?? '')} |`);
  }
  lines.push('');
  return lines.join('\n');
}

/** What goes between the markers: the tables formatted as prettier formats them in `file`. */
export async function renderBlock(meta, file) {
  const config = (await prettier.resolveConfig(file)) ?? {};
  const formatted = await prettier.format(renderTables(meta), { ...config, parser: 'markdown' });
  return `\n\n${formatted}\n`;
}

/** Replaces the marked block in `text` (or appends one); throws on unbalanced markers. */
export function replaceBlock(text, block, file) {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = block.replace(/\n/g, eol);
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin === -1 && end === -1) {
    const sep = text === '' || text.endsWith(eol) ? '' : eol;
    return `${text}${sep}${eol}## Inputs and outputs${eol}${eol}${BEGIN}${body}${END}${eol}`;
  }
  if (begin === -1 || end === -1 || end < begin || text.indexOf(BEGIN, begin + 1) !== -1)
    throw new Error(`${file}: needs exactly one ${BEGIN} followed by one ${END}`);
  return text.slice(0, begin + BEGIN.length) + body + text.slice(end);
}

/** The page created for an action that has no docs/actions/<name>.md yet. */
export function docsPageTemplate(name, meta) {
  return [
    `# ${name}`,
    '',
    escapeCell(meta?.description ?? '').replace(/<br>/g, ' '),
    '',
    `Reference it by commit SHA: \`uses: OWNER/slipway/actions/${name}@SLIPWAY_RELEASE_SHA # vX.Y.Z\`.`,
    `Usage, permissions and examples: [actions/${name}/README.md](../../actions/${name}/README.md).`,
    '',
  ].join('\n');
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
    const readme = join(actionsDir, name, 'README.md');
    const page = join(root, 'docs', 'actions', `${name}.md`);
    for (const file of [readme, page]) {
      const actual = existsSync(file) ? readFileSync(file, 'utf8') : null;
      const base = actual ?? (file === page ? docsPageTemplate(name, meta) : `# ${name}\n`);
      const block = await renderBlock(meta, file);
      plan.push({ file, actual, expected: replaceBlock(base, block, relative(root, file)) });
    }
  }
  const pagesDir = join(root, 'docs', 'actions');
  if (existsSync(pagesDir))
    for (const page of readdirSync(pagesDir).filter((f) => f.endsWith('.md') && f !== 'README.md'))
      if (!names.includes(page.slice(0, -3)))
        plan.push({ file: join(pagesDir, page), actual: 'orphan', expected: null });
  return plan;
}

/** Files whose content differs from what the generator would write, as "path: reason". */
export async function findDrift(root) {
  return (await planDocs(root))
    .filter((p) => p.actual !== p.expected)
    .map((p) => {
      const file = relative(root, p.file);
      if (p.expected === null) return `${file}: documents an action that has no action.yml`;
      if (p.actual === null) return `${file}: missing`;
      return `${file}: inputs/outputs tables differ from action.yml`;
    });
}

export async function writeDocs(root) {
  const written = [];
  for (const p of await planDocs(root)) {
    if (p.expected === null || p.actual === p.expected) continue;
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
