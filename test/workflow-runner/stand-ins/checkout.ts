/**
 * Stand-in for actions/checkout: fetches one commit from a local git repository
 * (the test maps `owner/name` to a folder; Slipway itself to /work/main, so the
 * committed action.yml files and dist/ bundles are what later steps run) into
 * `path`, the way the real action does it: `git init`, `git fetch --depth=1` of the
 * ref, `git sparse-checkout set` (cone mode by default), `git checkout --detach`.
 * It checks the inputs the way the real action would read them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import {
  booleanInput,
  expectKnownInputs,
  StandInInputError,
  type StandIn,
  type StandInCall,
} from '../stand-in.ts';

const INPUTS = [
  'repository',
  'ref',
  'token',
  'ssh-key',
  'ssh-known-hosts',
  'ssh-strict',
  'ssh-user',
  'persist-credentials',
  'path',
  'clean',
  'filter',
  'sparse-checkout',
  'sparse-checkout-cone-mode',
  'fetch-depth',
  'fetch-tags',
  'show-progress',
  'lfs',
  'submodules',
  'set-safe-directory',
  'github-server-url',
] as const;

export interface CheckoutRecord {
  repository: string;
  ref: string;
  commit: string;
  path: string;
  sparse: string[];
  persistCredentials: boolean;
  token: string;
}

export interface CheckoutStandIn {
  standIn: StandIn;
  calls: CheckoutRecord[];
}

const UPLOAD_PACK = 'git -c pack.window=0 -c pack.compression=1 upload-pack';

const git = (cwd: string, args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** `repositories`: owner/name (case-insensitive, as GitHub) -> local git folder. */
export function checkoutStandIn(repositories: Record<string, string>): CheckoutStandIn {
  const calls: CheckoutRecord[] = [];
  const standIn = (call: StandInCall) => {
    expectKnownInputs(call, INPUTS);
    const fail = (message: string) => new StandInInputError(call.uses, message);
    const repository = call.with.repository || call.github.repository;
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository))
      throw fail(`input 'repository' must be owner/name, got ${JSON.stringify(repository)}`);
    const source = Object.entries(repositories).find(
      ([name]) => name.toLowerCase() === repository.toLowerCase(),
    )?.[1];
    if (!source)
      throw fail(`no local repository for ${repository} (the real action would clone it from GitHub)`);
    // the real action checks out github.sha for the workflow's repository, else the default branch
    const ref =
      call.with.ref ||
      (repository.toLowerCase() === call.github.repository.toLowerCase() ? call.github.sha : 'HEAD');
    if (/\s/.test(ref)) throw fail(`input 'ref' must be a ref or SHA, got ${JSON.stringify(ref)}`);
    const path = call.with.path ?? '';
    const target = resolve(call.workspace, path);
    if (isAbsolute(path) || relative(call.workspace, target).startsWith('..'))
      throw fail(`input 'path' must be a folder under the workspace, got ${JSON.stringify(path)}`);
    const persistCredentials = booleanInput(call, 'persist-credentials', true);
    const cone = booleanInput(call, 'sparse-checkout-cone-mode', true);
    const depth = call.with['fetch-depth'] ?? '1';
    if (depth !== '1') throw fail(`not supported by the local runner: fetch-depth ${depth}`);
    for (const key of ['submodules', 'lfs', 'ssh-key', 'filter'] as const) {
      if (call.with[key] && call.with[key] !== 'false')
        throw fail(`not supported by the local runner: input '${key}'`);
    }
    const sparse = (call.with['sparse-checkout'] ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    if (!cone && sparse.length > 0)
      throw fail('not supported by the local runner: sparse-checkout-cone-mode false');
    const token = call.with.token ?? call.github.token;
    if (!token) throw fail("input 'token' is empty");

    mkdirSync(target, { recursive: true });
    if (existsSync(resolve(target, '.git')) || readdirSync(target).length > 0)
      throw fail(`not supported by the local runner: checking out into a non-empty folder ${path || '.'}`);
    git(target, ['init', '-q']);
    // The serving side skips the delta search and compresses lightly: a depth-1 fetch of this
    // repository cannot reuse the source's deltas, so git otherwise spends 0.7 s of CPU per checkout
    // (0.3 s this way) recomputing them for a pack that only crosses a pipe. Same objects, same tree.
    git(target, ['fetch', '-q', '--depth=1', '--no-tags', `--upload-pack=${UPLOAD_PACK}`, source, ref]);
    if (sparse.length > 0) git(target, ['sparse-checkout', 'set', '--cone', ...sparse]);
    git(target, ['checkout', '-q', '--detach', 'FETCH_HEAD']);
    const commit = git(target, ['rev-parse', 'HEAD']);
    if (persistCredentials) {
      // as the real action: the token stays in .git/config for later git commands of the job
      const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
      git(target, [
        'config',
        '--local',
        `http.${call.github.serverUrl}/.extraheader`,
        `AUTHORIZATION: basic ${basic}`,
      ]);
    }
    calls.push({ repository, ref, commit, path: target, sparse, persistCredentials, token });
    return {
      outputs: { ref, commit },
      log: [`Checked out ${repository}@${ref} (${commit}) into ${target}`],
    };
  };
  return { standIn, calls };
}
