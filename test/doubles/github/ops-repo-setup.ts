/**
 * Setup shared by the double's write-path tests (git-writes, pull-requests):
 * an ops repository with a random name on the double, holding a kustomization
 * and a README in one initial commit, and the owner/repo pair octokit calls take.
 */
import type { GitHubDouble } from './index.ts';
import type { RepoBuilder } from './repo-builder.ts';

/** Creates `gitops/ops-<random>` with its initial commit; `base` is that commit's sha. */
export async function createOpsRepo(gh: GitHubDouble): Promise<{ ops: RepoBuilder; base: string }> {
  const name = `gitops/ops-${Math.random().toString(36).slice(2, 8)}`;
  const ops = await gh.repos.create(name);
  const base = await ops.commit({
    files: {
      'apps/web/kustomization.yaml': 'images:\n  - name: web\n    newTag: "1.0"\n',
      'README.md': 'ops\n',
    },
    message: 'init',
    date: '2024-06-01T00:00:00Z',
  });
  return { ops, base };
}

/** `{ owner, repo }` of a repository, as octokit REST calls take them. */
export function ownerAndRepo(repo: RepoBuilder): { owner: string; repo: string } {
  const [owner = '', name = ''] = repo.fullName.split('/');
  return { owner, repo: name };
}
