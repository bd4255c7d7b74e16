import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts', 'actions/*/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most files wait on the processes and servers they start (bundles, real programs, doubles), so
    // more files than cores run side by side: vitest's default (cores - 1) ran one file at a time on a
    // 2-core machine, at about one busy core.
    maxWorkers: Math.max(3, availableParallelism()),
    // one temporary folder per run, removed at the end (test/global-tmp.ts)
    globalSetup: ['./test/global-tmp.ts'],
    // workflow commands that in-process @actions/* calls print are shown only for a failing test
    setupFiles: ['./test/harness/quiet-workflow-commands.ts'],
    // the default output, then how many tests ran real programs and the plain `N passed, N failed` line
    reporters: ['default', './test/reporters/summary-reporter.ts'],
  },
});
