/**
 * Helpers for the deploy-wait integration tests: the action's folder, its error
 * annotation, and a leak scan over the log, summary, outputs, state and every
 * file the run left in RUNNER_TEMP and the workspace, which it then deletes.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterEach } from 'vitest';
import {
  findLeaks,
  runAction,
  type ActionRunResult,
  type RunActionOptions,
} from '../../harness/run-action.ts';

export const deployWaitDir = resolve(import.meta.dirname, '../../../actions/deploy-wait');

export const errorOf = (result: ActionRunResult): string =>
  result.annotations
    .filter((a) => a.level === 'error')
    .map((a) => a.message)
    .join('\n');

function filesUnder(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Every leak: `secrets` (the run's own, which it must have masked) and `elsewhere`
 * (secrets of other runs, which must not show at all) in the log, summary,
 * outputs, state, env and files. Removes the run's scratch folder afterwards.
 */
export function scanAndClean(
  result: ActionRunResult,
  secrets: readonly string[],
  elsewhere: readonly string[] = [],
): string[] {
  const leaks = findLeaks(result, secrets);
  const scratch = dirname(result.runnerTemp);
  const written = [
    ...Object.entries(result.outputs).map(([k, v]) => [`output ${k}`, v] as const),
    ...Object.entries(result.state).map(([k, v]) => [`state ${k}`, v] as const),
    ...Object.entries(result.env).map(([k, v]) => [`env ${k}`, v] as const),
    ['log', result.log] as const,
    ['summary', result.summary] as const,
    ...filesUnder(scratch).map(
      (file) => [`file ${file.slice(scratch.length)}`, readFileSync(file, 'latin1')] as const,
    ),
  ];
  for (const secret of [...secrets, ...elsewhere].filter(Boolean)) {
    for (const [where, value] of written) {
      if (where === 'log' && secrets.includes(secret)) continue; // findLeaks checked it, ::add-mask:: lines aside
      if (value.includes(secret)) leaks.push(`${where} holds ${secret.slice(0, 6)}…`);
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  return leaks;
}

/**
 * `runAction` that remembers its runs, and an `afterEach` that deletes the scratch
 * folder of each, whether or not the test scanned it.
 */
export function cleanRunAction(): (options: RunActionOptions) => Promise<ActionRunResult> {
  const runs: ActionRunResult[] = [];
  afterEach(() => {
    for (const run of runs.splice(0)) rmSync(dirname(run.runnerTemp), { recursive: true, force: true });
  });
  return async (options) => {
    const result = await runAction(options);
    runs.push(result);
    return result;
  };
}
