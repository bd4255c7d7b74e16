/**
 * The expression contexts of one job (github, inputs, secrets, job, steps, env,
 * runner, matrix, needs, strategy, jobs) behind the harness evaluator's lookup:
 * property names are case-insensitive and a missing property is null, as on
 * GitHub; a context the local runner does not model (vars, a job it did not run)
 * throws instead of reading as empty.
 */
import type { ExpressionContext, ExpressionValue } from '../harness/expressions.ts';

export type Contexts = Record<string, ExpressionValue>;

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

export function jobExpressionContext(
  contexts: Contexts,
  status: 'success' | 'failure',
  where: string,
): ExpressionContext {
  return {
    status,
    lookup: ([scope = '', ...rest]) => {
      const name = Object.keys(contexts).find((k) => k.toLowerCase() === scope.toLowerCase());
      if (name === undefined)
        throw new Error(`not supported by the local runner: the '${scope}' context (in ${where})`);
      if (name === 'jobs' && rest[0] !== undefined && child(contexts.jobs ?? null, rest[0]) === null)
        throw new Error(
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
