/**
 * `GET pulls/{n}/files`: the diff between the merge base and the head, with
 * rename detection (`renamed` + `previous_filename`), line counts, and GitHub's
 * cap of 3000 files (the files past it are simply not listed).
 */
import type { HostedRepo } from '../repo-store.ts';
import { paginate, type RestRoute } from '../rest-route.ts';
import { repoApiUrl, repoHtmlUrl } from '../shapes/repository-shape.ts';
import { findPull } from './pulls.ts';

/** GitHub lists at most this many files of a pull request. */
export const PULL_FILES_CAP = 3000;

const STATUS: Record<string, string> = {
  A: 'added',
  D: 'removed',
  M: 'modified',
  R: 'renamed',
  T: 'changed',
};

interface RawEntry {
  status: string;
  filename: string;
  previous?: string;
  sha: string;
}

async function diffEntries(repo: HostedRepo, base: string, head: string): Promise<RawEntry[]> {
  const raw = (await repo.git.run(['diff', '--raw', '-M', '-z', base, head])).split('\0');
  const entries: RawEntry[] = [];
  for (let i = 0; i + 1 < raw.length;) {
    const [, , oldSha = '', newSha = '', code = ''] = raw[i]!.split(' ');
    const letter = code.charAt(0);
    if (letter === 'R') {
      entries.push({ status: 'renamed', previous: raw[i + 1]!, filename: raw[i + 2]!, sha: newSha });
      i += 3;
    } else {
      const sha = letter === 'D' ? oldSha : newSha;
      entries.push({ status: STATUS[letter] ?? 'modified', filename: raw[i + 1]!, sha });
      i += 2;
    }
  }
  return entries;
}

async function lineCounts(
  repo: HostedRepo,
  base: string,
  head: string,
): Promise<Map<string, [number, number]>> {
  const out = (await repo.git.run(['diff', '--numstat', '-M', '-z', base, head])).split('\0');
  const counts = new Map<string, [number, number]>();
  for (let i = 0; i < out.length; i += 1) {
    const [add = '', del = '', path = ''] = out[i]!.split('\t');
    if (add === '') continue;
    const pair: [number, number] = [Number(add) || 0, Number(del) || 0];
    if (path === '') {
      counts.set(out[i + 2]!, pair); // a rename: "add\tdel\t\0old\0new"
      i += 2;
    } else counts.set(path, pair);
  }
  return counts;
}

/** Diffs are immutable per (base, head): computed once, then every page is sliced from the same list. */
const diffCache = new WeakMap<
  HostedRepo,
  Map<string, Promise<[RawEntry[], Map<string, [number, number]>]>>
>();

function cachedDiff(repo: HostedRepo, base: string, head: string) {
  const perRepo =
    diffCache.get(repo) ?? new Map<string, Promise<[RawEntry[], Map<string, [number, number]>]>>();
  diffCache.set(repo, perRepo);
  const key = `${base}..${head}`;
  let diff = perRepo.get(key);
  if (!diff) {
    diff = Promise.all([diffEntries(repo, base, head), lineCounts(repo, base, head)]);
    perRepo.set(key, diff);
  }
  return diff;
}

export const pullFileRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/files',
    async handle(ctx) {
      const repo = ctx.repo('pull_requests', 'read');
      const pr = findPull(repo, Number(ctx.params.pull_number));
      const head = (await pr.head.repo.git.revParse(`refs/heads/${pr.head.ref}`))!;
      const baseTip = (await repo.git.revParse(`refs/heads/${pr.base}`))!;
      const base = (await repo.git.mergeBase(baseTip, head)) ?? baseTip;
      const [entries, counts] = await cachedDiff(repo, base, head);
      const api = repoApiUrl(ctx.state, repo);
      const html = repoHtmlUrl(ctx.state, repo);
      const files = entries.slice(0, PULL_FILES_CAP).map((e) => {
        const [additions, deletions] = counts.get(e.filename) ?? [0, 0];
        const at = e.status === 'removed' ? base : head;
        const path = e.filename.split('/').map(encodeURIComponent).join('/');
        return {
          sha: e.sha,
          filename: e.filename,
          status: e.status,
          additions,
          deletions,
          changes: additions + deletions,
          blob_url: `${html}/blob/${at}/${path}`,
          raw_url: `${html}/raw/${at}/${path}`,
          contents_url: `${api}/contents/${path}?ref=${at}`,
          ...(e.previous !== undefined ? { previous_filename: e.previous } : {}),
        };
      });
      return paginate(ctx, files);
    },
  },
];
