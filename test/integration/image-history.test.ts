/**
 * image-history through the committed bundle (test/harness runAction) against the
 * GitHub API double: the current image of a kustomization or Helm values file and,
 * after a failed deployment, the version before it from the file's commit history;
 * its `rollback-changes` handed to the committed image-bump bundle open the rollback
 * pull request that restores the file.
 */
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubDouble, type GitHubDouble, type RepoBuilder } from '../doubles/github/index.ts';
import { findLeaks, runAction, type ActionRunResult } from '../harness/run-action.ts';

const actionDir = join(resolve(import.meta.dirname, '../..'), 'actions/image-history');
const imageBumpDir = join(resolve(import.meta.dirname, '../..'), 'actions/image-bump');
const VALUES = 'charts/web/values-production.yaml';
const WRITER = 'ghs_imagehistorywriter0000000000000000001';
/** A Helm values file as image-bump writes it: repository, tag and digest under `image`. */
const values = (tag: string, digest: string | undefined) =>
  `replicaCount: 2\nimage:\n  repository: ghcr.io/acme/web\n  tag: "${tag}"\n` +
  (digest ? `  digest: ${digest} # pinned\n` : '') +
  '  pullPolicy: IfNotPresent\n';
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
  gh.tokens.set(WRITER, { permissions: { contents: 'write', pull_requests: 'write', metadata: 'read' } });
  ops = await gh.repos.create('acme/ops-history');
  commits.a = await ops.commit({
    files: { [PROD]: overlay('v1', d('a')), [STAGING]: overlay('v1', d('a')) },
  });
  commits.b = await ops.commit({ files: { [PROD]: overlay('v2', d('b')) } });
  commits.s = await ops.commit({ files: { [STAGING]: overlay('v3', d('c')) } });
  commits.c = await ops.commit({ files: { [PROD]: overlay('v3', d('c')) } });
  // Helm: v1 by tag only, then v2 and v3 pinned by digest, and a commit that changed another value
  commits.h1 = await ops.commit({ files: { [VALUES]: values('v1', undefined) } });
  commits.h2 = await ops.commit({ files: { [VALUES]: values('v2', d('b')) } });
  commits.h3 = await ops.commit({ files: { [VALUES]: values('v3', d('c')) } });
  commits.h4 = await ops.commit({
    files: { [VALUES]: values('v3', d('c')).replace('replicaCount: 2', 'replicaCount: 3') },
  });
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
    expect(result.outputs).toEqual({ commit: commits.s, digest: d('c'), tag: 'v3', kind: 'kustomize' });
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
      'rollback-changes': `- file: ${PROD}\n  image: web=ghcr.io/acme/web:v2@${d('b')}\n`,
      kind: 'kustomize',
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

  it('Helm values: reads repository/tag/digest under the key; the rollback changes, given to image-bump, restore the file', async () => {
    const current = await history({ file: VALUES, image: '' });
    expect(errorOf(current)).toBe('');
    expect(current.outputs).toEqual({ commit: commits.h4, digest: d('c'), tag: 'v3', kind: 'helm' });

    gh.requests.reset();
    const result = await history({ file: VALUES, image: '', key: 'image', failed: d('c') });
    expect(errorOf(result)).toBe('');
    // the list, then the file at h4 (failed), h3 (failed), h2 (the target): no further back
    expect(gh.requests.total).toBe(4);
    expect(result.outputs).toMatchObject({
      'rollback-commit': commits.h2,
      'rollback-digest': d('b'),
      'rollback-tag': 'v2',
    });
    expect(result.outputs['rollback-image']).toBeUndefined();
    expect(parse(result.outputs['rollback-changes']!, { schema: 'failsafe' })).toEqual([
      { file: VALUES, image: `ghcr.io/acme/web:v2@${d('b')}`, key: 'image' },
    ]);

    // v2 failed too: back to v1, which had no digest; the digest is emptied, not left behind
    const older = await history({ file: VALUES, key: 'image', failed: d('c'), 'also-bad': d('b') });
    expect(older.outputs['rollback-commit']).toBe(commits.h1);
    const changes = older.outputs['rollback-changes']!;
    expect(parse(changes, { schema: 'failsafe' })).toEqual([
      { file: VALUES, image: 'ghcr.io/acme/web:v1', key: 'image' },
      { file: VALUES, path: 'image.digest', value: '' },
    ]);
    const bump = await runAction({
      actionDir: imageBumpDir,
      inputs: {
        token: WRITER,
        repository: ops.fullName,
        changes,
        branch: 'slipway/rollback/web-production',
        'pr-title': 'Roll back web in production to v1',
      },
      env: { ...gh.env, GITHUB_REPOSITORY: 'acme/web' },
    });
    expect(errorOf(bump)).toBe('');
    const pr = ops.repo.pulls.find((p) => p.head.ref === 'slipway/rollback/web-production')!;
    expect(pr.title).toBe('Roll back web in production to v1');
    // one line each for the tag and the digest; the replica count someone changed since stays
    expect(await ops.readFile(bump.outputs['commit-sha']!, VALUES)).toBe(
      values('v1', undefined)
        .replace('replicaCount: 2', 'replicaCount: 3')
        .replace('  pullPolicy', '  digest: "" # pinned\n  pullPolicy'),
    );
    expect(findLeaks(bump, [WRITER])).toEqual([]);
  });

  it('Helm values: names the key when it holds no image, and a kustomization still needs image', async () => {
    expect(errorOf(await history({ file: VALUES, key: 'worker.image' }))).toContain(
      `${VALUES} has no image under \`worker.image\` (a mapping with repository, tag or digest).`,
    );
    gh.requests.reset();
    expect(errorOf(await history({ file: PROD, image: '' }))).toContain("Input 'image' is required");
    expect(errorOf(await history({ file: VALUES, key: 'a..b' }))).toContain("Input 'key'");
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
