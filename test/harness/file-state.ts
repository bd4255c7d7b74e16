/**
 * Vitest setup file (vitest.config.ts `setupFiles`): test files share their worker process
 * (`isolate: false`), so what one file changes in the process must not reach the next one.
 * After each file this puts back the environment variables, the working directory and the exit
 * code as they were when the file started; a file that sets RUNNER_TOOL_CACHE without restoring it
 * no longer decides where a later file's tool cache lives.
 */
import { afterAll } from 'vitest';
import { restoreProcessState, snapshotProcessState } from './process-state.ts';

const before = snapshotProcessState();

afterAll(() => {
  restoreProcessState(before);
});
