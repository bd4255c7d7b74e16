/**
 * Locks on the GitHub double (real git refs, GitHub's OpenAPI and GraphQL schema),
 * through the same client image-bump uses: the race, idempotence, release rules,
 * /unlock, and release on pull request close.
 */
import { UserError } from '@slipway/core';
import { clientOnDouble } from '../../../../test/doubles/github/client.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startGitHubDouble,
  type GitHubDouble,
  type HostedRepo,
} from '../../../../test/doubles/github/index.ts';
import { createGitLocks, LockHeldError, type GitLocks } from './git-lock.ts';
import { parseLockMessage } from './lock-record.ts';

const REFS = 'POST /repos/{owner}/{repo}/git/refs';
const PATCH_REF = 'PATCH /repos/{owner}/{repo}/git/refs/{ref}';
const COMMITS = 'POST /repos/{owner}/{repo}/git/commits';

let gh: GitHubDouble;
let locks: GitLocks;
let hosted: HostedRepo;
let sha: string;
let sha2: string;
let n = 0;

beforeAll(async () => {
  gh = await startGitHubDouble();
});
afterAll(async () => {
  await gh.close();
});
beforeEach(async () => {
  n += 1;
  const live = await gh.repos.create(`infra/live-${n}`);
  sha = await live.commit({ files: { 'infra/prod/main.tf': 'resource "terraform_data" "a" {}\n' } });
  sha2 = await live.commit({ files: { 'infra/prod/main.tf': 'resource "terraform_data" "b" {}\n' } });
  hosted = live.repo;
  const client = clientOnDouble(gh);
  locks = createGitLocks({
    client,
    owner: 'infra',
    repo: `live-${n}`,
    now: () => new Date('2026-12-01T10:00:00Z'),
  });
  gh.requests.reset();
});

/** The lock's history, newest first, read with git from the double's repository. */
async function history(ref: string): Promise<string[]> {
  const out = await hosted.git.run(['log', '--format=%B%x00', ref]);
  return out
    .split('\0')
    .map((m) => parseLockMessage(m.trim()))
    .filter((r) => r !== null)
    .map((r) => (r.state === 'held' ? `held #${r.pr}/${r.run}` : `released ${r.by} #${r.previous.pr}`));
}

describe('the lock race', () => {
  it('20 concurrent acquires for one directory: exactly one holder, 19 "locked by PR #N (run R)"', async () => {
    // hold every first read until all 20 have arrived, so all 20 see "no lock" and race at POST git/refs
    let arrived = 0;
    let releaseAll!: () => void;
    const allHere = new Promise<void>((resolve) => (releaseAll = resolve));
    gh.faults.add({
      route: 'GET /repos/{owner}/{repo}/git/ref/{ref}',
      times: 20,
      before: async () => {
        arrived += 1;
        if (arrived === 20) releaseAll();
        await allHere;
      },
    });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        locks.acquire('infra/prod', 'default', { pr: i + 1, run: `${9000 + i}`, sha }),
      ),
    );
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ i, value: r.value }] : []));
    expect(won).toHaveLength(1);
    const winner = won[0]!;
    expect(winner.value.outcome).toBe('acquired');
    const lost = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason);
    expect(lost).toHaveLength(19);
    for (const reason of lost) {
      expect(reason).toBeInstanceOf(LockHeldError);
      expect((reason as Error).message).toContain(`locked by PR #${winner.i + 1} (run ${9000 + winner.i})`);
    }
    // all 20 really raced on the create: one 201, nineteen 422
    const creates = gh.requests.records.filter((r) => r.route === REFS).map((r) => r.status);
    expect(creates.filter((s) => s === 201)).toHaveLength(1);
    expect(creates.filter((s) => s === 422)).toHaveLength(19);
    const state = await locks.read('infra/prod', 'default');
    expect(state.record).toMatchObject({ state: 'held', pr: winner.i + 1, run: `${9000 + winner.i}`, sha });
    expect(await history(state.ref)).toEqual([`held #${winner.i + 1}/${9000 + winner.i}`]);
  });
});

describe('acquire and release', () => {
  it('acquiring again from the same pull request is idempotent; a new run or SHA is recorded', async () => {
    const first = await locks.acquire('infra/prod', 'default', { pr: 7, run: '1', sha, actor: 'alice' });
    expect(first.outcome).toBe('acquired');
    expect(first.record).toMatchObject({
      pr: 7,
      run: '1',
      sha,
      actor: 'alice',
      at: '2026-12-01T10:00:00.000Z',
    });
    const commitsBefore = gh.requests.count(COMMITS);
    expect((await locks.acquire('infra/prod', 'default', { pr: 7, run: '1', sha })).outcome).toBe(
      'already-held',
    );
    expect(gh.requests.count(COMMITS)).toBe(commitsBefore);
    const again = await locks.acquire('infra/prod', 'default', { pr: 7, run: '2', sha: sha2 });
    expect(again.outcome).toBe('refreshed');
    expect((await locks.read('infra/prod', 'default')).record).toMatchObject({ pr: 7, run: '2', sha: sha2 });
  });

  it('a non-holder cannot release; the holder can, and the next pull request then gets the lock', async () => {
    await locks.acquire('infra/prod', 'default', { pr: 7, run: '1', sha });
    const refused = locks.release('infra/prod', 'default', 8);
    await expect(refused).rejects.toThrow(UserError);
    await expect(refused).rejects.toThrow(/PR #8 cannot release .* held by PR #7 \(run 1\)/);
    expect((await locks.read('infra/prod', 'default')).record).toMatchObject({ state: 'held', pr: 7 });
    await expect(locks.acquire('infra/prod', 'default', { pr: 8, run: '5', sha })).rejects.toThrow(
      /locked by PR #7 \(run 1\)/,
    );

    expect(await locks.release('infra/prod', 'default', 7)).toBe('released');
    expect(await locks.release('infra/prod', 'default', 7)).toBe('not-held');
    expect((await locks.acquire('infra/prod', 'default', { pr: 8, run: '5', sha })).outcome).toBe('acquired');
    const { ref } = await locks.read('infra/prod', 'default');
    expect(await history(ref)).toEqual(['held #8/5', 'released holder #7', 'held #7/1']);
  });

  it('workspaces and directories lock independently', async () => {
    await locks.acquire('infra/prod', 'default', { pr: 1, run: '1', sha });
    await locks.acquire('infra/prod', 'staging', { pr: 2, run: '2', sha });
    await locks.acquire('infra', 'prod', { pr: 3, run: '3', sha });
    const held = (await locks.list()).map((r) =>
      r.state === 'held' ? `${r.dir}:${r.workspace}:${r.pr}` : '',
    );
    expect(held.sort()).toEqual(['infra/prod:default:1', 'infra/prod:staging:2', 'infra:prod:3']);
  });

  it('no lost unlock: a holder refreshing its lock while it is force-unlocked and taken cannot overwrite the new holder', async () => {
    await locks.acquire('infra/prod', 'default', { pr: 7, run: '1', sha });
    // between PR 7's read and its ref update, someone runs /unlock and PR 8 takes the lock
    gh.faults.beforeRequest(PATCH_REF, async () => {
      await locks.forceUnlock('infra/prod', 'default', { actor: 'bob', reason: 'stuck' });
      await locks.acquire('infra/prod', 'default', { pr: 8, run: '9', sha: sha2 });
    });
    await expect(locks.acquire('infra/prod', 'default', { pr: 7, run: '2', sha: sha2 })).rejects.toThrow(
      /locked by PR #8 \(run 9\)/,
    );
    const patches = gh.requests.records.filter((r) => r.route === PATCH_REF).map((r) => r.status);
    // /unlock and PR 8 moved the ref; PR 7's stale fast-forward was refused
    expect([...patches].sort()).toEqual([200, 200, 422]);
    expect((await locks.read('infra/prod', 'default')).record).toMatchObject({
      state: 'held',
      pr: 8,
      run: '9',
    });
  });

  it('a release racing an acquire leaves a consistent lock: the loser can take it right after', async () => {
    await locks.acquire('infra/prod', 'default', { pr: 7, run: '1', sha });
    const [release, take] = await Promise.allSettled([
      locks.release('infra/prod', 'default', 7),
      locks.acquire('infra/prod', 'default', { pr: 8, run: '2', sha }),
    ]);
    expect(release).toEqual({ status: 'fulfilled', value: 'released' });
    const record = (await locks.read('infra/prod', 'default')).record;
    if (take.status === 'fulfilled') expect(record).toMatchObject({ state: 'held', pr: 8 });
    else {
      expect(record).toMatchObject({ state: 'released' });
      expect((await locks.acquire('infra/prod', 'default', { pr: 8, run: '2', sha })).outcome).toBe(
        'acquired',
      );
    }
  });
});

describe('/unlock and pull request close', () => {
  it('/unlock needs a reason and records who and why', async () => {
    await locks.acquire('infra/prod', 'default', { pr: 7, run: '1', sha });
    await expect(locks.forceUnlock('infra/prod', 'default', { actor: 'bob', reason: '  ' })).rejects.toThrow(
      /needs a reason/,
    );
    const done = await locks.forceUnlock('infra/prod', 'default', { actor: 'bob', reason: 'PR abandoned' });
    expect(done.outcome).toBe('released');
    expect(done.previous).toMatchObject({ pr: 7, run: '1' });
    expect((await locks.read('infra/prod', 'default')).record).toMatchObject({
      state: 'released',
      by: 'unlock',
      actor: 'bob',
      reason: 'PR abandoned',
      previous: { pr: 7, run: '1', sha },
    });
    expect(
      (await locks.forceUnlock('infra/prod', 'default', { actor: 'bob', reason: 'again' })).outcome,
    ).toBe('not-held');
  });

  it('closing a pull request releases all its locks and no one else’s, listing them in one GraphQL request', async () => {
    await locks.acquire('infra/prod', 'default', { pr: 7, run: '1', sha });
    await locks.acquire('infra/staging', 'default', { pr: 7, run: '1', sha });
    await locks.acquire('infra/dev', 'default', { pr: 9, run: '4', sha });
    gh.requests.reset();
    const released = await locks.releaseAllFor(7, 'pr-merged');
    expect(released.map((k) => k.dir).sort()).toEqual(['infra/prod', 'infra/staging']);
    expect(gh.requests.count('POST /graphql')).toBe(1);
    expect((await locks.read('infra/prod', 'default')).record).toMatchObject({
      state: 'released',
      by: 'pr-merged',
    });
    expect((await locks.read('infra/dev', 'default')).record).toMatchObject({ state: 'held', pr: 9 });
    expect(await locks.releaseAllFor(7, 'pr-closed')).toEqual([]);
  });

  it('a SHA that is not in the repository is refused before any lock is written', async () => {
    const missing = 'f'.repeat(40);
    await expect(locks.acquire('infra/prod', 'default', { pr: 1, run: '1', sha: missing })).rejects.toThrow(
      `Commit ${missing} is not in infra/live-${n}`,
    );
    await expect(locks.acquire('infra/prod', 'default', { pr: 1, run: '1', sha: 'abc' })).rejects.toThrow(
      /not a full 40-character SHA/,
    );
    expect(gh.requests.count(REFS)).toBe(0);
    expect((await locks.read('infra/prod', 'default')).tip).toBeNull();
  });

  it('a foreign ref in the lock namespace is reported, not overwritten', async () => {
    await hosted.git.run(['update-ref', 'refs/slipway-tf-locks/infra%2Fprod/default', sha]);
    await expect(locks.acquire('infra/prod', 'default', { pr: 1, run: '1', sha })).rejects.toThrow(
      /exists but is not a Slipway lock commit/,
    );
  });
});
