/**
 * One pin-check run as the CLI and the action both do it: load the policy,
 * scan, optionally go online (GitHub API) for extra findings, optionally fix
 * files in place and scan again.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '@slipway/core';
import { pinCheck, type PinCheckResult, type TreeScanner } from './check.ts';
import { ActionMetadataFetcher } from './action-metadata.ts';
import { createGitHubApi, type GitHubApi } from './github-api.ts';
import { createOnlineChecker } from './online-check.ts';
import { readPinnedReleases, ReleaseFetcher } from './pinned-releases.ts';
import { planFixes, type FixPlan } from './fix-plan.ts';
import {
  compilePolicy,
  DEFAULT_POLICY_PATH,
  emptyPolicy,
  mergePolicies,
  parsePolicy,
  type Policy,
} from './policy.ts';
import { RefCache } from './ref-cache.ts';
import { RepoRefsFetcher } from './repo-refs.ts';
import { RefResolver } from './resolve-refs.ts';
import { writeFixes } from './write-fixes.ts';

export interface RunPinCheckOptions {
  root: string;
  paths: readonly string[];
  /** Policy file relative to root; when undefined the default path is used if it exists. */
  policyFile?: string;
  /** Flags that add to the file's policy. */
  extraPolicy?: Policy;
  online: boolean;
  fix: boolean;
  update: boolean;
  major: boolean;
  token?: string;
  apiUrl: string;
  graphqlUrl: string;
  /** Where apiUrl came from, for error hints (default `GITHUB_API_URL`; the CLI passes `--api-url`). */
  apiUrlSource?: string;
  cacheFile?: string;
  cacheTtlMs: number;
  /**
   * Who the cache answers for (see RefCache): the workflow in Actions; by default the checked
   * folder. Reachability verdicts cached in another scope are checked again.
   */
  cacheScope?: string;
  /** Time one GitHub request may take (default 30 s). */
  requestTimeoutMs?: number;
  /** Retries of a 5xx or a request without response (default 3, see @slipway/github). */
  retries?: number;
  /** Length of a retry-after "second" and of the retry plugin's waits (tests shorten it). */
  retryAfterUnitMs?: number;
  /** Reads and scans the files (default: on this thread). */
  scanner?: TreeScanner;
  /** Replaces the GitHub client (tests). */
  api?: GitHubApi;
  log?: (message: string) => void;
  /** Today, for policy exceptions that expire (default: the system clock). */
  now?: Date;
  /** Levels of nested actions the online transitive check reads (default 5). */
  nestedDepth?: number;
  /**
   * With update: only move pins to tags made at least this long ago (cooldown). Default: the
   * policy's `min-release-age`, else 0.
   */
  minReleaseAgeMs?: number;
}

export interface RunPinCheckResult extends PinCheckResult {
  plan?: FixPlan;
  /** GraphQL requests made (cache hits excluded). */
  graphqlRequests: number;
  /** REST requests for releases (cache hits excluded). */
  releaseRequests: number;
  policyFile?: string;
}

export function loadPolicy(root: string, policyFile: string | undefined): { policy: Policy; file?: string } {
  const file = policyFile ?? DEFAULT_POLICY_PATH;
  const path = resolve(root, file);
  if (!existsSync(path)) {
    if (policyFile !== undefined) throw new UserError(`policy file ${policyFile} does not exist`);
    return { policy: emptyPolicy() };
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`policy file ${file} cannot be read`, { cause: error });
  }
  return { policy: parsePolicy(text, file), file };
}

export async function runPinCheck(options: RunPinCheckOptions): Promise<RunPinCheckResult> {
  const loaded = loadPolicy(options.root, options.policyFile);
  const policy = mergePolicies(loaded.policy, options.extraPolicy ?? emptyPolicy());
  const needsApi = options.online || options.fix || options.update;
  if (needsApi && !options.api && !options.token) {
    throw new UserError(
      `${options.fix || options.update ? 'fix mode' : 'online mode'} needs a GitHub token`,
      {
        hint: 'Set GITHUB_TOKEN (or GH_TOKEN) to a token that can read the repositories your workflows use.',
      },
    );
  }
  const api = needsApi
    ? (options.api ??
      createGitHubApi({
        token: options.token as string,
        apiUrl: options.apiUrl,
        graphqlUrl: options.graphqlUrl,
        ...(options.apiUrlSource ? { apiUrlSource: options.apiUrlSource } : {}),
        ...(options.log ? { log: options.log } : {}),
        ...(options.retries !== undefined ? { retries: options.retries } : {}),
        ...(options.retryAfterUnitMs !== undefined ? { retryAfterUnitMs: options.retryAfterUnitMs } : {}),
        ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
      }))
    : undefined;
  const cache = api
    ? new RefCache(options.cacheFile, {
        ttlMs: options.cacheTtlMs,
        scope: options.cacheScope ?? `local:${resolve(options.root)}`,
      })
    : undefined;
  const resolver = api ? new RefResolver(api, cache) : undefined;
  const repoRefs = api ? new RepoRefsFetcher(api, cache) : undefined;
  const metadata = api ? new ActionMetadataFetcher(api, cache) : undefined;
  const releases = api && options.online ? new ReleaseFetcher(api, cache) : undefined;
  const online =
    api && options.online
      ? {
          ...createOnlineChecker({
            api,
            resolver: resolver!,
            repoRefs: repoRefs!,
            metadata: metadata!,
            allows: compilePolicy(policy, options.now).allows,
            ...(options.nestedDepth !== undefined ? { maxDepth: options.nestedDepth } : {}),
            ...(cache ? { cache } : {}),
          }),
          releases: (sites: Parameters<typeof readPinnedReleases>[0]) =>
            readPinnedReleases(sites, { resolver: resolver!, repoRefs: repoRefs!, releases: releases! }),
        }
      : undefined;
  const base = {
    root: options.root,
    paths: options.paths,
    policy,
    ...(options.scanner ? { scanner: options.scanner } : {}),
    ...(options.now ? { now: options.now } : {}),
  };

  let plan: FixPlan | undefined;
  if (options.fix || options.update) {
    const before = await pinCheck(base);
    const minAgeMs = options.minReleaseAgeMs ?? policy.minReleaseAgeMs;
    plan = await planFixes(before.files, resolver!, repoRefs!, {
      update: options.update,
      major: options.major,
      ...(minAgeMs ? { releaseAge: { minAgeMs, now: options.now ?? new Date() } } : {}),
    });
    writeFixes(options.root, plan);
  }
  try {
    const result = await pinCheck(online ? { ...base, online } : base);
    return {
      ...result,
      ...(plan ? { plan } : {}),
      ...(loaded.file ? { policyFile: loaded.file } : {}),
      graphqlRequests: (resolver?.requests ?? 0) + (repoRefs?.requests ?? 0) + (metadata?.requests ?? 0),
      releaseRequests: releases?.requests ?? 0,
    };
  } finally {
    cache?.save();
  }
}
