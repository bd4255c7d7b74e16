import { describe, expect, it } from 'vitest';
import {
  evaluateCondition,
  evaluateExpression,
  interpolate,
  type ExpressionContext,
  type ExpressionValue,
} from './expressions.ts';

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
    expect(() => evaluateExpression('github.event.commits.*.id', ctx())).toThrow(
      /unsupported character '\*'/,
    );
    expect(() => evaluateExpression("hashFiles('**/x')", ctx())).toThrow('unsupported function hashFiles()');
    expect(() => evaluateExpression("fromJSON('{')", ctx())).toThrow(/^fromJSON\(\): /);
    expect(() => evaluateExpression('fromJSON()', ctx())).toThrow('fromJSON() takes 1 argument(s)');
    expect(() => interpolate("x=${{ fromJSON('[1]') }}", ctx())).toThrow(
      'not supported by the local runner: an array as text',
    );
    expect(() => evaluateExpression("format('{1}', 'a')", ctx())).toThrow("invalid format string '{1}'");
    expect(() => evaluateExpression('inputs.name ==', ctx())).toThrow("expected 'a value'");
  });
});

/** A context with objects and arrays, shaped like a workflow job's. */
const job = (status: 'success' | 'failure' = 'success'): ExpressionContext => {
  const contexts: Record<string, ExpressionValue> = {
    inputs: { 'fail-on-findings': false, count: 3, name: 'Ada', empty: '' },
    job: { status: 'success', workflow_sha: 'a'.repeat(40), workflow_repository: 'acme/slipway' },
    matrix: { app: { name: 'api', subdir: ':svc/api' } },
    needs: { plan: { outputs: { apps: '[{"name":"api"},{"name":"web"}]' } } },
    steps: { ops: { outputs: { owner: 'acme' }, outcome: 'success' } },
  };
  return {
    status,
    lookup: ([scope, ...rest]) => {
      if (!(scope! in contexts)) throw new Error(`no context ${scope}`);
      return rest.reduce<ExpressionValue>(
        (v, k) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v[k] ?? null) : null),
        contexts[scope!]!,
      );
    },
  };
};

describe('expressions: workflow additions', () => {
  it('fromJSON(toJSON(x)) round-trips an object and reads properties after calls and brackets', () => {
    expect(evaluateExpression('fromJSON(toJSON(job)).workflow_sha', job())).toBe('a'.repeat(40));
    expect(evaluateExpression("fromJSON(toJSON(job))['WORKFLOW_REPOSITORY']", job())).toBe('acme/slipway');
    expect(evaluateExpression('fromJSON(needs.plan.outputs.apps)[1].name', job())).toBe('web');
    expect(evaluateExpression('fromJSON(needs.plan.outputs.apps)[2]', job())).toBe(null);
    expect(evaluateExpression('fromJSON(toJSON(job)).missing', job())).toBe(null);
    expect(evaluateExpression('matrix.app.name', job())).toBe('api');
    expect(evaluateExpression('fromJSON(\'{"a":{"b":[10,20]}}\').a.b[1]', job())).toBe(20);
    expect(evaluateExpression("fromJSON('true')", job())).toBe(true);
  });
  it('toJSON pretty-prints with two spaces, as GitHub does', () => {
    expect(evaluateExpression('toJSON(matrix.app)', job())).toBe(
      '{\n  "name": "api",\n  "subdir": ":svc/api"\n}',
    );
    expect(evaluateExpression("toJSON('x')", job())).toBe('"x"');
  });
  it('compares with loose equality: numbers when types differ, strings case-insensitively', () => {
    // a boolean input is not equal to the string 'false' (NaN), which is why pin-check.yml uses format()
    expect(evaluateExpression("inputs.fail-on-findings != 'false'", job())).toBe(true);
    expect(evaluateExpression("format('{0}', inputs.fail-on-findings) != 'false'", job())).toBe(false);
    expect(evaluateExpression('inputs.fail-on-findings == 0', job())).toBe(true);
    expect(evaluateExpression("inputs.count == '3.0'", job())).toBe(true);
    expect(evaluateExpression("inputs.count == ' 0x3 '", job())).toBe(true);
    expect(evaluateExpression("null == ''", job())).toBe(true);
    expect(evaluateExpression("inputs.name == 'ADA'", job())).toBe(true);
    expect(evaluateExpression("'abc' == 'abd'", job())).toBe(false);
    expect(evaluateExpression('matrix.app == matrix.app', job())).toBe(true);
    expect(evaluateExpression('matrix.app == fromJSON(\'{"name":"api"}\')', job())).toBe(false);
    expect(evaluateExpression("fromJSON('[]') == 0", job())).toBe(false);
  });
  it('orders numbers and strings, and NaN is never ordered', () => {
    expect(evaluateExpression('inputs.count > 2', job())).toBe(true);
    expect(evaluateExpression("inputs.count <= '2'", job())).toBe(false);
    expect(evaluateExpression("'a' < 'B'", job())).toBe(true);
    expect(evaluateExpression('-1.5 < 0 && 1e3 >= 1000', job())).toBe(true);
    expect(evaluateExpression("'x' < 1 || 'x' >= 1", job())).toBe(false);
  });
  it('&& and || return an operand, not a boolean', () => {
    expect(evaluateExpression("inputs.empty || 'fallback'", job())).toBe('fallback');
    expect(evaluateExpression("inputs.name && 'yes' || 'no'", job())).toBe('yes');
    expect(evaluateExpression("inputs.empty && 'yes' || 'no'", job())).toBe('no');
    expect(evaluateExpression('inputs.count && matrix.app', job())).toEqual({
      name: 'api',
      subdir: ':svc/api',
    });
    expect(evaluateExpression('inputs.fail-on-findings || 0', job())).toBe(0);
  });
  it('contains, startsWith and endsWith ignore case; contains searches arrays with loose equality', () => {
    expect(evaluateExpression("contains('linux/amd64,linux/arm64', ',')", job())).toBe(true);
    expect(evaluateExpression("contains('linux/amd64', ',')", job())).toBe(false);
    expect(evaluateExpression("contains('Hello', 'ELL')", job())).toBe(true);
    expect(evaluateExpression("contains(fromJSON('[1, \"B\"]'), 'b')", job())).toBe(true);
    expect(evaluateExpression("contains(fromJSON('[1, 2]'), '1')", job())).toBe(true);
    expect(evaluateExpression("contains(fromJSON('[1, 2]'), 3)", job())).toBe(false);
    expect(evaluateExpression("startsWith(inputs.name, 'aD')", job())).toBe(true);
    expect(evaluateExpression("endsWith(inputs.name, 'x')", job())).toBe(false);
    expect(evaluateExpression('startsWith(inputs.count, 3)', job())).toBe(true);
  });
  it('format substitutes indexed arguments and un-escapes doubled braces', () => {
    expect(evaluateExpression("format('trivy-{0}.sarif', matrix.app.name)", job())).toBe('trivy-api.sarif');
    expect(evaluateExpression("format('{{{0}}} {1}/{0} {2}', 'a', true, null)", job())).toBe('{a} true/a ');
    expect(evaluateExpression("format('{0}', inputs.count)", job())).toBe('3');
  });
  it('join joins an array (default separator a comma) and passes a string through', () => {
    expect(evaluateExpression('join(fromJSON(\'["a", 1, true]\'))', job())).toBe('a,1,true');
    expect(evaluateExpression('join(fromJSON(\'["a", "b"]\'), \' | \')', job())).toBe('a | b');
    expect(evaluateExpression("join('solo', '-')", job())).toBe('solo');
  });
  it('status functions follow the job status; cancelled() is false', () => {
    expect(evaluateCondition("!cancelled() && steps.ops.outputs.owner != ''", job('failure'))).toBe(true);
    expect(evaluateCondition("steps.ops.outputs.owner != ''", job('failure'))).toBe(false);
    expect(evaluateCondition("${{ failure() && inputs.name == 'ada' }}", job('failure'))).toBe(true);
    expect(evaluateCondition('cancelled()', job())).toBe(false);
  });
  it('interpolates values as text: booleans, numbers and null', () => {
    expect(interpolate('${{ inputs.fail-on-findings }}/${{ inputs.count }}/${{ null }}.', job())).toBe(
      'false/3/.',
    );
    expect(interpolate("'{{defaultContext}}${{ matrix.app.subdir }}'", job())).toBe(
      "'{{defaultContext}}:svc/api'",
    );
  });
});

describe('expressions: functions from the context', () => {
  it('calls a function the context provides (hashFiles), case-insensitively, with evaluated arguments', () => {
    const seen: ExpressionValue[][] = [];
    const context: ExpressionContext = {
      ...job(),
      functions: {
        hashfiles: (args) => {
          seen.push(args);
          return args[0] === 'trivy-api.sarif' ? 'abc123' : '';
        },
      },
    };
    expect(evaluateExpression("hashFiles(format('trivy-{0}.sarif', matrix.app.name)) != ''", context)).toBe(
      true,
    );
    expect(evaluateExpression("HASHFILES('missing', 'other')", context)).toBe('');
    expect(seen).toEqual([['trivy-api.sarif'], ['missing', 'other']]);
    expect(() => evaluateExpression("hashFiles('x')", job())).toThrow('unsupported function hashFiles()');
  });
});
