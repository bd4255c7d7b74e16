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
    // Test files share their worker process instead of starting one each: on a 2-core machine the
    // fresh process and module graph per file cost about a sixth of the suite's CPU. What a file may
    // change in the process (environment, working directory, exit code, stdout's write) is put back
    // after it by the setup files below.
    isolate: false,
    // one temporary folder per run, removed at the end (test/global-tmp.ts)
    globalSetup: ['./test/global-tmp.ts'],
    // workflow commands that in-process @actions/* calls print are shown only for a failing test
    setupFiles: ['./test/harness/file-state.ts', './test/harness/quiet-workflow-commands.ts'],
    // the default output, then how many tests ran real programs and the plain `N passed, N failed` line
    reporters: ['default', './test/reporters/summary-reporter.ts'],
  },
});
