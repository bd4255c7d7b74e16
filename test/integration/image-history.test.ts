/**
 * image-history through the committed bundle (test/harness runAction) against the
 * GitHub API double: the current image of a kustomization file and, after a failed
 * deployment, the version before it from the file's commit history.
 */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubDouble, type GitHubDouble, type RepoBuilder } from '../doubles/github/index.ts';
import { findLeaks, runAction, type ActionRunResult } from '../harness/run-action.ts';

const actionDir = join(resolve(import.meta.dirname, '../..'), 'actions/image-history');
const PROD = 'apps/web/overlays/production/kustomization.yaml';
const STAGING = 'apps/web/overlays/staging/kustomization.yaml';
const TOKEN = 'ghs_imagehistorytoken00000000000000000001';
const d = (c: string) => `sha256:${c.repeat(64)}`;
const overlay = (tag: string, digest: string) =>
  `resources:\n  - ../../base\nimages:\n  - name: web\n    newName: ghcr.io/acme/web\n    newTag: "${tag}"\n    digest: ${digest}\n`;

let gh: GitHubDouble;
let ops: RepoBuilder;
const commits: Record<string, string> = {};

beforeAll(async () => {
  gh = await startGitHubDouble();
  gh.tokens.set(TOKEN, { permissions: { contents: 'read', metadata: 'read' } });
  ops = await gh.repos.create('acme/ops-history');
  commits.a = await ops.commit({
    files: { [PROD]: overlay('v1', d('a')), [STAGING]: overlay('v1', d('a')) },
  });
  commits.b = await ops.commit({ files: { [PROD]: overlay('v2', d('b')) } });
  commits.s = await ops.commit({ files: { [STAGING]: overlay('v3', d('c')) } });
  commits.c = await ops.commit({ files: { [PROD]: overlay('v3', d('c')) } });
});
afterAll(async () => {
  await gh.close();
});

const history = (inputs: Record<string, string>) =>
  runAction({
    actionDir,
    inputs: { token: TOKEN, repository: ops.fullName, image: 'web', ...inputs },
    env: { ...gh.env, GITHUB_REPOSITORY: 'acme/web' },
  });
const errorOf = (r: ActionRunResult) =>
  r.annotations
    .filter((a) => a.level === 'error')
    .map((a) => a.message)
    .join('\n');

describe('image-history action', () => {
  it('reads the current digest and tag of the entry and the commit that set them, with one commit read', async () => {
    gh.requests.reset();
    const result = await history({ file: STAGING });
    expect(errorOf(result)).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({ commit: commits.s, digest: d('c'), tag: 'v3' });
    expect(gh.requests.total).toBe(2); // the commit list (one entry) and the file at it
    expect(findLeaks(result, [TOKEN])).toEqual([]);
  });

  it('with failed: names the version before the failed one and the image-bump argument that restores it', async () => {
    gh.requests.reset();
    const result = await history({ file: PROD, failed: d('c'), ref: 'main' });
    // the commit list and the file at the two newest commits: no further back than the answer needs
    expect(gh.requests.total).toBe(3);
    expect(errorOf(result)).toBe('');
    expect(result.outputs).toEqual({
      commit: commits.c,
      digest: d('c'),
      tag: 'v3',
      'rollback-commit': commits.b,
      'rollback-digest': d('b'),
      'rollback-tag': 'v2',
      'rollback-image': `web=ghcr.io/acme/web:v2@${d('b')}`,
    });
    const skipping = await history({ file: PROD, failed: d('c'), 'also-bad': d('b') });
    expect(skipping.outputs['rollback-image']).toBe(`web=ghcr.io/acme/web:v1@${d('a')}`);
  });

  it('refuses a rollback when the file moved on after the failed version, and when there is nothing earlier', async () => {
    const moved = await history({ file: PROD, failed: d('b') });
    expect(moved.exitCode).toBe(1);
    expect(errorOf(moved)).toContain(
      `has web at ${d('c')}, not the failed ${d('b')}: the file changed after the failed deployment`,
    );
    expect(moved.outputs['rollback-image']).toBeUndefined();
    const none = await history({ file: PROD, failed: d('c'), 'also-bad': `${d('b')},${d('a')}` });
    expect(errorOf(none)).toContain('there is nothing to roll back to');
  });

  it('fails on bad input before any request, naming the input', async () => {
    gh.requests.reset();
    const cases: [Record<string, string>, string][] = [
      [{ file: PROD, failed: 'sha256:abc' }, "Input 'failed' 'sha256:abc' is not an image version."],
      [{ file: PROD, 'also-bad': 'v1, no spaces' }, "Input 'also-bad' 'no spaces' is not an image version."],
      [{ file: '../etc/passwd' }, "Input 'file' '../etc/passwd' leaves the repository."],
      [{ file: PROD, depth: '0' }, "Input 'depth'"],
      [{ file: PROD, image: 'web@sha256' }, "Input 'image'"],
      [{ file: PROD, repository: 'acme' }, "Input 'repository'"],
    ];
    for (const [inputs, message] of cases) {
      const result = await history(inputs);
      expect(result.exitCode).toBe(1);
      expect(errorOf(result)).toContain(message);
    }
    expect(gh.requests.total).toBe(0);
  });

  it('names the file or entry that is missing', async () => {
    expect(errorOf(await history({ file: 'apps/none/kustomization.yaml' }))).toContain(
      `apps/none/kustomization.yaml does not exist in ${ops.fullName} at the default branch.`,
    );
    expect(errorOf(await history({ file: PROD, image: 'api' }))).toContain(
      `${PROD} has no \`images\` entry named 'api'.`,
    );
  });
});
