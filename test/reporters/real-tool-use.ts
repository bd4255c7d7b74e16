/**
 * Which test files ran a real program: `realTool()` (test/real-tools.ts) records the file that asked
 * for one in a folder the summary reporter creates before the test processes start (they inherit its
 * path through the environment), so the run's summary can say how many tests used real programs.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const REAL_TOOL_LOG_ENV = 'SLIPWAY_REAL_TOOL_LOG';

/** Records that `testFile` used `tool`; a no-op outside a run with the summary reporter. */
export function recordRealToolUse(testFile: string | undefined, tool: string, env = process.env): void {
  const dir = env[REAL_TOOL_LOG_ENV];
  if (!dir || !testFile) return;
  mkdirSync(dir, { recursive: true });
  const name = createHash('sha256').update(testFile).digest('hex').slice(0, 16);
  appendFileSync(join(dir, name), `${tool}\t${testFile}\n`);
}
