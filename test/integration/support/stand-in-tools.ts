/**
 * Setup shared by the integration tests of the actions that install a tool from
 * the release double and run its stand-in (sbom: syft, trivy-scan: trivy): one
 * release double for the file, and for every test a fresh simulated runner, a
 * fresh workspace and zeroed request counters.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import {
  simulatedRunner,
  startToolReleases,
  type SimulatedRunner,
  type ToolReleases,
} from '../../doubles/release-assets/action-env.ts';

export interface StandInToolsSetup {
  tools: ToolReleases;
  /** Fresh for each test. */
  runner: SimulatedRunner;
  /** A new temporary directory for each test. */
  workspace: string;
}

/**
 * Registers the hooks and returns the object they fill in: read its fields
 * inside tests, not at collection time.
 */
export function useStandInTools(workspacePrefix: string): StandInToolsSetup {
  const setup = {} as StandInToolsSetup;
  beforeAll(async () => {
    setup.tools = await startToolReleases();
  });
  afterAll(() => setup.tools.server.close());
  beforeEach(() => {
    setup.runner = simulatedRunner(setup.tools);
    setup.workspace = mkdtempSync(join(tmpdir(), workspacePrefix));
    setup.tools.server.resetCounters();
  });
  return setup;
}
