/**
 * Keeps pin-check's lookup cache file in the Actions cache between runs. The
 * cache only saves requests: when the service is unavailable or fails, the run
 * goes on with a warning.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import * as cache from '@actions/cache';
import * as core from '@actions/core';

const KEY_PREFIX = 'slipway-pin-check-refs-v1-';

function key(): string {
  return `${KEY_PREFIX}${process.env.GITHUB_RUN_ID ?? 'local'}-${process.env.GITHUB_RUN_ATTEMPT ?? '1'}`;
}

export async function restoreRefCache(file: string): Promise<void> {
  if (!cache.isFeatureAvailable()) return;
  if (process.env.ACTIONS_ID_TOKEN_REQUEST_URL?.trim()) {
    // @actions/cache extracts an entry (tar -P) before anything can check it, and any job of the
    // repository can write one under this key prefix: never in a job that can mint an OIDC token.
    core.notice(
      'The lookup cache is not restored in this job because it can request an OIDC token (id-token: write): ' +
        'an entry any job of this repository can write would be extracted here before it could be checked. ' +
        'GitHub is asked instead; run pin-check in a job without id-token: write to use the cache.',
    );
    return;
  }
  try {
    const hit = await cache.restoreCache([dirname(file)], key(), [KEY_PREFIX]);
    core.info(hit ? `Restored GitHub lookups from cache ${hit}` : 'No cached GitHub lookups yet');
  } catch (error) {
    core.warning(`Could not restore the lookup cache: ${(error as Error).message}`);
  }
}

export async function saveRefCache(file: string): Promise<void> {
  if (!cache.isFeatureAvailable() || !existsSync(file)) return;
  try {
    await cache.saveCache([dirname(file)], key());
  } catch (error) {
    core.warning(`Could not save the lookup cache: ${(error as Error).message}`);
  }
}
