/**
 * Ends `vitest run` with two plain lines: how many tests ran a real program (and which programs),
 * then `N passed, N failed[, N skipped]`, the closing line CI reads in any language.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { REAL_TOOL_LOG_ENV } from './real-tool-use.ts';

export default class SummaryReporter implements Reporter {
  private readonly logDir = mkdtempSync(join(tmpdir(), 'slipway-real-tool-log-'));

  constructor() {
    // set before the pool starts its processes, which inherit the environment
    process.env[REAL_TOOL_LOG_ENV] = this.logDir;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const uses = new Map<string, Set<string>>();
    for (const file of readdirSync(this.logDir)) {
      for (const line of readFileSync(join(this.logDir, file), 'utf8').split('\n').filter(Boolean)) {
        const [tool, testFile] = line.split('\t') as [string, string];
        uses.set(testFile, (uses.get(testFile) ?? new Set()).add(tool));
      }
    }
    rmSync(this.logDir, { recursive: true, force: true });
    const counts = { passed: 0, failed: 0, skipped: 0 };
    let real = 0;
    const tools = new Set<string>();
    for (const module of testModules) {
      const used = uses.get(module.moduleId);
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
        if (used && state === 'passed') real++;
      }
      for (const tool of used ?? []) tools.add(tool);
    }
    const files = testModules.filter((m) => uses.has(m.moduleId)).length;
    console.log(
      `\nreal programs: ${real} passing tests in ${files} file${files === 1 ? '' : 's'} ran ${[...tools].sort().join(', ') || 'none'}`,
    );
    console.log(
      `${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`,
    );
  }
}
