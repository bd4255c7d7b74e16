/**
 * image-bump benchmark. Run by hand: `npx vitest bench --run bench/image-bump`.
 *
 * Prints, for one bump and for ten files in one commit, on a small ops repository
 * (12 files) and a large one (2,000 files), the API requests and the bytes sent
 * and received, counted by the GitHub API double: with a new pull request, with an
 * existing one, and through the REST Git Data API fallback. Target: at most 6
 * requests for one bump with an existing pull request, whatever the repository size.
 */
import { afterAll, beforeAll, bench, describe } from 'vitest';
import {
  bumpOpsRepo,
  DEFAULT_BODY_TEMPLATE,
  DEFAULT_COMMIT_TEMPLATE,
  DEFAULT_TITLE_TEMPLATE,
  parseChanges,
  type BumpRequest,
} from '@slipway/gitops';
// the actions' client without GitHub's write spacing: the wall times are the code's, not the waits'
import { clientOnDouble } from '../../test/doubles/github/client.ts';
import { startGitHubDouble, type GitHubDouble } from '../../test/doubles/github/index.ts';

const overlay = (i: number) => `apps/app-${i}/overlays/prod/kustomization.yaml`;
const kustomization = (i: number) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../base\nimages:\n  - name: app-${i} # service ${i}\n    newName: ghcr.io/acme/app-${i}\n    newTag: "1.0.0"\n`;
const filler = (i: number) =>
  `# manifest ${i}\n${Array.from({ length: 40 }, (_, l) => `key${l}: value-${i}-${l}`).join('\n')}\n`;

let gh: GitHubDouble;
const rows: string[][] = [];

function request(owner: string, repo: string, files: number, tag: string, preferRest = false): BumpRequest {
  const changes = parseChanges(
    Array.from(
      { length: files },
      (_, i) => `- {file: ${overlay(i)}, image: "app-${i}=ghcr.io/acme/app-${i}:${tag}"}`,
    ).join('\n'),
  );
  return {
    owner,
    repo,
    changes,
    direct: false,
    templates: {
      branch: 'slipway/bump/release',
      commit: DEFAULT_COMMIT_TEMPLATE,
      title: DEFAULT_TITLE_TEMPLATE,
      body: DEFAULT_BODY_TEMPLATE,
    },
    run: {
      sha: 'f'.repeat(40),
      runUrl: 'https://github.com/acme/app/actions/runs/1',
      sourceRepository: 'acme/app',
    },
    pullRequest: {
      labels: ['deploy'],
      reviewers: [],
      teamReviewers: [],
      assignees: [],
      draft: false,
      autoMerge: undefined,
    },
    preferRest,
  };
}

async function measure(label: string, size: string, run: () => Promise<unknown>): Promise<void> {
  gh.requests.reset();
  await run();
  rows.push([
    label,
    size,
    String(gh.requests.total),
    String(gh.requests.bytesIn),
    String(gh.requests.bytesOut),
  ]);
}

async function scenario(size: 'small' | 'large'): Promise<void> {
  const total = size === 'small' ? 12 : 2000;
  for (const [files, preferRest] of [
    [1, false],
    [10, false],
    [1, true],
  ] as const) {
    const ops = await gh.repos.create(`acme/ops-${size}-${files}-${preferRest ? 'rest' : 'gql'}`);
    const content: Record<string, string> = {};
    for (let i = 0; i < 10; i++) content[overlay(i)] = kustomization(i);
    for (let i = 10; i < total; i++) content[`manifests/m-${i}.yaml`] = filler(i);
    await ops.commit({ files: content, message: 'init' });
    const client = clientOnDouble(gh);
    const [owner, repo] = ops.fullName.split('/') as [string, string];
    const api = preferRest ? ' (REST Git Data commit)' : '';
    await measure(`${files} file(s), new PR${api}`, `${total} files`, () =>
      bumpOpsRepo(client, request(owner, repo, files, '1.1.0', preferRest)),
    );
    await measure(`${files} file(s), existing PR${api}`, `${total} files`, () =>
      bumpOpsRepo(client, request(owner, repo, files, '1.2.0', preferRest)),
    );
  }
}

beforeAll(async () => {
  gh = await startGitHubDouble();
  await scenario('small');
  await scenario('large');
  const widths = [46, 12, 9, 12, 15];
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ');
  console.log(
    [
      '',
      'image-bump: API requests and bytes per bump (GitHub API double)',
      line(['bump', 'ops repo', 'requests', 'bytes sent', 'bytes received']),
      ...rows.map(line),
      '',
    ].join('\n'),
  );
}, 300_000);

afterAll(async () => {
  await gh.close();
});

describe('image-bump', () => {
  let n = 0;
  bench(
    'one bump with an existing pull request (wall time on the double)',
    async () => {
      n++;
      const client = clientOnDouble(gh);
      await bumpOpsRepo(client, request('acme', 'ops-small-1-gql', 1, `3.0.${n}`));
    },
    { iterations: 10, warmupIterations: 1 },
  );
});
