import { describe, expect, it } from 'vitest';
import { findRunExpressions } from './run-expressions.ts';

describe('findRunExpressions', () => {
  it('finds expressions in block and plain run scalars with exact positions', () => {
    const text = [
      'jobs:',
      '  a:',
      '    steps:',
      '      - run: echo ${{ github.head_ref }}',
      '      - env:',
      '          TITLE: ${{ github.event.pull_request.title }}',
      '        run: echo "$TITLE"',
      '      - run: |',
      '          echo one',
      '          echo "${{ inputs.name }}" ${{ github.sha }}',
    ].join('\n');
    expect(findRunExpressions(text, 'w.yml')).toEqual([
      { file: 'w.yml', line: 4, column: 19, expression: 'github.head_ref', untrusted: true },
      { file: 'w.yml', line: 10, column: 17, expression: 'inputs.name', untrusted: true },
      { file: 'w.yml', line: 10, column: 37, expression: 'github.sha', untrusted: false },
    ]);
  });
  it('counts CRLF files correctly', () => {
    const text = 'runs:\r\n  steps:\r\n    - shell: bash\r\n      run: echo ${{ env.X }}\r\n';
    expect(findRunExpressions(text, 'action.yml')).toMatchObject([{ line: 4, column: 17, untrusted: true }]);
  });
  it('does not flag env: or with: values', () => {
    expect(
      findRunExpressions('steps:\n  - env: { A: "${{ inputs.a }}" }\n    run: echo "$A"\n', 'x'),
    ).toEqual([]);
  });
  it('reports a YAML error with file and line', () => {
    expect(() => findRunExpressions('a: [\n', 'bad.yml')).toThrow(/^bad.yml:\d+: YAML error/);
  });
});
