/**
 * The end of a job: the post steps of local actions (`runs.post`), in the reverse order of their
 * main steps, as the GitHub runner runs them. Each sees the job's status at that point for its
 * `post-if` (default `always()`), main's STATE_* and inputs, and the job's environment at the end
 * of the job (exports of every later step, a post's own exports for the posts after it) plus its
 * step's `env:`. A post step whose `post-if` is false is recorded as skipped; a failed one fails
 * the job. Records are named as GitHub shows them: "Post <step name>".
 */
import { skippedRecord, type DeferredPostStep, type StepRecord } from './job-step.ts';

export interface PostStepsOptions {
  /** In the order their main steps ran. */
  deferred: DeferredPostStep[];
  /** Index of the first post record (the number of main steps). */
  firstIndex: number;
  status: () => 'success' | 'failure';
  /** The job's environment now (runner, workflow/job env, exports, PATH additions applied). */
  jobEnv: () => Record<string, string>;
  /** Epoch ms when the job's timeout-minutes run out. */
  deadline: number;
  /** Called after each post step ran, so the job absorbs its exports and masks before the next. */
  absorb: (record: StepRecord) => void;
}

export async function runPostSteps(options: PostStepsOptions): Promise<StepRecord[]> {
  const records: StepRecord[] = [];
  for (const [offset, { main, post, stepEnv }] of [...options.deferred].reverse().entries()) {
    const record = skippedRecord({
      index: options.firstIndex + offset,
      name: `Post ${main.name}`,
      kind: 'local-action',
      stage: 'post',
      ...(main.uses ? { uses: main.uses } : {}),
      with: main.with,
      env: main.env,
    });
    const result = await post.run({
      status: options.status(),
      env: { ...options.jobEnv(), ...stepEnv },
      timeoutMs: Math.max(1, options.deadline - Date.now()),
    });
    if (result) {
      const failed = result.exitCode !== 0;
      Object.assign(record, {
        ...(main.node ? { node: main.node } : {}),
        exitCode: result.exitCode,
        outcome: failed ? 'failure' : 'success',
        conclusion: failed ? 'failure' : 'success',
        exported: result.env,
        path: result.path,
        masks: result.masks,
        annotations: result.annotations,
        summary: result.summary,
        log: result.log,
      });
    }
    records.push(record);
    options.absorb(record);
  }
  return records;
}
