/**
 * installTfTool wired to the runner: @actions/core logging, the runner's tool
 * cache, the cross-run cache of supply-chain (SLIPWAY_CACHE_DIR or @actions/cache
 * under its OIDC-aware policy), and for mirrors and tests:
 *   SLIPWAY_RELEASES_URL     server root serving `opentofu/opentofu/releases/download/...`
 *                            and `terraform/<v>/...` in place of github.com / releases.hashicorp.com
 *   SLIPWAY_TF_TOOLS_LOCK    path to a tf-tools.lock.json used instead of the committed one
 */
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { UserError } from '@slipway/core';
import {
  actionsToolDirectoryCache,
  coreCacheLog,
  createReleaseHttp,
  persistentCacheFromEnv,
  runnerPlatform,
} from '@slipway/supply-chain/tools';
import { installTfTool, type InstalledTf } from './install-tf.ts';
import { parseTfToolsLock } from './tf-lock.ts';
import { downloadRootFor, type TfTool } from './tf-releases.ts';

export async function installTfForAction(
  tool: TfTool,
  version: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<InstalledTf> {
  const lockPath = env.SLIPWAY_TF_TOOLS_LOCK?.trim();
  let lock;
  if (lockPath) {
    try {
      lock = parseTfToolsLock(JSON.parse(readFileSync(lockPath, 'utf8')), lockPath);
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(
        `SLIPWAY_TF_TOOLS_LOCK: ${lockPath} cannot be read as JSON (${(error as Error).message}).`,
      );
    }
    core.info(`Using the tool lock file ${lockPath} (SLIPWAY_TF_TOOLS_LOCK).`);
  }
  const mirror = env.SLIPWAY_RELEASES_URL?.trim();
  const { platform, arch } = runnerPlatform();
  return installTfTool({
    tool,
    ...(version ? { version } : {}),
    platform,
    arch,
    ...(mirror ? { downloadRoot: downloadRootFor(tool, mirror) } : {}),
    http: createReleaseHttp(),
    cache: persistentCacheFromEnv(env, coreCacheLog),
    toolCache: actionsToolDirectoryCache,
    log: { info: (line) => core.info(line), warning: (line) => core.warning(line) },
    ...(lock ? { lock } : {}),
  });
}
