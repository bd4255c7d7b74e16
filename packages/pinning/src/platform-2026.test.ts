/**
 * GitHub's 2026 platform features on fixtures, with exact positions: `uses: $/path`.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pinCheck } from './check.ts';
import { emptyPolicy } from './policy.ts';

const fixtures = resolve(import.meta.dirname, '../../../test/fixtures/pin-check');

const lines = (findings: { file: string; line: number; column: number; ruleId: string; message: string }[]) =>
  findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message}`);

describe('uses: $/path', () => {
  it('accepts $/path in jobs, steps and composite actions, and rejects $/path@ref and empty paths', async () => {
    const result = await pinCheck({ root: resolve(fixtures, 'self-ref'), paths: [], policy: emptyPolicy() });
    expect(result.checkedSites).toHaveLength(8);
    expect(lines(result.findings)).toEqual([
      ".github/actions/build/action.yml:6:13 invalid-reference uses '$/.github/actions/setup@0123456789abcdef0123456789abcdef01234567' is not valid: a $/ reference is always this repository at the running commit and takes no @ref; write '$/.github/actions/setup'",
      ".github/workflows/ci.yml:6:11 invalid-reference reusable workflow '$/.github/workflows/build.yml@main' is not valid: a $/ reference is always this repository at the running commit and takes no @ref; write '$/.github/workflows/build.yml'",
      ".github/workflows/ci.yml:11:16 invalid-reference uses '$/.github/actions/build@v1' is not valid: a $/ reference is always this repository at the running commit and takes no @ref; write '$/.github/actions/build'",
      ".github/workflows/ci.yml:12:15 invalid-reference uses '$/' is not valid: a $/ reference needs a path inside the repository, such as '$/.github/actions/setup'",
      ".github/workflows/ci.yml:13:15 invalid-reference uses '$/../other' is not valid: a $/ reference needs a path inside the repository, such as '$/.github/actions/setup'",
    ]);
  });
});
