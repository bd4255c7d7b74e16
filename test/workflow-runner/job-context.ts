/**
 * The expression contexts of one job (github, inputs, secrets, job, steps, env,
 * runner, matrix, needs, strategy, jobs) behind the harness evaluator's lookup:
 * property names are case-insensitive and a missing property is null, as on
 * GitHub; a context the local runner does not model (vars, a job it did not run)
 * throws instead of reading as empty.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { expressionText, type ExpressionContext, type ExpressionValue } from '../harness/expressions.ts';

export type Contexts = Record<string, ExpressionValue>;

/** A workflow output reads a job the local run did not run (or was not given). */
export class JobNotRunError extends Error {}

export interface StepContext {
  outputs: Record<string, string>;
  outcome: 'success' | 'failure' | 'skipped';
  conclusion: 'success' | 'failure' | 'skipped';
}

function child(value: ExpressionValue, key: string): ExpressionValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const found = Object.keys(value).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? null : (value[found] ?? null);
}

/**
 * hashFiles() for literal paths under the workspace: the sha256 of each matched file's sha256, in
 * order, '' when none exists (GitHub's result). Glob patterns are refused, not approximated.
 */
export function hashFiles(workspace: string, patterns: ExpressionValue[]): string {
  const combined = createHash('sha256');
  let matched = 0;
  for (const pattern of patterns.map((p) => expressionText(p, 'a hashFiles() pattern'))) {
    if (/[*?[\]{}!]/.test(pattern))
      throw new Error(
        `not supported by the local runner: hashFiles() glob pattern '${pattern}' (literal paths only)`,
      );
    const file = resolve(workspace, pattern);
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    combined.update(createHash('sha256').update(readFileSync(file)).digest());
    matched++;
  }
  return matched === 0 ? '' : combined.digest('hex');
}

export function jobExpressionContext(
  contexts: Contexts,
  status: 'success' | 'failure',
  where: string,
): ExpressionContext {
  const workspace = child(contexts.github ?? null, 'workspace');
  return {
    status,
    functions: {
      hashfiles: (patterns) => hashFiles(expressionText(workspace), patterns),
    },
    lookup: ([scope = '', ...rest]) => {
      const name = Object.keys(contexts).find((k) => k.toLowerCase() === scope.toLowerCase());
      if (name === undefined)
        throw new Error(`not supported by the local runner: the '${scope}' context (in ${where})`);
      if (name === 'jobs' && rest[0] !== undefined && child(contexts.jobs ?? null, rest[0]) === null)
        throw new JobNotRunError(
          `not supported by the local runner: jobs.${rest[0]} (in ${where}) refers to a job this run did not run; pass its result in options.jobs`,
        );
      return rest.reduce((value, key) => child(value, key), contexts[name] ?? null);
    },
  };
}

/** steps.<id> for the expression contexts. */
export function stepsContext(steps: Record<string, StepContext>): ExpressionValue {
  return Object.fromEntries(
    Object.entries(steps).map(([id, s]) => [
      id,
      { outputs: { ...s.outputs }, outcome: s.outcome, conclusion: s.conclusion },
    ]),
  );
}
