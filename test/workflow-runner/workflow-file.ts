/**
 * A reusable workflow as the local runner reads it: the parsed YAML, and the
 * `workflow_call` interface applied to a caller's `with:` and `secrets:` the way
 * GitHub does before any job starts (declared types, defaults, required inputs
 * and secrets; an input or secret the workflow does not declare is an error).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ExpressionValue } from '../harness/expressions.ts';

export type Scalar = string | number | boolean;

export interface WorkflowStepSpec {
  id?: string;
  name?: string;
  if?: string | boolean;
  run?: string;
  shell?: string;
  uses?: string;
  with?: Record<string, Scalar>;
  env?: Record<string, Scalar>;
  'working-directory'?: string;
  'continue-on-error'?: boolean | string;
  'timeout-minutes'?: number | string;
}

export interface WorkflowJobSpec {
  name?: string;
  'runs-on'?: string | string[];
  'timeout-minutes'?: number | string;
  'continue-on-error'?: boolean | string;
  environment?: string | { name: string; url?: string };
  permissions?: Record<string, string> | string;
  concurrency?: unknown;
  needs?: string | string[];
  if?: string | boolean;
  strategy?: { matrix?: unknown; 'fail-fast'?: boolean; 'max-parallel'?: number };
  env?: Record<string, Scalar>;
  defaults?: { run?: { shell?: string; 'working-directory'?: string } };
  outputs?: Record<string, string>;
  steps?: WorkflowStepSpec[];
  uses?: string;
  container?: unknown;
  services?: unknown;
}

interface CallInputSpec {
  description?: string;
  /** choice and environment: workflow_dispatch only (strings in the inputs context). */
  type: 'string' | 'boolean' | 'number' | 'choice' | 'environment';
  options?: string[];
  required?: boolean;
  default?: Scalar;
}

export interface WorkflowSpec {
  name?: string;
  on: {
    workflow_call?: {
      inputs?: Record<string, CallInputSpec>;
      secrets?: Record<string, { description?: string; required?: boolean }>;
      outputs?: Record<string, { description?: string; value: string }>;
    };
  } & Record<string, unknown>;
  env?: Record<string, Scalar>;
  defaults?: { run?: { shell?: string; 'working-directory'?: string } };
  permissions?: unknown;
  concurrency?: unknown;
  jobs: Record<string, WorkflowJobSpec>;
}

export function readWorkflow(file: string): WorkflowSpec {
  const workflow = parse(readFileSync(file, 'utf8')) as WorkflowSpec;
  if (!workflow?.jobs) throw new Error(`${file}: not a workflow (no jobs)`);
  return workflow;
}

export class WorkflowCallError extends Error {}

/** How the job's run was started: called by another workflow, by hand, or on a schedule. */
export type Trigger = 'workflow_call' | 'workflow_dispatch' | 'schedule';

/**
 * The `inputs` context of a called workflow: caller values checked against the declared types,
 * defaults for the rest (a default may not use expressions here: refused rather than misread).
 */
export function resolveCallInputs(
  workflow: WorkflowSpec,
  given: Record<string, Scalar>,
  trigger: Trigger = 'workflow_call',
): Record<string, ExpressionValue> {
  if (!(trigger in workflow.on)) throw new WorkflowCallError(`the workflow has no on.${trigger} trigger`);
  if (trigger === 'schedule') {
    // a scheduled run has no inputs: the inputs context is empty and every inputs.* is null
    if (Object.keys(given).length > 0) throw new WorkflowCallError('a scheduled run takes no inputs');
    return {};
  }
  const declared =
    (workflow.on[trigger] as { inputs?: Record<string, CallInputSpec> } | null | undefined)?.inputs ?? {};
  for (const name of Object.keys(given)) {
    if (!(name in declared))
      throw new WorkflowCallError(`Invalid input, ${name} is not defined in the referenced workflow.`);
  }
  const inputs: Record<string, ExpressionValue> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const value = given[name];
    if (value === undefined) {
      if (spec.required) throw new WorkflowCallError(`Input required and not supplied: ${name}`);
      if (typeof spec.default === 'string' && spec.default.includes('${{'))
        throw new WorkflowCallError(
          `not supported by the local runner: the default of input '${name}' is an expression`,
        );
      inputs[name] = spec.default ?? (spec.type === 'boolean' ? false : spec.type === 'number' ? 0 : '');
      continue;
    }
    const type = spec.type === 'choice' || spec.type === 'environment' ? 'string' : spec.type;
    if (spec.type === 'choice' && !(spec.options ?? []).includes(String(value)))
      throw new WorkflowCallError(`The input '${name}' must be one of ${JSON.stringify(spec.options)}.`);
    if (typeof value !== type)
      throw new WorkflowCallError(
        `The input '${name}' is declared as type ${spec.type}; the caller passed a ${typeof value} (${JSON.stringify(value)}).`,
      );
    inputs[name] = value;
  }
  return inputs;
}

/**
 * The `secrets` context: for a called workflow, declared secrets only ('' when not passed); for a
 * run of the workflow's own repository (dispatch, schedule), the repository secrets given.
 */
export function resolveCallSecrets(
  workflow: WorkflowSpec,
  given: Record<string, string>,
  trigger: Trigger = 'workflow_call',
): Record<string, string> {
  if (trigger !== 'workflow_call') return { ...given };
  const declared = workflow.on.workflow_call?.secrets ?? {};
  for (const name of Object.keys(given)) {
    if (!(name in declared))
      throw new WorkflowCallError(`Invalid secret, ${name} is not defined in the referenced workflow.`);
  }
  const secrets: Record<string, string> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const value = given[name];
    if (value === undefined && spec.required)
      throw new WorkflowCallError(`Secret ${name} is required, but not provided while calling.`);
    secrets[name] = value ?? '';
  }
  return secrets;
}
