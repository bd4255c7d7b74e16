import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts', 'actions/*/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // one temporary folder per run, removed at the end (test/global-tmp.ts)
    globalSetup: ['./test/global-tmp.ts'],
    // workflow commands that in-process @actions/* calls print are shown only for a failing test
    setupFiles: ['./test/harness/quiet-workflow-commands.ts'],
    // the default output, then how many tests ran real programs and the plain `N passed, N failed` line
    reporters: ['default', './test/reporters/summary-reporter.ts'],
  },
});
