// Test support for the ops-repository orchestrators (bumpOpsRepo, readOpsRepo): one GitHub double per
// test file, a fresh ops repository holding `files` on main before each test, the GitHub client the
// image-bump action uses, and a BumpRequest with the default templates. The bindings below are live:
// a test file reads them after its hooks have run.
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import {
  startGitHubDouble,
  type GitHubDouble,
  type RepoBuilder,
} from '../../../test/doubles/github/index.ts';
import type { BumpRequest } from './bump.ts';
import { changeFrom } from './change-spec.ts';
import type { GitHubClient } from '@slipway/github';
import { clientOnDouble } from '../../../test/doubles/github/client.ts';
import {
  DEFAULT_BODY_TEMPLATE,
  DEFAULT_BRANCH_TEMPLATE,
  DEFAULT_COMMIT_TEMPLATE,
  DEFAULT_TITLE_TEMPLATE,
} from './templates.ts';

export let gh: GitHubDouble;
export let octokit: ReturnType<typeof getOctokit>;
export let client: GitHubClient;
export let ops: RepoBuilder;
export let owner = '';
export let repo = '';

export function useOpsRepoDouble(files: Record<string, string>): void {
  beforeAll(async () => {
    gh = await startGitHubDouble();
    octokit = getOctokit('t', { baseUrl: gh.url });
    client = clientOnDouble(gh);
  });
  afterAll(async () => {
    await gh?.close();
  });
  beforeEach(async () => {
    gh.faults.clear();
    ops = await gh.repos.create(`acme/ops-${Math.random().toString(36).slice(2, 8)}`);
    [owner = '', repo = ''] = ops.fullName.split('/');
    await ops.commit({ files });
    gh.requests.reset();
  });
}

export const BUMP_TEMPLATES = {
  branch: DEFAULT_BRANCH_TEMPLATE,
  commit: DEFAULT_COMMIT_TEMPLATE,
  title: DEFAULT_TITLE_TEMPLATE,
  body: DEFAULT_BODY_TEMPLATE,
};

/** A bump of `image` in `file` of the current ops repository, as the action's inputs give it. */
export function bumpRequest(image: string, file: string, overrides: Partial<BumpRequest> = {}): BumpRequest {
  return {
    owner,
    repo,
    changes: [changeFrom({ file, image })],
    direct: false,
    templates: BUMP_TEMPLATES,
    run: {
      sha: 'a'.repeat(40),
      runUrl: 'https://github.com/acme/web/actions/runs/1',
      sourceRepository: 'acme/web',
    },
    pullRequest: {
      labels: [],
      reviewers: [],
      teamReviewers: [],
      assignees: [],
      draft: false,
      autoMerge: undefined,
    },
    ...overrides,
  };
}
