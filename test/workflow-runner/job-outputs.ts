/**
 * A job's outputs, evaluated after its last step (an output that contains a masked value is
 * dropped with the runner's warning), then the `on.workflow_call.outputs` that read them through
 * the `jobs` context; those that read a job this run did not run are listed as unavailable.
 */
import { interpolate, type ExpressionContext } from '../harness/expressions.ts';
import { JobNotRunError } from './job-context.ts';

export interface OutputsInput {
  jobOutputs: Record<string, string>;
  workflowOutputs: Record<string, { value: string }>;
  context: (where: string) => ExpressionContext;
  /** Publishes this job's outputs in the `jobs` context before the workflow outputs are read. */
  setJobs: (outputs: Record<string, string>) => void;
  masks: readonly string[];
  warnings: string[];
}

export function computeOutputs(input: OutputsInput): {
  outputs: Record<string, string>;
  workflowOutputs: Record<string, string>;
  workflowOutputsUnavailable: Record<string, string>;
} {
  const outputs: Record<string, string> = {};
  for (const [name, expression] of Object.entries(input.jobOutputs)) {
    const output = interpolate(expression, input.context(`outputs.${name}`));
    if (input.masks.some((m) => output.includes(m)))
      input.warnings.push(`Skip output '${name}' since it may contain secret.`);
    else outputs[name] = output;
  }
  input.setJobs(outputs);
  const workflowOutputs: Record<string, string> = {};
  const workflowOutputsUnavailable: Record<string, string> = {};
  for (const [name, spec] of Object.entries(input.workflowOutputs)) {
    try {
      workflowOutputs[name] = interpolate(spec.value, input.context(`on.workflow_call.outputs.${name}`));
    } catch (error) {
      if (!(error instanceof JobNotRunError)) throw error;
      workflowOutputsUnavailable[name] = error.message;
    }
  }
  return { outputs, workflowOutputs, workflowOutputsUnavailable };
}
