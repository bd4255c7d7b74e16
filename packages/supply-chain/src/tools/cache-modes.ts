/**
 * `cache` inputs: `auto` restores from the Actions cache except in a job that can mint an OIDC
 * token, `true` restores there too (with a warning), `false` neither restores nor saves. Its own
 * module, free of @actions/cache, so that an action validates the input before loading the caches.
 */
export const CACHE_MODES = ['auto', 'true', 'false'] as const;
export type CacheMode = (typeof CACHE_MODES)[number];
