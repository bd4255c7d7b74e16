/**
 * What a stand-in for a third-party action (`uses: owner/repo[/path]@ref`) gets from
 * the local runner and gives back. Stand-ins sit at the network edge only: they do
 * what the real action would do to the job's workspace/env (a checkout, a docker
 * config, a recorded upload), and they throw on inputs the real action would reject
 * or misread, which aborts the run (a wiring bug fails the test, whatever `if:` or
 * `continue-on-error` the workflow has).
 */

/** github.* values a stand-in may need for the real action's defaults. */
export interface StandInGitHub {
  repository: string;
  sha: string;
  ref: string;
  token: string;
  serverUrl: string;
  apiUrl: string;
  actor: string;
}

export interface StandInCall {
  /** The step's `uses:` as written, e.g. `actions/checkout@3d3c…`. */
  uses: string;
  /** The ref after `@`. */
  ref: string;
  /** The step's `with:` after interpolation (only what the step sets; no defaults). */
  with: Record<string, string>;
  workspace: string;
  runnerTemp: string;
  /** The environment the action's process would get (runner, job, exported and step env). */
  env: Record<string, string>;
  github: StandInGitHub;
}

export interface StandInResult {
  outputs?: Record<string, string>;
  /** Exported for later steps, as `core.exportVariable` (GITHUB_ENV). */
  env?: Record<string, string>;
  /** Registered secrets, as `core.setSecret`. */
  masks?: string[];
  /** Lines of log output. */
  log?: string[];
  /** Fails the step with this error annotation, as `core.setFailed` would. */
  failed?: string;
}

export type StandIn = (call: StandInCall) => StandInResult | void | Promise<StandInResult | void>;

/** Thrown by a stand-in when the step handed it inputs the real action would reject or misread. */
export class StandInInputError extends Error {
  constructor(uses: string, message: string) {
    super(`${uses.split('@')[0]}: ${message}`);
  }
}

/** Refuses inputs the real action does not declare (GitHub only warns; a typo here is a wiring bug). */
export function expectKnownInputs(call: StandInCall, known: readonly string[]): void {
  for (const name of Object.keys(call.with)) {
    if (!known.includes(name)) throw new StandInInputError(call.uses, `unexpected input '${name}'`);
  }
}

/** A boolean input as the real action parses it (`core.getBooleanInput`): true/True/TRUE/false/False/FALSE. */
export function booleanInput(call: StandInCall, name: string, fallback: boolean): boolean {
  const value = call.with[name];
  if (value === undefined || value === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new StandInInputError(
    call.uses,
    `input '${name}' must be true or false, got ${JSON.stringify(value)}`,
  );
}
