/**
 * Leak check for a whole job run (see findJobLeaks).
 */
import type { JobRunResult } from './run-workflow-job.ts';

/**
 * Every place a secret shows in what the job's steps printed (outside their own ::add-mask::
 * lines) or wrote to the job summary, and every secret never registered as a mask: the job-level
 * counterpart of the harness findLeaks(). Tests assert this is empty.
 */
export function findJobLeaks(result: JobRunResult, secrets: readonly string[]): string[] {
  const leaks: string[] = [];
  const lines = result.rawLog.split(/\r?\n/).filter((line) => !line.startsWith('::add-mask::'));
  for (const secret of secrets.filter(Boolean)) {
    const step = result.steps.find((s) =>
      s.log.split(/\r?\n/).some((l) => !l.startsWith('::add-mask::') && l.includes(secret)),
    );
    if (lines.some((line) => line.includes(secret)))
      leaks.push(`log of '${step?.name}' contains ${secret.slice(0, 4)}…`);
    if (result.summary.includes(secret)) leaks.push(`summary contains ${secret.slice(0, 4)}…`);
    if (!result.masks.includes(secret)) leaks.push(`${secret.slice(0, 4)}… was never masked`);
  }
  return leaks;
}
