/**
 * Setup shared by the double's write-path tests (git-writes, pull-requests):
 * one double per file with an octokit on it, and for every test an ops
 * repository with a random name holding a kustomization and a README in one
 * initial commit.
 */
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startGitHubDouble, type GitHubDouble } from './index.ts';
import type { RepoBuilder } from './repo-builder.ts';

export interface OpsRepoSetup {
  gh: GitHubDouble;
  octokit: ReturnType<typeof getOctokit>;
  /** Fresh for each test: `gitops/ops-<random>`. */
  ops: RepoBuilder;
  /** The sha of the ops repository's initial commit. */
  base: string;
  /** `{ owner, repo }` of the current ops repository, as octokit REST calls take them. */
  repoArgs(): { owner: string; repo: string };
}

/**
 * Registers the hooks and returns the object they fill in: read its fields
 * inside tests, not at collection time.
 */
export function useOpsRepo(): OpsRepoSetup {
  const setup = {
    repoArgs: () => {
      const [owner = '', repo = ''] = setup.ops.fullName.split('/');
      return { owner, repo };
    },
  } as OpsRepoSetup;
  beforeAll(async () => {
    setup.gh = await startGitHubDouble();
    setup.octokit = getOctokit('t', { baseUrl: setup.gh.url });
  });
  beforeEach(async () => {
    const name = `gitops/ops-${Math.random().toString(36).slice(2, 8)}`;
    setup.ops = await setup.gh.repos.create(name);
    setup.base = await setup.ops.commit({
      files: {
        'apps/web/kustomization.yaml': 'images:\n  - name: web\n    newTag: "1.0"\n',
        'README.md': 'ops\n',
      },
      message: 'init',
      date: '2024-06-01T00:00:00Z',
    });
  });
  afterAll(async () => {
    await setup.gh.close();
  });
  return setup;
}
