/**
 * Wiring for action-level tests: the release double serving stand-in trivy,
 * syft and cosign releases, a lock file for them (SLIPWAY_TOOLS_LOCK), and the
 * environment a run needs (SLIPWAY_RELEASES_URL, an on-disk cross-run cache,
 * stable RUNNER_TEMP as on hosted runners, an argv log of the stand-ins).
 */
import { mkdirSync, mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRelease, lockFor, type BuiltRelease } from './release-assets.ts';
import { startReleaseServer, type ReleaseServer } from './release-server.ts';

export interface ToolReleases {
  server: ReleaseServer;
  releases: BuiltRelease[];
  lockPath: string;
}

export async function startToolReleases(): Promise<ToolReleases> {
  const releases = [
    buildRelease('trivy', '0.74.0'),
    buildRelease('syft', '1.51.0'),
    buildRelease('cosign', '3.1.3'),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'tool-releases-'));
  const lockPath = join(dir, 'tools.lock.json');
  writeFileSync(lockPath, JSON.stringify(lockFor(releases), null, 2));
  return { server: await startReleaseServer(releases), releases, lockPath };
}

/** One simulated runner: its cross-run cache and RUNNER_TEMP survive between runs, the tool cache does not. */
export interface SimulatedRunner {
  root: string;
  argvLog: string;
  /** Env for one run (a fresh RUNNER_TOOL_CACHE each call, as for a new job). */
  env(extra?: Record<string, string>): Record<string, string>;
  /** The stand-ins' argv, one entry per call, since the last `clearArgv()`. */
  calls(): { tool: string; argv: string[] }[];
  clearArgv(): void;
}

export function simulatedRunner(tools: ToolReleases): SimulatedRunner {
  const root = mkdtempSync(join(tmpdir(), 'sim-runner-'));
  const argvLog = join(root, 'argv.jsonl');
  let job = 0;
  mkdirSync(join(root, 'temp'), { recursive: true });
  return {
    root,
    argvLog,
    env: (extra = {}) => ({
      SLIPWAY_RELEASES_URL: tools.server.url,
      SLIPWAY_TOOLS_LOCK: tools.lockPath,
      SLIPWAY_CACHE_DIR: join(root, 'actions-cache'),
      RUNNER_TEMP: join(root, 'temp'),
      RUNNER_TOOL_CACHE: join(root, `tool-cache-${++job}`),
      STANDIN_ARGV_LOG: argvLog,
      ...extra,
    }),
    calls: () =>
      existsSync(argvLog)
        ? readFileSync(argvLog, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { tool: string; argv: string[] })
        : [],
    clearArgv: () => writeFileSync(argvLog, ''),
  };
}
