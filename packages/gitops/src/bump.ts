/**
 * One bump of the ops repository: read (one GraphQL query), plan the edits, make
 * one commit on the bump branch (or the base with `direct`), and create or update
 * its pull request. When the branch moves under us (another run committed first)
 * the whole read-plan-commit round is repeated with jittered backoff, so
 * concurrent runs each land their change on top of the others'.
 */
import { retry, UserError } from '@slipway/core';
import type { BumpChange } from './change-spec.ts';
import type { GitHubClient } from '@slipway/github';
import { isBranchMoved } from './github-errors.ts';
import { readOpsRepo, type RefSnapshot } from './ops-repo-read.ts';
import { commitFiles, createBranch, resetBranch, type CommitResult } from './ops-repo-write.ts';
import { filesOf, planBump, type BumpPlan, type ValueChange } from './plan.ts';
import { upsertPullRequest, type PullRequestOptions } from './pull-request.ts';
import { changesInBody, mergeChanges, withChangesMarker } from './pull-request-body.ts';
import {
  inputVariables,
  markdownVariables,
  planVariables,
  renderTemplate,
  toBranchName,
  type RunInfo,
} from './templates.ts';
import { unifiedDiff } from './unified-diff.ts';

export interface BumpRequest {
  owner: string;
  repo: string;
  /** Base branch; the repository's default branch when undefined. */
  base?: string;
  changes: readonly BumpChange[];
  direct: boolean;
  templates: { branch: string; commit: string; title: string; body: string };
  run: RunInfo;
  pullRequest: PullRequestOptions;
  /** Commit through the REST Git Data API even when GraphQL createCommitOnBranch exists. */
  preferRest?: boolean;
}

export interface BumpOutcome {
  changed: boolean;
  commit: CommitResult | undefined;
  pullRequest: { number: number; url: string; created: boolean } | undefined;
  branch: string;
  base: string;
  /** Files changed by this run's commit. */
  files: string[];
  /** Values this run's commit moved. */
  changes: ValueChange[];
  diff: string;
  attempts: number;
  warnings: string[];
}

export interface BumpDependencies {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  log?: (message: string) => void;
  /** Attempts and time budget for the read-plan-commit round. */
  maxAttempts?: number;
  totalTimeoutMs?: number;
}

function contentsOf(ref: RefSnapshot): Map<string, string | undefined> {
  return new Map([...ref.files].map(([path, file]) => [path, file?.text]));
}

export async function bumpOpsRepo(
  client: GitHubClient,
  request: BumpRequest,
  deps: BumpDependencies = {},
): Promise<BumpOutcome> {
  const paths = filesOf(request.changes);
  const variables = inputVariables(request.changes, request.run);
  const branch = request.direct
    ? undefined
    : toBranchName(renderTemplate(request.templates.branch, variables));
  const log = deps.log ?? (() => {});
  let attempts = 0;
  let landed: { commit: CommitResult; plan: BumpPlan } | undefined;

  const round = async (): Promise<BumpOutcome> => {
    attempts++;
    const snapshot = await readOpsRepo(client, { ...request, branch, paths });
    const base = snapshot.base;
    if (branch === base.name) {
      throw new UserError(`Input 'branch': the bump branch '${branch}' is the base branch.`, {
        hint: 'Choose another `branch` template, or set `direct: true` to commit to the base branch.',
      });
    }
    const basePlan = planBump(request.changes, contentsOf(base));
    const head = snapshot.head;
    const leftover = head !== undefined && !snapshot.pullRequest && snapshot.lastClosedHeadOid === head.oid;
    const target = request.direct ? base : head && !leftover ? head : undefined;
    const plan = target ? planBump(request.changes, contentsOf(target)) : basePlan;
    const outcome = (commit: CommitResult | undefined, shown: BumpPlan): BumpOutcome => ({
      changed: commit !== undefined,
      commit,
      pullRequest: undefined,
      branch: branch ?? base.name,
      base: base.name,
      files: shown.files.map((f) => f.path),
      changes: shown.changes,
      diff: shown.files.map((f) => unifiedDiff(f.path, f.before, f.after)).join(''),
      attempts,
      warnings: [],
    });

    let result: BumpOutcome;
    if (plan.files.length === 0) {
      // nothing left to write: already on the base, or already on the bump branch
      result = landed ? outcome(landed.commit, landed.plan) : outcome(undefined, plan);
      if (request.direct || basePlan.files.length === 0) return result;
      log(`${branch} already holds the change; making sure its pull request is open`);
    } else {
      let expectedHeadOid = target?.oid ?? base.oid;
      let baseTreeOid = target?.treeOid ?? base.treeOid;
      if (!request.direct && !head) {
        log(`creating ${branch} at ${base.oid}`);
        await createBranch(client, { ...request, branch: branch!, oid: base.oid });
      } else if (leftover) {
        log(`${branch} is left over from a closed pull request; resetting it to ${base.name}`);
        await resetBranch(client, { ...request, branch: branch!, oid: base.oid });
        expectedHeadOid = base.oid;
        baseTreeOid = base.treeOid;
      }
      const source = target ?? base;
      const vars = planVariables(variables, plan.changes);
      const message = renderTemplate(request.templates.commit, vars);
      const [headline, ...rest] = message.split('\n');
      const commit = await commitFiles(
        client,
        {
          ...request,
          branch: branch ?? base.name,
          expectedHeadOid,
          baseTreeOid,
          headline: headline!.trim(),
          body: rest.join('\n').trim(),
          files: plan.files.map((f) => ({
            path: f.path,
            text: f.after,
            mode: source.files.get(f.path)?.mode ?? '100644',
          })),
        },
        { preferRest: request.preferRest },
      );
      log(`committed ${commit.oid} to ${branch ?? base.name} via ${commit.via}`);
      landed = { commit, plan };
      result = outcome(commit, plan);
      if (request.direct) return result;
    }

    // the pull request describes every value its branch moves, this run's and earlier ones'
    const described = mergeChanges(changesInBody(snapshot.pullRequest?.body), basePlan.changes);
    const prVars = planVariables(variables, described);
    const bodyVars = markdownVariables(variables, described);
    const pr = await upsertPullRequest(
      client,
      {
        ...request,
        repositoryId: snapshot.repositoryId,
        base: base.name,
        branch: branch!,
        existing: snapshot.pullRequest,
      },
      {
        title: renderTemplate(request.templates.title, prVars),
        body: withChangesMarker(renderTemplate(request.templates.body, bodyVars), described),
      },
      request.pullRequest,
    );
    return {
      ...result,
      pullRequest: { number: pr.number, url: pr.url, created: pr.created },
      warnings: pr.warnings,
    };
  };

  try {
    return await retry(round, {
      maxAttempts: deps.maxAttempts ?? 40,
      baseDelayMs: 200,
      maxDelayMs: 5_000,
      totalTimeoutMs: deps.totalTimeoutMs ?? 300_000,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(deps.random ? { random: deps.random } : {}),
      classify: (error) => (isBranchMoved(error) ? { retry: true } : { retry: false }),
      onRetry: ({ attempt, delayMs }) =>
        log(`the branch moved during attempt ${attempt}; re-reading and retrying in ${delayMs} ms`),
    });
  } catch (error) {
    if (!isBranchMoved(error)) throw error;
    throw new UserError(
      `${branch ?? 'The base branch'} kept moving under this run: gave up after ${attempts} attempts.`,
      {
        hint: 'Many runs are committing to the same branch at once; re-run the job, or give each image its own branch.',
        cause: error,
      },
    );
  }
}
