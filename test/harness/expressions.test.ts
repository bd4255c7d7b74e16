import { describe, expect, it } from 'vitest';
import { evaluateCondition, evaluateExpression, interpolate, type ExpressionContext } from './expressions.ts';

const ctx = (status: 'success' | 'failure' = 'success'): ExpressionContext => ({
  status,
  lookup: (path) =>
    ({ 'inputs.name': 'ada', 'inputs.flag': 'true', 'steps.a.outputs.x': 'X' })[path.join('.')],
});

describe('expressions', () => {
  it('looks up contexts and compares case-insensitively', () => {
    expect(evaluateExpression("inputs.name == 'ADA'", ctx())).toBe(true);
    expect(evaluateExpression("inputs.name != 'ada' || inputs.flag == 'true'", ctx())).toBe(true);
    expect(evaluateExpression("!(inputs.name == 'ada')", ctx())).toBe(false);
  });
  it('interpolates templates', () => {
    expect(interpolate('a-${{ inputs.name }}-${{steps.a.outputs.x}}', ctx())).toBe('a-ada-X');
  });
  it('conditions imply success() unless a status function is used', () => {
    expect(evaluateCondition("inputs.name == 'ada'", ctx('failure'))).toBe(false);
    expect(evaluateCondition('${{ failure() }}', ctx('failure'))).toBe(true);
    expect(evaluateCondition(undefined, ctx('failure'), 'always()')).toBe(true);
  });
  it('refuses what it does not understand', () => {
    expect(() => evaluateExpression("contains(inputs.name, 'a')", ctx())).toThrow(
      /unsupported character ','/,
    );
    expect(() => evaluateExpression('fromJSON()', ctx())).toThrow('unsupported function fromJSON()');
  });
});
