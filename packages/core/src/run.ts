import * as core from '@actions/core';
import { UserError, errorMessage } from './errors.ts';

/** The slice of @actions/core that `run()` uses; tests pass a recorder instead. */
export interface FailureReporter {
  setFailed(message: string): void;
  warning(message: string): void;
  isDebug(): boolean;
}

export const actionsCoreReporter: FailureReporter = {
  setFailed: (message) => core.setFailed(message),
  warning: (message) => core.warning(message),
  isDebug: () => core.isDebug(),
};

export const BUG_REPORT_HINT =
  'This is a bug in Slipway, not in your workflow. Please open an issue in the Slipway repository with this log';

/** Formats a thrown value as the single message the job shows. */
export function formatFailure(value: unknown, debug: boolean): string {
  if (value instanceof UserError) {
    const lines = [value.message];
    if (value.hint) lines.push(value.hint);
    if (debug && value.stack) lines.push(value.stack);
    return lines.join('\n');
  }
  const lines = [`Unexpected error: ${errorMessage(value)}`, BUG_REPORT_HINT];
  if (debug) {
    if (value instanceof Error && value.stack) lines.push(value.stack);
  } else {
    lines.push('Re-run the job with debug logging (ACTIONS_STEP_DEBUG=true) to see the stack trace.');
  }
  return lines.join('\n');
}

/**
 * Runs an action's main step. Whatever `main` throws (an Error, a string, an
 * object, undefined) ends in exactly one `setFailed` call; nothing escapes as an
 * unhandled rejection. Returns true on success.
 */
export async function run(
  main: () => Promise<void> | void,
  reporter: FailureReporter = actionsCoreReporter,
): Promise<boolean> {
  try {
    await main();
    return true;
  } catch (thrown) {
    reporter.setFailed(formatFailure(thrown, reporter.isDebug()));
    return false;
  }
}

/**
 * Runs a post step. Post steps clean up; they must never fail the job, so any
 * thrown value becomes a warning.
 */
export async function runPost(
  post: () => Promise<void> | void,
  reporter: FailureReporter = actionsCoreReporter,
): Promise<boolean> {
  try {
    await post();
    return true;
  } catch (thrown) {
    reporter.warning(`Clean-up did not complete: ${formatFailure(thrown, reporter.isDebug())}`);
    return false;
  }
}
