/**
 * Vitest setup file (vitest.config.ts `setupFiles`): keeps workflow commands out of the test log.
 *
 * Bundles run through the harness print to a pipe the harness reads, but tests that call
 * @actions/cache, @actions/tool-cache or @actions/artifact in-process make those libraries write
 * `::debug::`, `::warning::` and `::error::` lines straight to the test process's stdout, where
 * they look like problems of the run itself. This file holds such lines back per test and prints
 * them (to stderr, under a heading) only when that test fails; every other write passes through.
 */
import { afterAll, beforeEach } from 'vitest';
import { holdWorkflowCommands } from './workflow-command-filter.ts';

const held = holdWorkflowCommands(process.stdout);
// files share their worker (isolate: false) and this file runs before each of them: unwrap at the
// end of a file, so the next one does not wrap the wrapper
afterAll(() => held.restore());

beforeEach(({ onTestFailed, task }) => {
  held.clear();
  onTestFailed(() => {
    const lines = held.take();
    if (lines.length > 0)
      process.stderr.write(
        `[workflow commands printed by "${task.name}"]\n${lines.join('')}[end of workflow commands]\n`,
      );
  });
});
