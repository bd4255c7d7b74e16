import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as prettier from 'prettier';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BEGIN,
  END,
  escapeCell,
  findDrift,
  formatDefault,
  renderBlock,
  renderTables,
  renderWorkflowTables,
  replaceBlock,
  workflowMarker,
  writeDocs,
} from '../../scripts/docs.js';

const root = resolve(import.meta.dirname, '../..');

describe('documentation tables in this repository', () => {
  it('match every action.yml and reusable workflow (run `npm run docs` to regenerate)', async () => {
    expect(await findDrift(root)).toEqual([]);
  });
});

describe('one page per action', () => {
  const actions = readdirSync(join(root, 'actions'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);

  it('is actions/<name>/README.md, linked from the README; docs/actions/ is gone', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(actions.length).toBeGreaterThan(5);
    expect(actions.filter((name) => !readme.includes(`](actions/${name}/README.md)`))).toEqual([]);
    expect(existsSync(join(root, 'docs', 'actions'))).toBe(false);
  });
});

describe('pins written in the documentation', () => {
  const USES = /uses:\s+['"]?([\w.-]+\/[\w.-]+)((?:\/[^@\s'"]*)?)@([^\s'"]+)(?:['"]?\s+#\s*([^\s`]+))?/g;
  // A fenced block whose info string says `illustration` shows what pin-check reads or rewrites
  // (an unpinned line before --fix): it is not a pin to copy, so it is left out.
  const ILLUSTRATION = /^```[^\n]*\billustration\b[^\n]*\n[\s\S]*?^```$/gm;
  const collect = (files: string[]) =>
    files.flatMap((file) =>
      [...readFileSync(file, 'utf8').replace(ILLUSTRATION, '').matchAll(USES)].map((m) => ({
        file: file.slice(root.length + 1),
        action: m[1]!,
        ref: m[3]!,
        comment: m[4] ?? '',
      })),
    );
  const list = (dir: string, ext: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() ? list(join(dir, d.name), ext) : d.name.endsWith(ext) ? [join(root, dir, d.name)] : [],
    );
  const workflowPins = new Set(
    collect(list('.github/workflows', '.yml')).map((p) => `${p.action}@${p.ref} # ${p.comment}`),
  );
  const docs = collect([
    ...list('docs', '.md'),
    ...list('docs', '.yml'),
    ...list('actions', 'README.md'),
    join(root, 'README.md'),
    join(root, 'CONTRIBUTING.md'),
    join(root, 'SECURITY.md'),
  ]);

  it('use only third-party pins that the workflows use (real SHAs, same version comment)', () => {
    const thirdParty = docs.filter((p) => p.action !== 'OWNER/slipway');
    expect(thirdParty.length).toBeGreaterThan(5);
    expect(thirdParty.filter((p) => !workflowPins.has(`${p.action}@${p.ref} # ${p.comment}`))).toEqual([]);
  });

  it('reference Slipway itself by the release placeholder, never by an invented SHA', () => {
    const own = docs.filter((p) => p.action === 'OWNER/slipway');
    expect(own.length).toBeGreaterThan(10);
    expect(own.filter((p) => p.ref !== 'SLIPWAY_RELEASE_SHA' || p.comment !== 'vX.Y.Z')).toEqual([]);
  });
});

describe('escapeCell', () => {
  it('escapes pipes, turns line breaks into <br> and neutralises HTML', () => {
    expect(escapeCell('a | b\nc\r\nd\n\ne <img> & f')).toBe('a \\| b<br>c<br>d<br><br>e &lt;img&gt; &amp; f');
  });
  it('trims the trailing newline of a block scalar', () => {
    expect(escapeCell('Token for the ops repository.\n')).toBe('Token for the ops repository.');
  });
});

describe('formatDefault', () => {
  it('keeps expressions literal inside a code span', () => {
    expect(formatDefault('${{ github.token }}')).toBe('`${{ github.token }}`');
  });
  it('escapes a pipe inside the code span so the table keeps its columns', () => {
    expect(formatDefault("${{ inputs.a || 'b' }}")).toBe("`${{ inputs.a \\|\\| 'b' }}`");
  });
  it('shows the empty string, booleans and numbers, and nothing when there is no default', () => {
    expect([formatDefault(''), formatDefault(false), formatDefault(30), formatDefault(undefined)]).toEqual([
      '`""`',
      '`false`',
      '`30`',
      '',
    ]);
  });
  it('shows line breaks of a multi-line default as \\n', () => {
    expect(formatDefault('Bump {{ summary }}\n\nSource: {{ run_url }}')).toBe(
      '`Bump {{ summary }}\\n\\nSource: {{ run_url }}`',
    );
  });
  it('uses a double-backtick span around a value containing a backtick', () => {
    expect(formatDefault('a`b')).toBe('``a`b``');
    expect(formatDefault('`x`')).toBe('`` `x` ``');
  });
});

describe('renderTables', () => {
  it('renders inputs and outputs in action.yml order', () => {
    const meta = {
      inputs: {
        image: { description: 'Image to scan,\npinned by digest.', required: true },
        token: { description: 'GitHub token.', default: '${{ github.token }}', required: false },
        old: { description: 'Old name.', deprecationMessage: 'Use `image`.' },
      },
      outputs: { 'sarif-file': { description: 'Path | of the SARIF.' } },
    };
    expect(renderTables(meta)).toBe(
      [
        '### Inputs',
        '',
        '| name | required | default | description |',
        '| --- | --- | --- | --- |',
        '| `image` | yes |  | Image to scan,<br>pinned by digest. |',
        '| `token` | no | `${{ github.token }}` | GitHub token. |',
        '| `old` | no |  | Old name.<br>**Deprecated:** Use `image`. |',
        '',
        '### Outputs',
        '',
        '| name | description |',
        '| --- | --- |',
        '| `sarif-file` | Path \\| of the SARIF. |',
        '',
      ].join('\n'),
    );
  });
  it('says so when there are no inputs or outputs', () => {
    expect(renderTables({})).toBe(
      '### Inputs\n\nThis action has no inputs.\n\n### Outputs\n\nThis action has no outputs.\n',
    );
  });
});

describe('renderBlock', () => {
  it('formats the tables as prettier does, between blank lines', async () => {
    const block = await renderBlock(
      { outputs: { digest: { description: 'Digest.' } } },
      join(root, 'README.md'),
    );
    expect(block).toBe(
      [
        '',
        '',
        '### Inputs',
        '',
        'This action has no inputs.',
        '',
        '### Outputs',
        '',
        '| name     | description |',
        '| -------- | ----------- |',
        '| `digest` | Digest.     |',
        '',
        '',
      ].join('\n'),
    );
  });
});

describe('renderWorkflowTables', () => {
  it('renders typed inputs, secrets and outputs of on.workflow_call', () => {
    expect(
      renderWorkflowTables({
        inputs: {
          apps: { type: 'string', required: true, description: 'JSON list | of apps.' },
          'fail-on-findings': { type: 'boolean', default: true, description: 'Fail.' },
        },
        secrets: { 'ops-token': { description: 'Token.' } },
        outputs: { digest: { description: 'Digest.', value: '${{ jobs.a.outputs.digest }}' } },
      }),
    ).toBe(
      [
        '#### Inputs',
        '',
        '| name | type | required | default | description |',
        '| --- | --- | --- | --- | --- |',
        '| `apps` | string | yes |  | JSON list \\| of apps. |',
        '| `fail-on-findings` | boolean | no | `true` | Fail. |',
        '',
        '#### Secrets',
        '',
        '| name | required | description |',
        '| --- | --- | --- |',
        '| `ops-token` | no | Token. |',
        '',
        '#### Outputs',
        '',
        '| name | description |',
        '| --- | --- |',
        '| `digest` | Digest. |',
        '',
      ].join('\n'),
    );
  });
  it('says so when a workflow takes nothing', () => {
    expect(renderWorkflowTables({})).toBe(
      '#### Inputs\n\nThis workflow has no inputs.\n\n#### Secrets\n\nThis workflow takes no secrets.\n\n' +
        '#### Outputs\n\nThis workflow has no outputs.\n',
    );
  });
});

describe('replaceBlock', () => {
  it('replaces a named block up to the next end marker, leaving other blocks alone', () => {
    const a = workflowMarker('a.yml');
    const b = workflowMarker('b.yml');
    const text = `# W\n\n${a}\nold a\n${END}\n\n${b}\nold b\n${END}\n`;
    expect(replaceBlock(text, '\nnew b\n', 'w.md', b)).toBe(
      `# W\n\n${a}\nold a\n${END}\n\n${b}\nnew b\n${END}\n`,
    );
    expect(replaceBlock('# W\n', '\nT\n', 'w.md', a, '`a.yml`')).toBe(
      `# W\n\n## \`a.yml\`\n\n${a}\nT\n${END}\n`,
    );
  });

  it('changes only the bytes between the markers', () => {
    const text = `# x\r\n\r\nintro\r\n${BEGIN}\r\nold\r\n${END}\r\n\r\nmore\r\n`;
    expect(replaceBlock(text, '\nnew\n', 'x.md')).toBe(
      `# x\r\n\r\nintro\r\n${BEGIN}\r\nnew\r\n${END}\r\n\r\nmore\r\n`,
    );
  });
  it('appends a section when the markers are missing', () => {
    expect(replaceBlock('# x\n\nintro', '\nT\n', 'x.md')).toBe(
      `# x\n\nintro\n\n## Inputs and outputs\n\n${BEGIN}\nT\n${END}\n`,
    );
  });
  it('refuses unbalanced or repeated markers', () => {
    expect(() => replaceBlock(`${END}\n${BEGIN}\n`, '', 'a.md')).toThrow(/^a\.md: needs exactly one/);
    expect(() => replaceBlock(`${BEGIN}\n`, '', 'b.md')).toThrow(/^b\.md:/);
    expect(() => replaceBlock(`${BEGIN}${BEGIN}${END}`, '', 'c.md')).toThrow(/^c\.md:/);
  });
});

describe('findDrift and writeDocs on a scratch repository', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const setup = () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-docs-'));
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(dir, '.github', 'workflows', 'ci.yml'),
      'on: push\njobs: {}\n', // not reusable: not documented
    );
    writeFileSync(
      join(dir, '.github', 'workflows', 'reuse.yml'),
      'on:\n  workflow_call:\n    inputs:\n      x: { type: string, description: X. }\njobs: {}\n',
    );
    mkdirSync(join(dir, 'actions', 'scan'), { recursive: true });
    mkdirSync(join(dir, 'docs'));
    writeFileSync(
      join(dir, 'actions', 'scan', 'action.yml'),
      'name: scan\ndescription: Scans.\ninputs:\n  image:\n    description: Image.\n    required: true\n',
    );
    writeFileSync(
      join(dir, 'actions', 'scan', 'README.md'),
      `# scan\n\n${BEGIN}\nstale\n${END}\n\nFooter.\n`,
    );
  };

  it('lists every drifting and missing file, then writes them so nothing drifts', async () => {
    setup();
    expect(await findDrift(dir)).toEqual([
      'actions/scan/README.md: inputs/outputs tables differ from action.yml',
      'docs/reusable-workflows.md: missing',
    ]);
    expect(await writeDocs(dir)).toEqual(['actions/scan/README.md', 'docs/reusable-workflows.md']);
    const workflows = readFileSync(join(dir, 'docs', 'reusable-workflows.md'), 'utf8');
    expect(workflows).toMatch(
      /^# Reusable workflows\n\n## `reuse\.yml`\n\n<!-- slipway:workflow reuse\.yml -->\n\n#### Inputs\n/,
    );
    expect(workflows).not.toContain('ci.yml');
    const readme = readFileSync(join(dir, 'actions', 'scan', 'README.md'), 'utf8');
    expect(readme).toBe(
      [
        '# scan',
        '',
        BEGIN,
        '',
        '### Inputs',
        '',
        '| name    | required | default | description |',
        '| ------- | -------- | ------- | ----------- |',
        '| `image` | yes      |         | Image.      |',
        '',
        '### Outputs',
        '',
        'This action has no outputs.',
        '',
        END,
        '',
        'Footer.',
        '',
      ].join('\n'),
    );
    // What the generator writes is what `prettier --check` (npm run lint) expects.
    expect(await prettier.format(readme, { parser: 'markdown', printWidth: 110 })).toBe(readme);
    expect(await findDrift(dir)).toEqual([]);
  });

  it('flags a table edited by hand', async () => {
    setup();
    await writeDocs(dir);
    const readme = join(dir, 'actions', 'scan', 'README.md');
    writeFileSync(readme, readFileSync(readme, 'utf8').replace('| yes      |', '| no       |'));
    expect(await findDrift(dir)).toEqual([
      'actions/scan/README.md: inputs/outputs tables differ from action.yml',
    ]);
  });
});
