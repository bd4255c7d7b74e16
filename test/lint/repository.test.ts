/**
 * Lints everything in this repository that GitHub executes: every workflow under
 * .github/workflows (actionlint + no expressions in run:) and every action.yml
 * under actions/ (metadata shape, committed bundle present, no expressions in run:).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionlint } from './actionlint.ts';
import { findRunExpressions } from './run-expressions.ts';

const root = resolve(import.meta.dirname, '../..');
const workflowDir = join(root, '.github', 'workflows');
const workflows = existsSync(workflowDir)
  ? readdirSync(workflowDir)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => join(workflowDir, f))
  : [];
const actionDirs = existsSync(join(root, 'actions'))
  ? readdirSync(join(root, 'actions'))
      .map((d) => join(root, 'actions', d))
      .filter((d) => existsSync(join(d, 'action.yml')))
  : [];
const rel = (p: string) => relative(root, p);

describe('workflows', () => {
  it('exist', () => {
    expect(workflows.map(rel)).toContain('.github/workflows/ci.yml');
  });

  it.each(workflows.map((w) => [rel(w), w]))('%s passes actionlint', async (_name, file) => {
    const errors = await actionlint(readFileSync(file, 'utf8'), rel(file));
    expect(errors.map((e) => `${rel(file)}:${e.line}:${e.column}: ${e.message} [${e.kind}]`)).toEqual([]);
  });

  it.each(workflows.map((w) => [rel(w), w]))('%s has no expression inside run:', (_name, file) => {
    expect(findRunExpressions(readFileSync(file, 'utf8'), rel(file))).toEqual([]);
  });

  it.each(workflows.map((w) => [rel(w), w]))(
    '%s sets least-privilege top-level permissions',
    (_name, file) => {
      const workflow = parse(readFileSync(file, 'utf8')) as { permissions?: unknown };
      expect(workflow.permissions, `${rel(file)} must declare top-level permissions`).toBeDefined();
      expect(workflow.permissions).not.toBe('write-all');
    },
  );
});

describe('actions', () => {
  it('every folder under actions/ holds an action.yml and a README.md', () => {
    const folders = existsSync(join(root, 'actions'))
      ? readdirSync(join(root, 'actions'), { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => d.name)
      : [];
    const incomplete = folders.filter(
      (d) => !['action.yml', 'README.md'].every((f) => existsSync(join(root, 'actions', d, f))),
    );
    expect(incomplete).toEqual([]);
  });

  it.each(actionDirs.map((d) => [rel(d), d]))(
    '%s/action.yml is well-formed and its bundle is committed',
    (_name, dir) => {
      const meta = parse(readFileSync(join(dir, 'action.yml'), 'utf8')) as {
        name?: string;
        description?: string;
        inputs?: Record<string, { description?: string }>;
        runs: { using: string; main?: string; post?: string; steps?: { run?: string; shell?: string }[] };
      };
      expect(meta.name, 'name').toBeTruthy();
      expect(meta.description, 'description').toBeTruthy();
      for (const [input, spec] of Object.entries(meta.inputs ?? {})) {
        expect(spec.description, `input '${input}' needs a description`).toBeTruthy();
      }
      expect(['node24', 'composite']).toContain(meta.runs.using);
      if (meta.runs.using === 'node24') {
        const name = rel(dir).split('/')[1];
        expect(meta.runs.main).toBe(`../../dist/${name}/index.js`);
        expect(existsSync(resolve(dir, meta.runs.main!)), `${meta.runs.main} is committed`).toBe(true);
        if (meta.runs.post) expect(meta.runs.post, 'post reuses the main bundle').toBe(meta.runs.main);
      } else {
        for (const step of meta.runs.steps ?? []) if (step.run !== undefined) expect(step.shell).toBe('bash');
      }
      expect(
        findRunExpressions(readFileSync(join(dir, 'action.yml'), 'utf8'), rel(join(dir, 'action.yml'))),
      ).toEqual([]);
    },
  );
});

describe('actionlint wrapper', () => {
  it('reports real problems with positions', async () => {
    const errors = await actionlint(
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n',
      'x.yml',
    );
    expect(errors.length).toBeGreaterThan(0);
    expect(errors).toContainEqual(
      expect.objectContaining({ filepath: 'x.yml', line: 6, kind: 'expression' }),
    );
  });

  it('runs shellcheck on run: scripts and reports file:line:column', async () => {
    const errors = await actionlint(
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo $FOO\n',
      'w.yml',
    );
    expect(errors).toEqual([
      expect.objectContaining({ filepath: 'w.yml', line: 6, column: 9, kind: 'shellcheck' }),
    ]);
    expect(errors[0]!.message).toContain('SC2086');
  });

  it('knows the contexts of the pinned version (job.check_run_id is newer than 1.7.7)', async () => {
    const workflow = (expr: string) =>
      `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - env:\n          X: \${{ ${expr} }}\n        run: echo "$X"\n`;
    expect(await actionlint(workflow('job.check_run_id'), 'c.yml')).toEqual([]);
    expect(await actionlint(workflow('job.no_such_field'), 'c.yml')).toEqual([
      expect.objectContaining({ line: 8, column: 18, kind: 'expression' }),
    ]);
  });
});
