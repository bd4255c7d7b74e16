/**
 * `strategy.matrix` of a job: each key's values (a list, or an expression such as
 * `${{ fromJSON(needs.plan.outputs.apps) }}` that must yield one), expanded into
 * the combinations GitHub would start, one job each. A matrix of only `include` (a list of
 * mappings, e.g. a `fromJSON` of `{"include": [...]}`) starts one job per entry, as on GitHub;
 * include/exclude next to other keys are refused.
 */
import { isDeepStrictEqual } from 'node:util';
import { evaluateExpression, type ExpressionContext, type ExpressionValue } from '../harness/expressions.ts';

export type MatrixLeg = Record<string, ExpressionValue>;

const whole = /^\s*\$\{\{(.*)\}\}\s*$/s;

function values(value: unknown, context: ExpressionContext, where: string): ExpressionValue {
  if (typeof value === 'string' && whole.test(value))
    return evaluateExpression((whole.exec(value) as RegExpExecArray)[1] as string, context);
  if (typeof value === 'string' && value.includes('${{'))
    throw new Error(`not supported by the local runner: ${where} mixes text and an expression`);
  return value as ExpressionValue;
}

export function expandMatrix(matrix: unknown, context: ExpressionContext, job: string): MatrixLeg[] {
  const spec = values(matrix, context, `jobs.${job}.strategy.matrix`);
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
    throw new Error(`jobs.${job}.strategy.matrix must be a mapping, got ${JSON.stringify(spec)}`);
  const keys = Object.keys(spec);
  if (keys.length === 1 && keys[0] === 'include') {
    const include = values(
      (spec as Record<string, unknown>).include,
      context,
      `jobs.${job}.strategy.matrix.include`,
    );
    if (
      !Array.isArray(include) ||
      include.length === 0 ||
      include.some((e) => e === null || typeof e !== 'object' || Array.isArray(e))
    )
      throw new Error(
        `jobs.${job}.strategy.matrix.include must be a non-empty list of mappings, got ${JSON.stringify(include)}`,
      );
    return include as MatrixLeg[];
  }
  let legs: MatrixLeg[] = [{}];
  for (const [key, raw] of Object.entries(spec)) {
    if (key === 'include' || key === 'exclude')
      throw new Error(`not supported by the local runner: jobs.${job}.strategy.matrix.${key}`);
    const list = values(raw, context, `jobs.${job}.strategy.matrix.${key}`);
    if (!Array.isArray(list) || list.length === 0)
      throw new Error(
        `jobs.${job}.strategy.matrix.${key} must be a non-empty list, got ${JSON.stringify(list)}`,
      );
    legs = legs.flatMap((leg) => list.map((item) => ({ ...leg, [key]: item })));
  }
  return legs;
}

/** Index of `leg` among the expanded combinations; throws, naming them, when it is not one. */
export function matrixIndex(legs: MatrixLeg[], leg: MatrixLeg | undefined, job: string): number {
  const index = leg === undefined ? -1 : legs.findIndex((l) => isDeepStrictEqual(l, leg));
  if (index < 0)
    throw new Error(
      `jobs.${job} runs once per matrix combination; pass one of them as options.matrix: ${JSON.stringify(legs)}${leg ? ` (got ${JSON.stringify(leg)})` : ''}`,
    );
  return index;
}
