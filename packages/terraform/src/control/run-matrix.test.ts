import { describe, expect, it } from 'vitest';
import { emptyCloudLogin } from '../changes/cloud-login.ts';
import type { LockRecord } from '../lock/lock-record.ts';
import { applyEntriesForCommand, planArtifactName, selectTarget, type PlanEntry } from './run-matrix.ts';

const HEAD = 'a'.repeat(40);
const OLD = 'b'.repeat(40);
const entry = (dir: string, workspace = 'default'): PlanEntry => ({
  dir,
  workspace,
  cloud: '',
  ...emptyCloudLogin(),
  environment: '',
  'backend-config': '',
  'var-files': '',
  reason: 'changed',
  artifact: planArtifactName({ dir, workspace }),
});
const held = (dir: string, pr: number, sha: string, run = '11'): LockRecord => ({
  state: 'held',
  dir,
  workspace: 'default',
  pr,
  run,
  sha,
  at: '2026-12-07T00:00:00Z',
});
const pull = { number: 4, headSha: HEAD };

describe('planArtifactName', () => {
  it('is one valid artifact name per directory and workspace (no / \\ : or dots left)', () => {
    expect(planArtifactName({ dir: 'infra/prod', workspace: 'default' })).toBe('tfplan-infra%2Fprod@default');
    expect(planArtifactName({ dir: '.', workspace: 'stage.eu' })).toBe('tfplan-%2E@stage%2Eeu');
    expect(planArtifactName({ dir: 'a/b', workspace: 'c' })).not.toBe(
      planArtifactName({ dir: 'a', workspace: 'b/c' }),
    );
  });
});

describe('applyEntriesForCommand (/apply)', () => {
  const roots = [entry('infra/dev'), entry('infra/prod')];

  it('applies every root this pull request planned at its head, with the plan run from the lock', () => {
    const locks = [held('infra/prod', 4, HEAD, '77'), held('infra/dev', 9, OLD)];
    expect(applyEntriesForCommand(roots, locks, pull, null)).toEqual([
      { ...roots[1], pr: 4, 'plan-run': '77' },
    ]);
  });

  it('refuses a directory whose lock holds a plan of an older head, or no plan of this pull request', () => {
    expect(() =>
      applyEntriesForCommand(roots, [held('infra/prod', 4, OLD)], pull, { dir: 'infra/prod' }),
    ).toThrow(
      /infra\/prod \(workspace default\) has no plan of the head aaaaaaaaaaaa held by pull request #4 \(its plan is of bbbbbbbbbbbb\)/,
    );
    expect(() =>
      applyEntriesForCommand(roots, [held('infra/dev', 9, HEAD)], pull, { dir: 'infra/dev' }),
    ).toThrow(/has no plan of the head/);
    expect(() => applyEntriesForCommand(roots, [], pull, null)).toThrow(
      'Pull request #4 holds no plan to apply.',
    );
  });

  it('names a directory that is no root module', () => {
    expect(() => selectTarget(roots, { dir: 'infra/qa' })).toThrow(
      'infra/qa is not a Terraform root module of this repository.',
    );
    expect(selectTarget([...roots, entry('infra/prod', 'eu')], { dir: 'infra/prod' })).toHaveLength(2);
    expect(
      selectTarget([...roots, entry('infra/prod', 'eu')], { dir: 'infra/prod', workspace: 'eu' }),
    ).toHaveLength(1);
  });
});
