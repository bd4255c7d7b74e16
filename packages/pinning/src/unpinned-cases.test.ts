/**
 * The unpinned-reference cases of test/fixtures/pin-check/unpinned (one repository
 * each, one unpinned reference each, listed in its cases.json): pin-check
 * reports each with its rule at its exact line and column, and nothing else.
 * bench/pin-check runs the peers on the same cases to show which they miss.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pinCheck } from './check.ts';
import { emptyPolicy } from './policy.ts';

const dir = resolve(import.meta.dirname, '../../../test/fixtures/pin-check/unpinned');
interface Case {
  case: string;
  ruleId: string;
  file: string;
  line: number;
  column: number;
  reference: string;
}
const cases = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as Case[];

describe('unpinned-reference fixture cases', () => {
  it('lists every kind of reference site', () => {
    expect(cases.length).toBeGreaterThanOrEqual(16);
    expect(new Set(cases.map((c) => c.ruleId))).toEqual(
      new Set(['unpinned-action', 'unpinned-image', 'unresolvable-reference']),
    );
  });

  it.each(cases)('$case: one finding at its line and column', async (c) => {
    const result = await pinCheck({ root: join(dir, c.case), paths: [], policy: emptyPolicy() });
    expect(
      result.findings.map((f) => ({
        ruleId: f.ruleId,
        file: f.file,
        line: f.line,
        column: f.column,
        reference: f.reference,
      })),
    ).toEqual([{ ruleId: c.ruleId, file: c.file, line: c.line, column: c.column, reference: c.reference }]);
  });
});
