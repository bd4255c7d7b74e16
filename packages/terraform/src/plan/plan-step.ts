/**
 * One tf-plan step, from validated inputs to outputs: plan with the verified
 * binary, redact, write the redacted plan JSON, render the job summary and the
 * pull request comment from it, and post the comment (edited in place). All I/O
 * comes in through `PlanStepIO`, so a test can run the whole step with plain values.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '@slipway/core';
import type { ProgramRunner } from '@slipway/supply-chain/tools';
import type { GitHubClient } from '@slipway/github';
import type { RootModuleTarget } from '../inputs/root-module-inputs.ts';
import { planCommentMarker } from '../render/comment-marker.ts';
import { upsertPlanComment, type PostedComment } from '../render/plan-comment.ts';
import {
  COMMENT_BUDGET,
  SUMMARY_BUDGET,
  renderPlanError,
  renderPlanMarkdown,
  type PlanMeta,
} from '../render/plan-markdown.ts';
import { redactPlanJson, scrubText, type Secrets } from '../render/redaction.ts';
import { planChanges, type PlanChanges } from './plan-changes.ts';
import { runPlan, type PlanExitCode } from './run-plan.ts';

export interface PlanStepRequest extends RootModuleTarget {
  /** Where the plan file and the redacted plan JSON are written. */
  outputDir: string;
  secrets: Secrets;
  /** Set to post the comment; undefined: no comment. */
  comment: { client: GitHubClient; owner: string; repo: string; issueNumber: number } | undefined;
  fullPlanUrl: string | undefined;
}

export interface PlanStepIO {
  run: ProgramRunner;
  summary: (markdown: string) => Promise<void>;
  log: (line: string) => void;
}

export interface PlanStepResult {
  exitcode: PlanExitCode;
  hasChanges: boolean;
  changes: PlanChanges | undefined;
  planDigest: string;
  planFile: string;
  /** The redacted plan JSON file ('' for a failed plan). */
  planJson: string;
  comment: PostedComment | undefined;
}

export class PlanFailedError extends UserError {
  constructor(directory: string, workspace: string) {
    super(
      `The plan of ${directory} (workspace ${workspace}) failed (exit code 1); its errors are in the log, the job summary and the pull request comment.`,
    );
    this.name = 'PlanFailedError';
  }
}

export async function runPlanStep(request: PlanStepRequest, io: PlanStepIO): Promise<PlanStepResult> {
  await mkdir(request.outputDir, { recursive: true });
  const planFile = join(request.outputDir, 'tfplan');
  const run = await runPlan({
    binary: request.binary,
    workingDirectory: request.workingDirectory,
    workspace: request.workspace,
    varFiles: request.varFiles,
    backendConfig: request.backendConfig,
    planFile,
    run: io.run,
  });
  const scrub = (text: string) => scrubText(text, request.secrets);
  const meta: PlanMeta = {
    toolLabel:
      request.tool === 'tofu' ? `OpenTofu ${request.toolVersion}` : `Terraform ${request.toolVersion}`,
    directory: request.directoryLabel,
    workspace: request.workspace,
    exitcode: run.exitcode,
    planDigest: run.planDigest,
    fullPlanUrl: request.fullPlanUrl,
  };
  const marker = planCommentMarker(request.directoryLabel, request.workspace);
  let changes: PlanChanges | undefined;
  let summary: string;
  let body: string;
  let planJsonFile = '';
  if (run.exitcode === 1) {
    const errorText = scrub(run.errorTail);
    summary = renderPlanError(meta, errorText);
    body = renderPlanError(meta, errorText, marker);
  } else {
    const redacted = redactPlanJson(run.planJson, request.secrets);
    planJsonFile = join(request.outputDir, 'tfplan.redacted.json');
    await writeFile(planJsonFile, `${JSON.stringify(redacted)}\n`);
    changes = planChanges(redacted);
    summary = renderPlanMarkdown(changes, meta, SUMMARY_BUDGET);
    body = renderPlanMarkdown(changes, meta, COMMENT_BUDGET, marker);
  }
  // the last guard: whatever was rendered is scrubbed once more as a whole
  await io.summary(scrub(summary));
  let comment: PostedComment | undefined;
  if (request.comment) {
    const { client, owner, repo, issueNumber } = request.comment;
    comment = await upsertPlanComment(client, { owner, repo, issueNumber, marker }, scrub(body));
    io.log(`Plan comment ${comment.action}: ${comment.url}`);
  }
  return {
    exitcode: run.exitcode,
    hasChanges: run.hasChanges,
    changes,
    planDigest: run.planDigest ?? '',
    planFile: run.planFile ?? '',
    planJson: planJsonFile,
    comment,
  };
}
