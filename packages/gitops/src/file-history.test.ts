/**
 * readFileHistory + findRollbackTarget against the GitHub double (real git
 * repositories; requests and responses validated against GitHub's OpenAPI
 * description), through the same GitHub client the actions use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubDouble, type GitHubDouble } from '../../../test/doubles/github/index.ts';
import { readFileHistory } from './file-history.ts';
import type { GitHubClient } from '@slipway/github';
import { clientOnDouble } from '../../../test/doubles/github/client.ts';
import { findRollbackTarget, rollbackSearchSettled } from './rollback-target.ts';

const PROD = 'apps/web/overlays/production/kustomization.yaml';
const STAGING = 'apps/web/overlays/staging/kustomization.yaml';
const d = (c: string) => `sha256:${c.repeat(64)}`;
const overlay = (digest: string) =>
  `resources:\n  - ../../base\nimages:\n  - name: web\n    newName: ghcr.io/acme/web\n    digest: ${digest}\n`;

let gh: GitHubDouble;
let client: GitHubClient;

beforeAll(async () => {
  gh = await startGitHubDouble();
  client = clientOnDouble(gh);
});
afterAll(async () => {
  await gh.close();
});

describe('readFileHistory (GitHub double)', () => {
  it('lists the commits that touched the file, newest first, with its text at each; the rollback target is the one before the failed bump', async () => {
    const ops = await gh.repos.create('acme/ops-history');
    const [owner, repo] = ops.fullName.split('/') as [string, string];
    const c1 = await ops.commit({
      files: { [PROD]: overlay(d('a')), [STAGING]: overlay(d('a')) },
      message: 'init',
    });
    const c2 = await ops.commit({ files: { [PROD]: overlay(d('b')) }, message: 'bump prod to b' });
    await ops.commit({ files: { [STAGING]: overlay(d('c')) }, message: 'bump staging to c' });
    const c4 = await ops.commit({ files: { [PROD]: overlay(d('c')) }, message: 'bump prod to c' });
    gh.requests.reset();

    const history = await readFileHistory(client, { owner, repo, ref: 'main', path: PROD, limit: 10 });
    expect(history).toEqual([
      { commit: c4, text: overlay(d('c')) },
      { commit: c2, text: overlay(d('b')) },
      { commit: c1, text: overlay(d('a')) },
    ]);
    // one list, one read per commit
    expect(gh.requests.total).toBe(4);

    const target = findRollbackTarget({ file: PROD, image: 'web', history, failed: d('c') });
    expect(target).toEqual({
      commit: c2,
      fields: { newName: 'ghcr.io/acme/web', digest: d('b') },
      skipped: 1,
    });

    // with `until`, the file is read only as far back as the answer needs
    gh.requests.reset();
    const request = { file: PROD, image: 'web', failed: d('c') };
    const short = await readFileHistory(client, {
      owner,
      repo,
      path: PROD,
      limit: 10,
      until: (read) => rollbackSearchSettled({ ...request, history: read }),
    });
    expect(short.map((h) => h.commit)).toEqual([c4, c2]);
    expect(gh.requests.total).toBe(3);
    expect(findRollbackTarget({ ...request, history: short }).commit).toBe(c2);

    const limited = await readFileHistory(client, { owner, repo, ref: c2, path: PROD, limit: 1 });
    expect(limited).toEqual([{ commit: c2, text: overlay(d('b')) }]);
  });

  it('reports a deleted file as undefined text and an unknown branch as a UserError', async () => {
    const ops = await gh.repos.create('acme/ops-deleted');
    const [owner, repo] = ops.fullName.split('/') as [string, string];
    await ops.commit({ files: { [PROD]: overlay(d('a')) } });
    const gone = await ops.commit({ files: { [PROD]: null }, message: 'remove production' });
    const history = await readFileHistory(client, { owner, repo, ref: 'main', path: PROD, limit: 5 });
    expect(history[0]).toEqual({ commit: gone, text: undefined });
    expect(history).toHaveLength(2);
    await expect(
      readFileHistory(client, { owner, repo, ref: 'no-such-branch', path: PROD, limit: 5 }),
    ).rejects.toThrow(
      `${ops.fullName} has no branch or commit 'no-such-branch' (or the token cannot read it).`,
    );
  });
});
