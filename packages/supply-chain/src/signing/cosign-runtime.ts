/**
 * The cosign runtime the sign and verify actions share (`engine: cosign`): the cosign binary
 * installed the way every tool is (committed lock file or verified signature, runner tool cache,
 * cross-run cache; tools/action-install.ts), run through @actions/exec with an argv array and the
 * job's environment (ACTIONS_ID_TOKEN_REQUEST_* for keyless signing, DOCKER_CONFIG, HOME with
 * cosign's TUF cache), and key files and bundles under RUNNER_TEMP.
 */
import { resolve } from 'node:path';
import { getExecOutput } from '@actions/exec';
import type { MaskSink } from '@slipway/core';
import { installForAction } from '../tools/action-install.ts';
import type { CosignRuntime, ExecFn } from './cosign-engine.ts';

/** Runs cosign with exactly `options.env`; a non-zero exit is returned for cosign-engine.ts to explain. */
export const execCosign: ExecFn = async (command, args, options) =>
  getExecOutput(command, args, { env: options.env, ignoreReturnCode: true });

/** RUNNER_TEMP, or the folder above the workspace when run outside a runner. */
export function runnerTempDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return env.RUNNER_TEMP ?? resolve(env.GITHUB_WORKSPACE ?? cwd, '..');
}

export interface CosignRuntimeRequest {
  /** The `cosign-version` input; the lock file's default when unset. */
  version?: string | undefined;
  /** The job's environment (default process.env): read for the install, passed whole to cosign. */
  env?: NodeJS.ProcessEnv;
  mask?: MaskSink;
}

/** Installs cosign and returns the runtime cosignSign/cosignVerify run it with. */
export async function cosignRuntimeForAction(request: CosignRuntimeRequest = {}): Promise<CosignRuntime> {
  const env = request.env ?? process.env;
  const cosign = await installForAction({
    tool: 'cosign',
    env,
    ...(request.version ? { version: request.version } : {}),
  });
  return {
    cosignPath: cosign.path,
    exec: execCosign,
    tempDir: runnerTempDir(env),
    env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
    ...(request.mask ? { mask: request.mask } : {}),
  };
}
