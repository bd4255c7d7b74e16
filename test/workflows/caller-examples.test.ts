/**
 * docs/examples/*.yml are the caller side of the reusable workflows: actionlint checks them, and this
 * test checks what actionlint cannot see across repositories: every `with:` and `secrets:` key exists
 * in the called workflow, required inputs are given, the calling job grants at least the permissions
 * the called jobs ask for, and together the examples exercise every input, secret and output.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionlint } from '../lint/actionlint.ts';
import { findRunExpressions } from '../lint/run-expressions.ts';

const root = resolve(import.meta.dirname, '../..');
const examplesDir = join(root, 'docs', 'examples');
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.yml'));
const CALL = /^OWNER\/slipway\/\.github\/workflows\/([a-z-]+\.yml)@(\S+)$/;
/** There is no release yet; examples name the placeholder instead of inventing a SHA. */
const PLACEHOLDER = 'SLIPWAY_RELEASE_SHA';
const LEVEL: Record<string, number> = { none: 0, read: 1, write: 2 };

interface Spec {
  required?: boolean;
  default?: unknown;
}
interface Reusable {
  on: { workflow_call: { inputs?: Record<string, Spec>; secrets?: Record<string, Spec>; outputs?: object } };
  jobs: Record<string, { permissions?: Record<string, string> }>;
}
interface CallerJob {
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, unknown> | 'inherit';
  permissions?: Record<string, string>;
}
const reusable = (file: string) =>
  parse(readFileSync(join(root, '.github', 'workflows', file), 'utf8')) as Reusable;

interface Call {
  example: string;
  jobId: string;
  workflow: string;
  ref: string;
  job: CallerJob;
  text: string;
}
const calls: Call[] = examples.flatMap((example) => {
  const text = readFileSync(join(examplesDir, example), 'utf8');
  const jobs = (parse(text) as { jobs: Record<string, CallerJob> }).jobs;
  return Object.entries(jobs).flatMap(([jobId, job]) => {
    const m = typeof job.uses === 'string' ? CALL.exec(job.uses) : null;
    return m ? [{ example, jobId, workflow: m[1]!, ref: m[2]!, job, text }] : [];
  });
});

/** This repository's own e2e workflow calls the reusable workflows by path. */
const LOCAL_CALL = /^\.\/\.github\/workflows\/([a-z-]+\.yml)$/;
const e2eText = readFileSync(join(root, '.github', 'workflows', 'e2e.yml'), 'utf8');
const localCalls: Call[] = Object.entries(
  (parse(e2eText) as { jobs: Record<string, CallerJob> }).jobs,
).flatMap(([jobId, job]) => {
  const m = typeof job.uses === 'string' ? LOCAL_CALL.exec(job.uses) : null;
  return m ? [{ example: 'e2e.yml', jobId, workflow: m[1]!, ref: 'local', job, text: e2eText }] : [];
});

/** Problems with one call, as readable strings. */
function checkCall(call: Call): string[] {
  const where = `${call.example} job '${call.jobId}'`;
  const problems: string[] = [];
  if (call.ref !== PLACEHOLDER && call.ref !== 'local')
    problems.push(`${where}: ref must be ${PLACEHOLDER} until a release exists`);
  const target = reusable(call.workflow);
  const inputs = target.on.workflow_call.inputs ?? {};
  const secrets = target.on.workflow_call.secrets ?? {};
  for (const key of Object.keys(call.job.with ?? {}))
    if (!(key in inputs)) problems.push(`${where}: ${call.workflow} has no input '${key}'`);
  for (const [key, spec] of Object.entries(inputs))
    if (spec.required && !(key in (call.job.with ?? {})))
      problems.push(`${where}: required input '${key}' missing`);
  if (call.job.secrets === 'inherit') problems.push(`${where}: pass secrets by name, not 'inherit'`);
  else
    for (const key of Object.keys(call.job.secrets ?? {}))
      if (!(key in secrets)) problems.push(`${where}: ${call.workflow} has no secret '${key}'`);
  const granted = call.job.permissions ?? {};
  for (const [jobId, job] of Object.entries(target.jobs))
    for (const [scope, level] of Object.entries(job.permissions ?? {}))
      if ((LEVEL[granted[scope] ?? 'none'] ?? 0) < (LEVEL[level] ?? 0))
        problems.push(`${where}: ${call.workflow} job '${jobId}' needs ${scope}: ${level}`);
  return problems;
}

describe('caller examples in docs/examples', () => {
  it.each(examples)('%s passes actionlint and has no expression inside run:', async (example) => {
    const text = readFileSync(join(examplesDir, example), 'utf8');
    const errors = await actionlint(text, `docs/examples/${example}`);
    expect(errors.map((e) => `${e.line}:${e.column}: ${e.message}`)).toEqual([]);
    expect(findRunExpressions(text, example)).toEqual([]);
  });

  it('call the reusable workflows with existing inputs and secrets and enough permissions', () => {
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expect(calls.flatMap(checkCall)).toEqual([]);
  });

  it.each(['build-sign-push.yml', 'gitops-bump.yml', 'pin-check.yml', 'deploy-gate.yml'])(
    'together exercise every input, secret and output of %s',
    (workflow) => {
      const spec = reusable(workflow).on.workflow_call;
      const mine = calls.filter((c) => c.workflow === workflow);
      const used = (key: 'with' | 'secrets') =>
        new Set(mine.flatMap((c) => Object.keys((c.job[key] as object | undefined) ?? {})));
      const outputs = Object.keys(spec.outputs ?? {}).filter(
        (name) => !mine.some((c) => c.text.includes(`needs.${c.jobId}.outputs.${name}`)),
      );
      const unusedInputs = Object.keys(spec.inputs ?? {}).filter((k) => !used('with').has(k));
      const unusedSecrets = Object.keys(spec.secrets ?? {}).filter((k) => !used('secrets').has(k));
      expect({ inputs: unusedInputs, secrets: unusedSecrets, outputs }).toEqual({
        inputs: [],
        secrets: [],
        outputs: [],
      });
    },
  );

  it("match what this repository's e2e workflow passes to the reusable workflows it calls", () => {
    expect(localCalls.map((c) => c.workflow).sort()).toEqual([
      'build-sign-push.yml',
      'deploy-gate.yml',
      'pin-check.yml',
    ]);
    expect(localCalls.flatMap(checkCall)).toEqual([]);
  });

  it('report a call that the reusable workflow would reject', () => {
    const good = calls.find((c) => c.workflow === 'build-sign-push.yml')!;
    const bad: Call = {
      ...good,
      ref: '3d3c42e5aac5ba805825da76410c181273ba90b1',
      job: {
        uses: good.job.uses!,
        with: { registry: 'ghcr.io/acme', colour: 'blue' },
        secrets: { 'npm-token': 'x' },
        permissions: { contents: 'read', 'id-token': 'read' },
      },
    };
    const where = `${good.example} job '${good.jobId}'`;
    expect(checkCall(bad)).toEqual([
      `${where}: ref must be SLIPWAY_RELEASE_SHA until a release exists`,
      `${where}: build-sign-push.yml has no input 'colour'`,
      `${where}: required input 'apps' missing`,
      `${where}: build-sign-push.yml has no secret 'npm-token'`,
      `${where}: build-sign-push.yml job 'build' needs packages: write`,
      `${where}: build-sign-push.yml job 'build' needs id-token: write`,
      `${where}: build-sign-push.yml job 'build' needs security-events: write`,
      `${where}: build-sign-push.yml job 'build' needs actions: read`,
    ]);
  });
});
