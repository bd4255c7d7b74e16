/**
 * Keeps pin-check's lookup cache file in the Actions cache between runs. The
 * cache only saves requests: when the service is unavailable or fails, the run
 * goes on with a warning.
 *
 * Restoring extracts a tar archive (absolute paths allowed) before anything in
 * it can be checked, and the service matches a key as a prefix too. So: one
 * exact key per workflow, API server and TTL period, no restore keys; a lookup
 * without download first, and the download only when that lookup matched the
 * key exactly; and no restore at all in a job that can request OIDC tokens.
 * What is restored is checked again by RefCache (timestamps, scope).
 */
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { jobCanMintIdToken } from '@slipway/core';
import * as core from '@actions/core';

type ActionsCache = typeof import('@actions/cache');

/**
 * @actions/cache (with the Azure storage SDK, about 0.7 MB of the bundle) when
 * the runner offers a cache service, else undefined without loading it: both
 * service versions need one of these variables (isFeatureAvailable decides
 * which), so a run outside Actions, or a local one, never reads that code.
 */
async function cacheService(env: NodeJS.ProcessEnv): Promise<ActionsCache | undefined> {
  if (!env.ACTIONS_CACHE_URL && !env.ACTIONS_RESULTS_URL) return undefined;
  const cache = await import('@actions/cache');
  return cache.isFeatureAvailable() ? cache : undefined;
}

const KEY_PREFIX = 'slipway-pin-check-refs-v2-';

/** The workflow this run belongs to (a reusable workflow's caller), or the repository. */
export function refCacheScope(env: NodeJS.ProcessEnv): string {
  if (env.GITHUB_WORKFLOW_REF) return `workflow:${env.GITHUB_WORKFLOW_REF}`;
  return `workflow:${env.GITHUB_REPOSITORY ?? 'local'}/${env.GITHUB_WORKFLOW ?? ''}`;
}

/** The exact key for the scope and API server in the current TTL period; undefined without a TTL. */
export function refCacheKey(scope: string, apiUrl: string, ttlMs: number, now: number): string | undefined {
  if (ttlMs <= 0) return undefined;
  const who = createHash('sha256').update(`${apiUrl}\n${scope}`).digest('hex').slice(0, 32);
  return `${KEY_PREFIX}${who}-${Math.floor(now / ttlMs)}`;
}

/** True when the entry for `key` was restored. */
export async function restoreRefCache(file: string, key: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const cache = await cacheService(env);
  if (!cache) return false;
  if (jobCanMintIdToken(env)) {
    core.info(
      'Not restoring cached GitHub lookups: this job can request OIDC tokens (id-token: write), and a restore unpacks the archive before it can be checked. Run pin-check in a job without id-token: write to use the cache.',
    );
    return false;
  }
  try {
    const matched = await cache.restoreCache([dirname(file)], key, [], { lookupOnly: true });
    if (matched !== key) {
      core.info(matched ? `Ignoring cache ${matched}: it is not ${key}` : 'No cached GitHub lookups yet');
      return false;
    }
    const hit = await cache.restoreCache([dirname(file)], key, []);
    if (hit !== key) {
      // another entry won between the lookup and the download: do not read what it unpacked
      rmSync(file, { force: true });
      if (hit) core.warning(`Ignoring cache ${hit}: it is not ${key}`);
      return false;
    }
    core.info(`Restored GitHub lookups from cache ${hit}`);
    return true;
  } catch (error) {
    core.warning(`Could not restore the lookup cache: ${(error as Error).message}`);
    return false;
  }
}

export async function saveRefCache(file: string, key: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (!existsSync(file)) return;
  const cache = await cacheService(env);
  if (!cache) return;
  try {
    await cache.saveCache([dirname(file)], key);
  } catch (error) {
    core.warning(`Could not save the lookup cache: ${(error as Error).message}`);
  }
}
