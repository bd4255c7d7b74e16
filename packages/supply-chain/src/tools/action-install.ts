/**
 * installTool wired to the runner, for actions: @actions/core logging, the
 * runner's tool cache, @actions/cache (or DirectoryCache when SLIPWAY_CACHE_DIR
 * is set; never restored in a job that can mint an OIDC token), and two environment variables for mirrors and air-gapped setups:
 *   SLIPWAY_RELEASES_URL  server root that serves `<owner>/<repo>/releases/download/...`
 *                         in place of https://github.com (a mirror, GHES, or a test double)
 *   SLIPWAY_TOOLS_LOCK    path to a tools.lock.json used instead of the committed one
 *                         (assets rebuilt for a mirror have other digests)
 */
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { UserError } from '@slipway/core';
import { installToolWithReport, releaseBaseUrl, type InstalledTool } from './install.ts';
import { parseToolsLock } from './lock-file.ts';
import { createReleaseHttp } from './release-download.ts';
import { runnerPlatform, type ToolName } from './tool-assets.ts';
import {
  actionsToolDirectoryCache,
  persistentCacheFromEnv,
  type CacheLog,
  type PersistentCache,
} from './tool-caches.ts';

/** @actions/core as the log of the cross-run caches. */
export const coreCacheLog: CacheLog = {
  info: (line) => core.info(line),
  notice: (line) => core.notice(line),
  warning: (line) => core.warning(line),
};

export interface ActionInstallRequest {
  tool: ToolName;
  version?: string;
  allowUnverified?: boolean;
  /** The `releases-url` input; SLIPWAY_RELEASES_URL when unset. */
  releasesUrl?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * The cross-run cache of the verified archive; default persistentCacheFromEnv(env) in `auto`
   * mode (never restored in a job that can mint an OIDC token).
   */
  cache?: PersistentCache;
}

export async function installForAction(request: ActionInstallRequest): Promise<InstalledTool> {
  const env = request.env ?? process.env;
  const releasesRoot = request.releasesUrl ?? (env.SLIPWAY_RELEASES_URL?.trim() || undefined);
  const lockPath = env.SLIPWAY_TOOLS_LOCK?.trim();
  let lock;
  if (lockPath) {
    let text: string;
    try {
      text = readFileSync(lockPath, 'utf8');
    } catch (error) {
      throw new UserError(
        `SLIPWAY_TOOLS_LOCK points at ${lockPath}, which cannot be read: ${(error as Error).message}`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new UserError(`SLIPWAY_TOOLS_LOCK: ${lockPath} is not JSON (${(error as Error).message}).`);
    }
    lock = parseToolsLock(parsed, lockPath);
    core.info(`Using the tool lock file ${lockPath} (SLIPWAY_TOOLS_LOCK).`);
  }
  const { platform, arch } = runnerPlatform();
  const result = await installToolWithReport({
    tool: request.tool,
    ...(request.version ? { version: request.version } : {}),
    platform,
    arch,
    ...(releasesRoot ? { baseUrl: releaseBaseUrl(request.tool, releasesRoot) } : {}),
    http: createReleaseHttp(),
    cache: request.cache ?? persistentCacheFromEnv(env, coreCacheLog),
    toolCache: actionsToolDirectoryCache,
    log: { info: (line) => core.info(line), warning: (line) => core.warning(line) },
    ...(lock ? { lock } : {}),
    allowUnverified: request.allowUnverified ?? false,
  });
  core.info(
    `${request.tool} ${result.version}: ${result.source}, ${result.bytesDownloaded} bytes downloaded.`,
  );
  return result;
}
