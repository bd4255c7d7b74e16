// cosignRuntimeForAction against the release double serving the real cosign (lock file with its sha256):
// it installs into the runner's tool cache, runs cosign with the job's environment, and puts temporary
// files under RUNNER_TEMP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startToolReleases, type ToolReleases } from '../../../../test/doubles/release-assets/action-env.ts';
import {
  realCosignJobEnv,
  serveRealCosign,
  type RealCosign,
} from '../../../../test/integration/support/real-cosign.ts';
import { cosignRuntimeForAction, runnerTempDir } from './cosign-runtime.ts';

let tools: ToolReleases;
let cosign: RealCosign;
const runnerRoot = mkdtempSync(join(tmpdir(), 'cosign-runtime-'));
const savedToolCache = process.env.RUNNER_TOOL_CACHE;

beforeAll(async () => {
  tools = await startToolReleases();
  cosign = serveRealCosign(tools);
});
afterAll(async () => {
  await tools?.server.close();
  if (savedToolCache === undefined) delete process.env.RUNNER_TOOL_CACHE;
  else process.env.RUNNER_TOOL_CACHE = savedToolCache;
  rmSync(runnerRoot, { recursive: true, force: true });
});

describe('cosignRuntimeForAction', () => {
  it('installs the locked cosign into the tool cache and runs it with the job environment', async () => {
    const env = realCosignJobEnv(cosign, tools, runnerRoot, { SLIPWAY_MARKER: 'job-value' });
    process.env.RUNNER_TOOL_CACHE = env.RUNNER_TOOL_CACHE; // @actions/tool-cache reads it from process.env
    const masked: string[] = [];
    const runtime = await cosignRuntimeForAction({
      version: cosign.version,
      env: { ...env, UNSET_VARIABLE: undefined },
      mask: (value) => masked.push(value),
    });
    expect(runtime.cosignPath.startsWith(env.RUNNER_TOOL_CACHE!)).toBe(true);
    expect(runtime.tempDir).toBe(env.RUNNER_TEMP);
    expect(runtime.env.SLIPWAY_MARKER).toBe('job-value');
    expect('UNSET_VARIABLE' in runtime.env).toBe(false);
    runtime.mask?.('s3cret');
    expect(masked).toEqual(['s3cret']);

    const version = await runtime.exec(runtime.cosignPath, ['version'], { env: runtime.env });
    expect(version.exitCode).toBe(0);
    expect(version.stdout + version.stderr).toContain(cosign.version);
    // a failing run is returned with its exit code, for cosign-engine.ts to explain
    const failed = await runtime.exec(runtime.cosignPath, ['no-such-command'], { env: runtime.env });
    expect(failed.exitCode).not.toBe(0);
  });

  it('refuses a cosign version that is neither locked nor signed, naming it', async () => {
    const env = realCosignJobEnv(cosign, tools, runnerRoot);
    process.env.RUNNER_TOOL_CACHE = env.RUNNER_TOOL_CACHE;
    await expect(cosignRuntimeForAction({ version: '9.9.9', env })).rejects.toThrow(/9\.9\.9/);
  });
});

describe('runnerTempDir', () => {
  it('is RUNNER_TEMP, else the folder above the workspace', () => {
    expect(runnerTempDir({ RUNNER_TEMP: '/runner/_temp' })).toBe('/runner/_temp');
    expect(runnerTempDir({ GITHUB_WORKSPACE: '/runner/work/repo' })).toBe('/runner/work');
    expect(runnerTempDir({}, '/home/me/repo')).toBe('/home/me');
  });
});
