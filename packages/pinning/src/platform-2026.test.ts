/**
 * GitHub's 2026 platform features on fixtures, with exact positions: `uses: $/path`.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pinCheck } from './check.ts';
import { emptyPolicy } from './policy.ts';
import { loadPolicy } from './run-pin-check.ts';

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

describe('policy exceptions with reason and expiry', () => {
  const root = resolve(fixtures, 'exceptions');
  const run = async (today: string) => {
    const { policy, file } = loadPolicy(root, undefined);
    expect(file).toBe('.github/slipway-pin.yml');
    return pinCheck({ root, paths: [], policy, now: new Date(`${today}T12:00:00Z`) });
  };

  it('reports an expired exception at its policy entry and checks what it covered again', async () => {
    const result = await run('2026-08-01');
    expect(lines(result.findings)).toEqual([
      ".github/slipway-pin.yml:6:5 expired-exception the allow exception for 'vendor/scanner' has expired (its last day was 2026-07-31; reason: vendor ships no tags yet); the references it covered are checked again. Pin them, or renew the exception with a later 'expires' date",
      ".github/workflows/ci.yml:9:15 unpinned-action uses 'vendor/scanner@v2' is not pinned to a commit SHA: 'v2' is a tag or branch, which can be moved",
    ]);
  });

  it('an exception holds through its last day', async () => {
    expect(lines((await run('2026-07-31')).findings)).toEqual([]);
  });

  it('the next day both dated exceptions have expired', async () => {
    expect(
      (await run('2026-08-02')).findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`),
    ).toEqual([
      '.github/slipway-pin.yml:6:5 expired-exception',
      '.github/slipway-pin.yml:9:5 expired-exception',
      '.github/workflows/ci.yml:5:16 unpinned-image',
      '.github/workflows/ci.yml:9:15 unpinned-action',
    ]);
  });
});

describe('gh actions-lock lockfile (.github/workflows/actions.lock, schema v0.0.2)', () => {
  it('counts locked tag references in onboarded workflows as pinned and reports every disagreement', async () => {
    const result = await pinCheck({
      root: resolve(fixtures, 'actions-lock'),
      paths: [],
      policy: emptyPolicy(),
    });
    expect(lines(result.findings)).toEqual([
      ".github/workflows/actions.lock:8:7 lockfile-mismatch .github/workflows/actions.lock lists 'old/dead@v1' for .github/workflows/ci.yml, which does not use it. Run `gh actions-lock` and commit the lockfile",
      '.github/workflows/actions.lock:10:3 lockfile-mismatch .github/workflows/actions.lock onboards .github/workflows/gone.yml, which does not exist. Run `gh actions-lock` (with no paths, it prunes deleted workflows)',
      ".github/workflows/actions.lock:24:9 lockfile-invalid .github/workflows/actions.lock: 'uses' names 'github/missing@v1', which has no entry in 'dependencies'",
      ".github/workflows/actions.lock:30:3 lockfile-invalid .github/workflows/actions.lock: the entry 'actions/cache@v4' has repo_id 22222, but 'actions/cache@0057852bfaa89a56745cba8c7296529d2fc39830' has 11111 for the same repository",
      ".github/workflows/actions.lock:32:13 lockfile-invalid .github/workflows/actions.lock: the entry 'actions/cache@v4' has commit 'sha1-0057852BFAA89A56745CBA8C7296529D2FC39830'; expected sha1-<40 lowercase hex> or sha256-<64 lowercase hex>",
      ".github/workflows/actions.lock:40:3 lockfile-invalid .github/workflows/actions.lock: the entry 'octo/pipes@v1' needs 'repo_id', GitHub's numeric id (a positive whole number)",
      ".github/workflows/actions.lock:41:10 lockfile-invalid .github/workflows/actions.lock: the entry 'octo/pipes@v1' has ref 'v2', not 'v1' as its key says",
      ".github/workflows/ci.yml:8:15 lockfile-mismatch 'actions/setup-go@v6' has no entry for .github/workflows/ci.yml in .github/workflows/actions.lock, which onboards this workflow: GitHub refuses to start it. Run `gh actions-lock` and commit the lockfile",
      ".github/workflows/ci.yml:11:11 unpinned-action reusable workflow 'octo/pipes/.github/workflows/build.yml@v1' is not pinned to a commit SHA: 'v1' is a tag or branch, which can be moved",
      ".github/workflows/release.yml:6:15 unpinned-action uses 'actions/checkout@v6.0.2' is not pinned to a commit SHA: 'v6.0.2' is a tag or branch, which can be moved",
    ]);
  });
});
