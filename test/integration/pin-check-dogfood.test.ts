/**
 * Slipway's own workflows and actions must pass pin-check: every third-party
 * action pinned to a full commit SHA, every image to a digest.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyPolicy, pinCheck } from '@slipway/pinning';

const root = resolve(import.meta.dirname, '../..');

describe('pin-check on this repository', () => {
  it('finds every reference in .github/workflows and actions/*/action.yml pinned', async () => {
    const actionFiles = readdirSync(join(root, 'actions'))
      .map((name) => join('actions', name, 'action.yml'))
      .filter((file) => existsSync(join(root, file)));
    const result = await pinCheck({
      root,
      paths: ['.github/workflows', ...actionFiles],
      policy: emptyPolicy(),
    });
    expect(result.files.map((f) => f.file)).toEqual(
      expect.arrayContaining(['.github/workflows/ci.yml', 'actions/pin-check/action.yml']),
    );
    expect(result.checkedSites.length).toBeGreaterThan(0);
    expect(result.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.reference}`)).toEqual(
      [],
    );
  });
});
