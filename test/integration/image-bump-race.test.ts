/**
 * 20 concurrent image-bump runs (the committed bundle, 20 processes) bump 20
 * different images in the same kustomization.yaml on the same branch. Every
 * change must land, one commit each, in one pull request, with the file
 * byte-for-byte what the 20 one-line edits give.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { join, resolve } from 'node:path';
import { runAction } from '../harness/run-action.ts';
import { startGitHubDouble, type GitHubDouble } from '../doubles/github/index.ts';

const actionDir = join(resolve(import.meta.dirname, '../..'), 'actions/image-bump');
const FILE = 'apps/platform/overlays/prod/kustomization.yaml';
const RUNS = 20;
const names = Array.from({ length: RUNS }, (_, i) => `app-${String(i).padStart(2, '0')}`);
const KUSTOMIZATION = [
  'apiVersion: kustomize.config.k8s.io/v1beta1',
  'kind: Kustomization',
  'resources:',
  '  - ../../base',
  'images:',
  ...names.flatMap((name, i) => [
    `  # ${name}`,
    `  - name: ${name}`,
    `    newName: ghcr.io/acme/${name}`,
    i % 2 === 0 ? `    newTag: "1.0.${i}"` : `    newTag: '1.0.${i}' # odd ones single-quoted`,
  ]),
  '',
].join('\n');

let gh: GitHubDouble;
beforeAll(async () => {
  gh = await startGitHubDouble();
});
afterAll(async () => {
  await gh.close();
});

describe('image-bump race', () => {
  it(`${RUNS} concurrent runs on one branch all land, nothing corrupted`, { timeout: 300_000 }, async () => {
    const ops = await gh.repos.create('acme/platform-ops');
    const base = await ops.commit({ files: { [FILE]: KUSTOMIZATION }, message: 'init' });
    const results = await Promise.all(
      names.map((name, i) =>
        runAction({
          actionDir,
          timeoutMs: 280_000,
          inputs: {
            repository: ops.fullName,
            token: 'ghs_race',
            file: FILE,
            image: `${name}=ghcr.io/acme/${name}:2.0.${i}`,
            branch: 'slipway/bump/release',
            'pr-title': 'Release train',
          },
          env: { ...gh.env, GITHUB_REPOSITORY: `acme/${name}` },
        }),
      ),
    );
    for (const result of results) expect(result.exitCode, result.log).toBe(0);
    expect(results.map((r) => r.outputs.changed)).toEqual(names.map(() => 'true'));
    expect(new Set(results.map((r) => r.outputs['pull-request-number']))).toEqual(new Set(['1']));

    const head = await ops.resolve('refs/heads/slipway/bump/release');
    let expected = KUSTOMIZATION;
    names.forEach((_name, i) => {
      expected =
        i % 2 === 0
          ? expected.replace(`newTag: "1.0.${i}"\n`, `newTag: "2.0.${i}"\n`)
          : expected.replace(`newTag: '1.0.${i}' #`, `newTag: '2.0.${i}' #`);
    });
    const final = await ops.readFile(head!, FILE);
    expect(final).toBe(expected);
    expect((parse(final!) as { images: { newTag: string }[] }).images.map((i) => i.newTag)).toEqual(
      names.map((_n, i) => `2.0.${i}`),
    );
    // one commit per run, stacked on the base
    expect(await ops.resolve(`${head}~${RUNS}`)).toBe(base);
    expect(new Set(results.map((r) => r.outputs['commit-sha'])).size).toBe(RUNS);
    expect(ops.repo.pulls.filter((p) => p.state === 'open')).toHaveLength(1);
    const retried = results.filter((r) => r.log.includes('the branch moved during attempt')).length;
    console.log(
      `race: ${gh.requests.total} requests, ${gh.requests.count('graphql:createCommitOnBranch')} commit attempts, ${retried} runs retried`,
    );
  });
});
